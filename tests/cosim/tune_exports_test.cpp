// The winner's exports of irqlab tune: the C register header compiles with the C compiler
// and holds the addresses and values the RISC-V PLIC specification gives for the chosen
// configuration (PRIO of source n at base + 4n, context c's enable word w at base + 0x2000
// + 0x80c + 4w, context c's threshold at base + 0x200000 + 0x1000c; the PLIC's base
// 0x0c000000 from rtl/soc/soc.yaml), and the scenario snippet gives the chosen keys.
// The space is fast's priority in {1, 2} with slow at 1: the winner is fast = 2
// (tests/cosim/tune_search_test.cpp derives why).
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "cosim/irqlab_process.h"

namespace irqlab::test {
namespace tune_exports_test {

const std::string kScenario =
    std::string(IRQLAB_SOURCE_DIR) + "/tests/cosim/tune/two_periodic.yaml";
constexpr std::uint64_t kPlicBase = 0x0C00'0000;

// Tunes once per test process, in a directory of the test's own (ctest runs each test
// as its own process, in parallel with -j).
std::filesystem::path tuned() {
  static const std::filesystem::path out = [] {
    const std::filesystem::path dir = std::filesystem::path(IRQLAB_TEST_SCRATCH) / "tune_exports" /
                                      testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(dir);
    const ProcessResult r =
        run_irqlab("tune " + kScenario + " -j 2 --out " + dir.string() +
                   " -c 'tune.space=[{key: \"sources[fast].priority\", values: [1, 2]}]'");
    EXPECT_EQ(r.exit_status, 0) << r.output;
    return dir;
  }();
  return out;
}

std::string run(const std::string& command) {
  std::string output;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  std::array<char, 4096> buffer{};
  while (pipe != nullptr && fgets(buffer.data(), buffer.size(), pipe) != nullptr)
    output += buffer.data();
  if (pipe != nullptr && pclose(pipe) != 0) output += "\n(command failed: " + command + ")";
  return output;
}

TEST(TuneExports, TheRegisterHeaderCompilesAndHoldsThePlicSpecsAddressesAndValues) {
  const std::filesystem::path dir = tuned();
  std::ofstream(dir / "print_writes.c")
      << "#define IRQLAB_TUNE_DEFINE_WRITES\n"
         "#include <stdio.h>\n#include \"winner_regs.h\"\n"
         "int main(void) {\n"
         "  for (unsigned i = 0; i < IRQLAB_TUNE_WRITE_COUNT; ++i)\n"
         "    printf(\"%llx %x %x\\n\", (unsigned long long)irqlab_tune_writes[i].address,\n"
         "           irqlab_tune_writes[i].mask, irqlab_tune_writes[i].value);\n"
         "  printf(\"%x %x\\n\", IRQLAB_TUNE_PLIC_PRIO_25, IRQLAB_TUNE_PLIC_IE_0_0_MASK);\n"
         "  return 0;\n}\n";
  const std::string compile =
      std::string(IRQLAB_C_COMPILER) + " -std=c99 -Wall -Wextra -Werror -o " +
      (dir / "print_writes").string() + " " + (dir / "print_writes.c").string();
  ASSERT_EQ(run(compile), "");
  char expected[512];
  // slow (24) at priority 1, fast (25) at 2; both enabled on hart 0 (bits 24 and 25 of
  // enable word 0); hart 0's threshold 0 at boot.
  std::snprintf(
      expected, sizeof expected,
      "%llx ffffffff 1\n%llx ffffffff 2\n%llx 3000000 3000000\n%llx ffffffff 0\n2 3000000\n",
      static_cast<unsigned long long>(kPlicBase + 4 * 24),
      static_cast<unsigned long long>(kPlicBase + 4 * 25),
      static_cast<unsigned long long>(kPlicBase + 0x2000),
      static_cast<unsigned long long>(kPlicBase + 0x200000));
  EXPECT_EQ(run((dir / "print_writes").string()), expected);
}

TEST(TuneExports, TheSnippetGivesTheChosenKeysAndTheRestOfTheListUnchanged) {
  const YAML::Node snippet = YAML::LoadFile((tuned() / "winner.yaml").string());
  const YAML::Node scenario = YAML::LoadFile(kScenario);
  ASSERT_EQ(snippet.size(), 1U);  // only sources: the one tuned list
  ASSERT_EQ(snippet["sources"].size(), 2U);
  EXPECT_EQ(snippet["sources"][0]["priority"].as<int>(), 1);
  EXPECT_EQ(snippet["sources"][1]["priority"].as<int>(), 2);
  for (std::size_t i = 0; i < 2; ++i)
    for (const char* field : {"source", "name", "handler_cycles"})
      EXPECT_EQ(snippet["sources"][i][field].as<std::string>(),
                scenario["sources"][i][field].as<std::string>());
  const nlohmann::json tune = read_json(tuned() / "tune.json");
  EXPECT_EQ(tune["winner"]["values"]["sources[fast].priority"], 2);
  EXPECT_TRUE(tune["winner"]["verified"]);
}

}  // namespace tune_exports_test
}  // namespace irqlab::test
