// The source-ID wiring as a tunable RTL parameter (docs/tune.md, "RTL parameters"):
// rtl.<device>.source_id moves the PLIC source a one-line device's interrupt drives.
//
// End to end on tests/cosim/tune/source_wiring.yaml: the NIC's interrupt moved from
// source 5 (rtl/soc/soc.yaml) to 12, a free ID (the IPIs keep 7..10, nothing drives
// 11..15). What must follow, from the PLIC specification and the description, not from a
// run: the variant's PLIC raises only source 12 for the NIC, so the driver delivers the
// 8 frames only if the kernel claims and enables 12 (source 5 now has no line: a driver
// on 5 would never run); results.json reports the NIC at 12 and the crypto engine still
// at 6; the winner's register header programs PRIO and the IE bit of 12, not 5.
//
// The one variant build (nic.source_id = 12) lands in IRQLAB_TEST_SCRATCH/tune_rtl_cache,
// the cache tune_rtl_test uses, which survives between runs. The bad-input cases are
// refused before anything is built.
#include <gtest/gtest.h>

#include "cosim/tune_support.h"

namespace irqlab::test {
namespace tune_source_wiring_test {

const std::string kScenario =
    std::string(IRQLAB_SOURCE_DIR) + "/tests/cosim/tune/source_wiring.yaml";
const std::filesystem::path kCache = std::filesystem::path(IRQLAB_TEST_SCRATCH) / "tune_rtl_cache";

std::filesystem::path scratch(const std::string& name) {
  return tune_out("tune_source_wiring", name);
}

ProcessResult tune(const std::filesystem::path& out, const std::string& more = "") {
  return run_tune(kScenario, kCache, out, more);
}

const nlohmann::json& named(const nlohmann::json& list, const std::string& name) {
  for (const nlohmann::json& e : list)
    if (e["name"] == name) return e;
  ADD_FAILURE() << "no '" << name << "' in " << list.dump();
  static const nlohmann::json none;
  return none;
}

TEST(TuneSourceWiring, TheKernelClaimsTheNicOnTheSourceTheVariantWires) {
  const std::filesystem::path out = scratch("wired");
  const ProcessResult r = tune(out);
  ASSERT_EQ(r.exit_status, 0) << r.output;
  const nlohmann::json t = read_json(out / "tune.json");
  ASSERT_EQ(t["candidates"].size(), 2U);
  for (const nlohmann::json& c : t["candidates"]) {
    EXPECT_EQ(c["rtl"]["params"]["rtl.nic.source_id"], 12) << c.dump();
    EXPECT_TRUE(c["feasible"]) << c.dump();
    const nlohmann::json results =
        read_json(out / "cases" / c["case"].get<std::string>() / "results.json");
    // The description the variant was built from.
    const nlohmann::json& devices = results["scenario"]["rtl"]["devices"];
    EXPECT_EQ(named(devices, "nic")["sources"], nlohmann::json::array({12}));
    EXPECT_EQ(named(devices, "crypto")["sources"], nlohmann::json::array({6}));
    // The kernel served the NIC on 12 and the driver delivered every frame.
    const nlohmann::json& nic = named(results["sources"], "nic");
    EXPECT_EQ(nic["source"], 12);
    EXPECT_GE(nic["handled"].get<std::uint64_t>(), 1U);
    EXPECT_EQ(results["nic"]["offered"], 8);
    EXPECT_EQ(results["nic"]["delivered"], 8);
  }
  // The firmware header of the winner: PRIO of source 12 at offset 4 * 12, and hart 0's
  // IE word 0 (offset 0x2000) covering bit 12 only (RISC-V PLIC 1.0.0, memory map).
  const std::string header = read_text(out / "winner_regs.h");
  EXPECT_NE(header.find("#define IRQLAB_TUNE_PLIC_PRIO_12_OFFSET 0x30u"), std::string::npos)
      << header;
  EXPECT_EQ(header.find("PLIC_PRIO_5_"), std::string::npos) << header;
  EXPECT_NE(header.find("#define IRQLAB_TUNE_PLIC_IE_0_0_OFFSET 0x2000u\n"
                        "#define IRQLAB_TUNE_PLIC_IE_0_0_MASK 0x1000u\n"
                        "#define IRQLAB_TUNE_PLIC_IE_0_0_VALUE 0x1000u"),
            std::string::npos)
      << header;
}

// Bad input: exit 2, naming the scenario file, the line and the key.
ProcessResult tune_with_space(const std::string& space) {
  return tune(scratch("bad"), " -c 'tune.space=" + space + "'");
}

TEST(TuneSourceWiring, AnIdAnotherLineKeepsIsRefused) {
  // Source 7 is IPI 0's (rtl/soc/soc.yaml: ipi first_source 7).
  const ProcessResult r = tune_with_space("[{key: rtl.nic.source_id, values: [5, 7]}]");
  EXPECT_EQ(r.exit_status, 2) << r.output;
  EXPECT_NE(r.output.find("key 'rtl.nic.source_id': source ID 7 is driven by ipi"),
            std::string::npos)
      << r.output;
  // Source 6 is the crypto engine's while the space does not move it.
  const ProcessResult crypto = tune_with_space("[{key: rtl.nic.source_id, values: [5, 6]}]");
  EXPECT_EQ(crypto.exit_status, 2) << crypto.output;
  EXPECT_NE(crypto.output.find("source ID 6 is driven by crypto"), std::string::npos)
      << crypto.output;
  // Source 16 is the first external line's, outside the range 5..15.
  const ProcessResult ext = tune_with_space("[{key: rtl.nic.source_id, values: [5, 16]}]");
  EXPECT_EQ(ext.exit_status, 2) << ext.output;
  EXPECT_NE(ext.output.find("rtl.nic.source_id 16 is outside the RTL's range 5..15"),
            std::string::npos)
      << ext.output;
}

TEST(TuneSourceWiring, AWiringThatGivesTwoDevicesOneIdIsRefused) {
  const ProcessResult r = tune_with_space(
      "[{key: rtl.nic.source_id, values: [11]}, {key: rtl.crypto.source_id, values: [11]}, "
      "{key: nic.priority, values: [1, 2]}]");
  EXPECT_EQ(r.exit_status, 2) << r.output;
  EXPECT_NE(r.output.find("key 'rtl.crypto.source_id': every wiring of the space gives two "
                          "devices the same source ID"),
            std::string::npos)
      << r.output;
  const ProcessResult twice = tune_with_space("[{key: rtl.nic.source_id, values: [11, 11]}]");
  EXPECT_EQ(twice.exit_status, 2) << twice.output;
  EXPECT_NE(twice.output.find("value 11 is listed twice"), std::string::npos) << twice.output;
}

TEST(TuneSourceWiring, ListShowsTheSourceIds) {
  const ProcessResult r = run_irqlab("list");
  ASSERT_EQ(r.exit_status, 0) << r.output;
  EXPECT_NE(r.output.find("rtl.nic.source_id  5..15"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("rtl.crypto.source_id  5..15"), std::string::npos) << r.output;
}

}  // namespace tune_source_wiring_test
}  // namespace irqlab::test
