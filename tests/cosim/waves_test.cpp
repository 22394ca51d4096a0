// The waves read with names: the FST's enum table for the kernel probes' activity, the
// run's translate filters, the save file that attaches them with paths relative to the
// output directory, its markers at the first interrupt's T0 and T2, probes sized to the
// run, and `irqlab waves --print` on a moved output directory.
#include <algorithm>
#include <gtest/gtest.h>
#include <map>
#include <regex>
#include <sstream>

#include "e2e_support.h"

namespace irqlab::test {
namespace waves_test {

namespace fs = std::filesystem;

// Two harts, one named source with deferred work under a lock, a thread that takes it.
std::string named_scenario(const std::string& locks) {
  return "name: named-waves\nseed: 3\nduration_cycles: 30000\n"
         "platform:\n  harts: 2\n  clock_period_ps: 10000\n  bus: { request_cycles: 1, "
         "response_cycles: 1 }\n"
         "kernel:\n  cost_profile: " +
         kCostProfile +
         "\n  tick_period: 0\n  personality: linux\n"
         "locks: " +
         locks +
         "\n"
         "threads:\n  - name: app\n    cpu: 0\n    repeat: 0\n"
         "    steps:\n      - kernel: 2000\n      - lock: so lock\n      - kernel: 500\n      - "
         "unlock: so lock\n"
         "sources:\n  - source: 24\n    name: disk\n    priority: 3\n    handler_cycles: 100\n    "
         "cpus: [1]\n"
         "    stimulus: { at: [1000, 9000] }\n"
         "    deferred: { level: net, cycles: 300, may_block: true, lock: so lock }\n";
}

const std::string kLocks = "[\"so lock\", \"r\\u00e9seau\"]";  // the second: UTF-8 "réseau"

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The VCD that fst2vcd prints with the FST's extensions (attributes such as enum tables).
std::string vcd_with_extensions(const fs::path& fst) {
  std::string vcd;
  FILE* pipe =
      popen((std::string(FST2VCD_BINARY) + " -e " + fst.string() + " 2>/dev/null").c_str(), "r");
  std::array<char, 65536> buffer{};
  for (std::size_t n = 0; (n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0;)
    vcd.append(buffer.data(), n);
  pclose(pipe);
  return vcd;
}

bool has_line(const std::string& text, const std::string& line) {
  const auto lines = lines_of(text);
  return std::find(lines.begin(), lines.end(), line) != lines.end();
}

// Every line of a filter file: a decimal value, one space, printable ASCII.
void expect_filter_format(const fs::path& file) {
  ASSERT_TRUE(fs::exists(file)) << file;
  const std::regex line_format("[0-9]+ [\\x21-\\x7E]([\\x20-\\x7E]*[\\x21-\\x7E])?");
  for (const std::string& line : lines_of(read_text(file)))
    EXPECT_TRUE(std::regex_match(line, line_format)) << file << ": " << line;
}

// The save file's lines from `name`'s filter line to its trace: filter, flags, trace.
void expect_named_trace(const std::string& gtkw, const std::string& filter,
                        const std::string& trace) {
  EXPECT_NE(gtkw.find("^1 waves-filters/" + filter + "\n@2024\n" + kTop + trace + "\n"),
            std::string::npos)
      << trace;
}

void expect_no_absolute_path(const std::string& gtkw) {
  for (const std::string& line : lines_of(gtkw)) {
    EXPECT_EQ(line.find("\"/"), std::string::npos) << line;
    EXPECT_FALSE(line.starts_with("^1 /")) << line;
  }
}

TEST(Waves, FstCarriesTheActivityEnumAndProbesOnlyForTheRunsHarts) {
  const RunOutput r = run_scenario("waves_enum", named_scenario(kLocks));
  ASSERT_EQ(r.process.exit_status, 0) << r.process.output;
  const std::string vcd = vcd_with_extensions(r.dir / "out/waves.fst");
  // fst2vcd -e prints the enum table Verilator writes for a typedef'd enum (FST misc
  // attribute 07, FST_MT_ENUMTABLE): its name, count, names, values in binary (2 bits each)
  // and handle; then, before each signal of that type, an attribute naming the handle.
  const std::regex table(
      R"(\$attrbegin misc 07 kernel_probe\.activity_e 4 Idle Kernel User Interrupt 00 01 10 11 (\d+) \$end)");
  std::smatch match;
  ASSERT_TRUE(std::regex_search(vcd, match, table)) << vcd.substr(0, 6000);
  for (unsigned h = 0; h < 2; ++h) {
    const std::size_t scope = vcd.find("$scope module g_hart[" + std::to_string(h) + "] $end");
    ASSERT_NE(scope, std::string::npos);
    const std::size_t ref = vcd.find("$attrbegin misc 07 \"\" " + match[1].str() + " $end", scope);
    const std::size_t var = vcd.find(" activity [1:0] $end", scope);
    EXPECT_LT(ref, var) << "hart " << h << ": activity refers to the enum table";
  }
  const VcdReader waves(vcd);
  EXPECT_TRUE(waves.has(kTop + "g_hart[0].u_kernel.activity"));
  EXPECT_TRUE(waves.has(kTop + "g_hart[1].u_kernel.deferred"));
  EXPECT_FALSE(waves.has(kTop + "g_hart[2].u_kernel.activity"));    // two harts: no third
  EXPECT_FALSE(waves.has(kTop + "g_hart[0].u_kernel.activity_i"));  // inputs repeat the probes
}

TEST(Waves, FiltersNameTheRunsEntitiesInPrintableAscii) {
  const RunOutput r = run_scenario("waves_filters", named_scenario(kLocks));
  ASSERT_EQ(r.process.exit_status, 0) << r.process.output;
  const fs::path filters = r.dir / "out/waves-filters";
  for (const char* f : {"lwps.txt", "lock-owners.txt", "locks-waited.txt", "sources.txt",
                        "deferred.txt", "tlul-a-opcodes.txt", "tlul-d-opcodes.txt"})
    expect_filter_format(filters / f);
  const std::string sources = read_text(filters / "sources.txt");
  EXPECT_TRUE(has_line(sources, "0 none"));
  EXPECT_TRUE(has_line(sources, "24 disk"));
  // lock_wait and lock owners carry 1 + id; the ids are the locks' registration order,
  // the order of results.json's locks[] (docs/results-schema.md).
  const std::string waited = read_text(filters / "locks-waited.txt");
  EXPECT_TRUE(has_line(waited, "0 none"));
  const auto& locks = r.results["locks"];  // the personality's own locks come first
  std::size_t named = 0;
  for (std::size_t id = 0; id < locks.size(); ++id) {
    const std::string name = locks[id]["name"].get<std::string>();
    const std::string shown = name == "r\xC3\xA9seau" ? "r\\xC3\\xA9seau" : name;
    EXPECT_TRUE(has_line(waited, std::to_string(id + 1) + " " + shown)) << waited;
    named += name == "so lock" || name == "r\xC3\xA9seau" ? 1 : 0;
  }
  EXPECT_EQ(named, 2U);
  // LWPs: the thread by its id in `lwp`, 1 + id for a lock's owner; 0 = free.
  const std::string lwps = read_text(filters / "lwps.txt");
  const std::string owners = read_text(filters / "lock-owners.txt");
  EXPECT_TRUE(has_line(owners, "0 free"));
  std::smatch app;
  ASSERT_TRUE(std::regex_search(lwps, app, std::regex("(^|\n)([0-9]+) app\n"))) << lwps;
  EXPECT_TRUE(has_line(owners, std::to_string(std::stoul(app[2]) + 1) + " app")) << owners;
  EXPECT_GE(lines_of(read_text(filters / "deferred.txt")).size(), 2U);  // none + the net work
}

TEST(Waves, SaveFileAttachesNamesGroupsAndMarksTheFirstInterrupt) {
  const RunOutput r = run_scenario("waves_gtkw", named_scenario(kLocks));
  ASSERT_EQ(r.process.exit_status, 0) << r.process.output;
  const std::string gtkw = read_text(r.dir / "out/waves.gtkw");
  EXPECT_TRUE(has_line(gtkw, "[dumpfile] \"waves.fst\""));
  expect_no_absolute_path(gtkw);
  for (unsigned h = 0; h < 2; ++h) {
    const std::string p = "g_hart[" + std::to_string(h) + "].u_kernel.";
    // No number format: GTKWave applies the FST's enum table.
    EXPECT_NE(gtkw.find("\n@20\n" + kTop + p + "activity[1:0]\n"), std::string::npos);
    expect_named_trace(gtkw, "sources.txt", p + "handler[7:0]");
    expect_named_trace(gtkw, "lwps.txt", p + "lwp[15:0]");
    expect_named_trace(gtkw, "locks-waited.txt", p + "lock_wait[7:0]");
    expect_named_trace(gtkw, "deferred.txt", p + "deferred[15:0]");
  }
  EXPECT_EQ(gtkw.find("g_hart[2]"), std::string::npos);
  const std::size_t locks = r.results["locks"].size();
  for (std::size_t l = 0; l < locks; ++l)
    expect_named_trace(gtkw, "lock-owners.txt",
                       "g_lock[" + std::to_string(l) + "].u_lock.owner[15:0]");
  EXPECT_EQ(gtkw.find("g_lock[" + std::to_string(locks) + "]"), std::string::npos);
  for (const char* g : {"legend", "interrupt sources", "PLIC", "timer", "IPI", "register bus"})
    EXPECT_TRUE(has_line(gtkw, "@800200") && has_line(gtkw, std::string("-") + g)) << g;
  // Markers A and B at the first request's T0 and T2 as samples.jsonl has them.
  const auto first = r.samples.of("latency", 24).at(0);
  std::smatch markers;
  ASSERT_TRUE(
      std::regex_search(gtkw, markers, std::regex("\n\\*\\S+ (\\d+) (\\d+) (\\d+)( -1){24}\n")));
  EXPECT_EQ(std::stoull(markers[2]), first["t0"].get<std::uint64_t>() * kPeriodPs);
  EXPECT_EQ(std::stoull(markers[3]), first["t2"].get<std::uint64_t>() * kPeriodPs);
}

TEST(Waves, OpenFromAMovedOutputDirectory) {
  const RunOutput r = run_scenario("waves_moved", named_scenario(kLocks));
  ASSERT_EQ(r.process.exit_status, 0) << r.process.output;
  const fs::path moved = r.dir / "elsewhere/run";
  fs::create_directories(moved.parent_path());
  fs::rename(r.dir / "out", moved);
  // A save file from an older run, or saved again by GTKWave: absolute paths of where
  // the run was.
  const std::string original = read_text(moved / "waves.gtkw");
  std::string old = std::regex_replace(original, std::regex("\\[dumpfile\\] \"waves.fst\""),
                                       "[dumpfile] \"" + (r.dir / "out/waves.fst").string() + "\"");
  old = std::regex_replace(old, std::regex("\\^1 waves-filters/"),
                           "^1 " + (r.dir / "out/waves-filters/").string());
  write_text(moved / "waves.gtkw", old);

  const ProcessResult printed = run_irqlab("waves " + moved.string() + " --print");
  ASSERT_EQ(printed.exit_status, 0) << printed.output;
  EXPECT_EQ(printed.output, original);
  EXPECT_EQ(read_text(moved / "waves.gtkw"), original);  // rewritten in place
  expect_no_absolute_path(printed.output);
  EXPECT_TRUE(has_line(printed.output, "^1 waves-filters/lwps.txt"));
  // Every file the save file names is there, relative to the moved directory.
  EXPECT_TRUE(fs::exists(moved / "waves.fst"));
  for (const std::string& line : lines_of(printed.output)) {
    if (line.starts_with("^1 ")) {
      EXPECT_TRUE(fs::exists(moved / line.substr(3))) << line;
    }
  }
}

TEST(Waves, WavesCommandNamesTheRunsOfAComparisonAndRefusesAMissingRun) {
  const fs::path dir = scratch_dir("waves_refused");
  fs::create_directories(dir / "linux");
  write_text(dir / "linux/waves.gtkw", "[dumpfile] \"waves.fst\"\n");
  const ProcessResult comparison = run_irqlab("waves " + dir.string() + " --print");
  EXPECT_NE(comparison.exit_status, 0);
  EXPECT_NE(comparison.output.find((dir / "linux").string()), std::string::npos)
      << comparison.output;
  const ProcessResult missing = run_irqlab("waves " + (dir / "none").string() + " --print");
  EXPECT_NE(missing.exit_status, 0);
  EXPECT_NE(missing.output.find("no waves"), std::string::npos) << missing.output;
}

TEST(Waves, MoreLocksThanProbesFailWithTheKeyThatRaisesTheLimit) {
  // soc::kLockProbes = 8 (rtl/soc/soc.yaml, cosim_top.lock_probes): nine locks.
  const std::string nine = "[\"so lock\", l1, l2, l3, l4, l5, l6, l7, l8]";
  const fs::path dir = scratch_dir("waves_nine_locks");
  write_text(dir / "scenario.yaml", named_scenario(nine));
  const std::string run =
      "run " + (dir / "scenario.yaml").string() + " --out " + (dir / "out").string();
  const ProcessResult with_waves = run_irqlab(run);
  EXPECT_NE(with_waves.exit_status, 0);
  EXPECT_NE(with_waves.output.find("cosim_top.lock_probes in rtl/soc/soc.yaml"), std::string::npos)
      << with_waves.output;
  const RunOutput without =
      run_scenario("waves_nine_locks_off", named_scenario(nine), "--no-waves");
  EXPECT_EQ(without.process.exit_status, 0) << without.process.output;
}

}  // namespace waves_test
}  // namespace irqlab::test
