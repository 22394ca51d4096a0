// irqlab tune over RTL parameters (docs/tune.md, "RTL parameters"), end to end on
// tests/cosim/tune/fifo_burst.yaml: rtl.nic.RxFifoBytes in {8192, 4096}, no drops allowed.
//
// The optimum by hand. 120 frames of 60 bytes arrive back to back at line rate: the pins
// take one 32-bit beat per cycle, a frame is 16 beats (64 bytes with the FCS, which the
// FIFO stores) plus one idle cycle, so the burst lasts 120 x 17 = 2040 cycles. The FIFO
// holds RxFifoBytes of frame data and a table of RxFifoBytes / 64 frames (docs/rtl.md,
// NIC, "Store and forward"); a frame's space is freed when its descriptor write-back
// completes, which for one frame of W = 15 stored words (SECRC) takes (W + 3) DMA
// transactions of 2 + lat = 2 + 2 cycles each plus the bus cycle: 18 x 6 = 108 cycles
// (docs/rtl.md, NIC, "Timing"; tests/regress/nic-burst-overflow.yaml), one at a time.
// - 8192 bytes: 128 table entries and 128 x 64 bytes of data; the 120 frames fit even if
//   nothing left the FIFO, so nothing drops whatever the DMA and the kernel do.
// - 4096 bytes: 64 entries. During the 2040 cycles the DMA frees at most
//   floor(2040 / 108) + 1 = 19 frames, so at most 64 + 19 = 83 frames are taken and at
//   least 120 - 83 = 37 overflow.
// So 8192 is the smallest no-drop depth of the two, and the tuner must pick it although
// 4096 costs less area. Area: the FIFO's data memory alone is RxFifoBytes x 8 bits, so
// halving the depth removes at least 4096 x 8 = 32768 memory bits.
//
// The whole suite builds one RTL variant (4096; 8192 is the running binary's own
// configuration, whose area Yosys computes without a build), in the cache directory
// IRQLAB_TEST_SCRATCH/tune_rtl_cache, which survives between runs of this test.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "cosim/tune_support.h"

namespace irqlab::test {
namespace tune_rtl_test {

const std::string kScenario = std::string(IRQLAB_SOURCE_DIR) + "/tests/cosim/tune/fifo_burst.yaml";
const std::filesystem::path kCache = std::filesystem::path(IRQLAB_TEST_SCRATCH) / "tune_rtl_cache";

std::filesystem::path scratch(const std::string& name) { return tune_out("tune_rtl", name); }

ProcessResult tune(const std::filesystem::path& out, const std::string& more = "") {
  return run_tune(kScenario, kCache, out, more);
}

std::uint64_t fifo_bytes(const nlohmann::json& rtl) { return rtl["params"]["rtl.nic.RxFifoBytes"]; }

std::uint64_t bits(const nlohmann::json& rtl) {
  return rtl["area"]["flop_bits"].get<std::uint64_t>() +
         rtl["area"]["memory_bits"].get<std::uint64_t>();
}

TEST(TuneRtl, FindsTheSmallestFifoWithoutDropsAndReusesItsBuilds) {
  const std::filesystem::path first = scratch("first");
  const ProcessResult r = tune(first);
  ASSERT_EQ(r.exit_status, 0) << r.output;
  const nlohmann::json t = read_json(first / "tune.json");
  ASSERT_EQ(t["candidates"].size(), 2U);
  // Configurations run in order of increasing area: 4096 first.
  const nlohmann::json& small = t["candidates"][0];
  const nlohmann::json& large = t["candidates"][1];
  ASSERT_EQ(fifo_bytes(small["rtl"]), 4096U);
  ASSERT_EQ(fifo_bytes(large["rtl"]), 8192U);
  EXPECT_FALSE(small["feasible"]);
  EXPECT_GE(small["drops"].get<std::uint64_t>(), 37U);
  EXPECT_TRUE(large["feasible"]);
  EXPECT_EQ(large["drops"], 0);
  EXPECT_EQ(fifo_bytes(t["winner"]["rtl"]), 8192U);
  EXPECT_TRUE(t["winner"]["verified"]);
  EXPECT_EQ(t["simulations"], 3);  // two candidates and the winner's re-run
  // Area is non-decreasing with depth; the data memory alone accounts for 32768 bits.
  EXPECT_GE(bits(large["rtl"]), bits(small["rtl"]) + 4096U * 8U);
  EXPECT_GE(large["rtl"]["area"]["cells"], small["rtl"]["area"]["cells"]);
  // The Pareto view: the smaller FIFO is not dominated (less area, worse slack), nor is
  // the winner.
  ASSERT_EQ(t["rtl"]["configurations"].size(), 2U);
  for (const nlohmann::json& c : t["rtl"]["configurations"]) EXPECT_TRUE(c["pareto_optimal"]);
  EXPECT_NE(r.output.find("pareto"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("rtl.nic.RxFifoBytes=8192"), std::string::npos) << r.output;

  // The 4096 variant's binary ran the small candidate; 8192 ran on irqlab itself.
  const std::filesystem::path variant = t["rtl"]["configurations"][0]["binary"].get<std::string>();
  EXPECT_NE(variant, std::filesystem::path(IRQLAB_BINARY));
  EXPECT_EQ(t["rtl"]["configurations"][1]["binary"].get<std::string>(),
            std::filesystem::canonical(IRQLAB_BINARY).string());
  // Built as a test model (run_tune sets IRQLAB_RTL_TEST_MODEL=1): at -O1, in a directory
  // of its own (<cache>/<hash>/build/irqlab).
  const nlohmann::json record = read_json(variant.parent_path().parent_path() / "variant.json");
  EXPECT_EQ(record["test_model"], true) << record.dump();
  EXPECT_NE(read_text(variant.parent_path() / "CMakeCache.txt")
                .find("IRQLAB_RTL_VARIANT_TEST_MODEL:BOOL=ON"),
            std::string::npos);
  // results.json of the small candidate says which RTL it simulated.
  const nlohmann::json results =
      read_json(first / "cases" / small["case"].get<std::string>() / "results.json");
  bool found = false;
  for (const nlohmann::json& d : results["scenario"]["rtl"]["devices"])
    if (d["name"] == "nic") {
      EXPECT_EQ(d["parameters"]["RxFifoBytes"], 4096);
      found = true;
    }
  EXPECT_TRUE(found);

  // A second tune builds nothing: every configuration comes from the cache, unchanged.
  struct stat before {};
  ASSERT_EQ(stat(variant.c_str(), &before), 0);
  const std::filesystem::path second = scratch("second");
  const ProcessResult again = tune(second);
  ASSERT_EQ(again.exit_status, 0) << again.output;
  EXPECT_EQ(again.output.find("building RTL configuration"), std::string::npos) << again.output;
  const nlohmann::json t2 = read_json(second / "tune.json");
  for (const nlohmann::json& c : t2["rtl"]["configurations"]) EXPECT_FALSE(c["built_now"]);
  struct stat after {};
  ASSERT_EQ(stat(variant.c_str(), &after), 0);
  EXPECT_EQ(before.st_mtim.tv_sec, after.st_mtim.tv_sec);
  EXPECT_EQ(before.st_mtim.tv_nsec, after.st_mtim.tv_nsec);
  EXPECT_EQ(t2["candidates"][0]["drops"], small["drops"]);
}

// Bad input is refused before anything is built (exit 2, file, line and key).
ProcessResult tune_with_space(const std::string& space) {
  return tune(scratch("bad"), " -c 'tune.space=" + space + "'");
}

TEST(TuneRtl, AnUnknownRtlParameterIsRefusedWithTheTunableList) {
  const ProcessResult r = tune_with_space("[{key: rtl.nic.TxFifoBytes, values: [4096, 8192]}]");
  EXPECT_EQ(r.exit_status, 2) << r.output;
  EXPECT_NE(r.output.find("'rtl.nic.TxFifoBytes' is not a tunable RTL parameter"),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("rtl.nic.RxFifoBytes, rtl.plic.priority_bits"), std::string::npos)
      << r.output;
}

TEST(TuneRtl, AValueBeyondTheDescriptionsMaximumIsRefused) {
  // rtl/soc/soc.yaml, tunable: nic.RxFifoBytes 2048..65536, powers of two.
  const ProcessResult r = tune_with_space("[{key: rtl.nic.RxFifoBytes, values: [8192, 131072]}]");
  EXPECT_EQ(r.exit_status, 2) << r.output;
  EXPECT_NE(r.output.find("rtl.nic.RxFifoBytes 131072 is outside the RTL's range 2048..65536"),
            std::string::npos)
      << r.output;
  const ProcessResult odd = tune_with_space("[{key: rtl.nic.RxFifoBytes, values: [8192, 6000]}]");
  EXPECT_EQ(odd.exit_status, 2) << odd.output;
  EXPECT_NE(odd.output.find("6000 is not a power of two"), std::string::npos) << odd.output;
}

TEST(TuneRtl, APriorityParameterTheNarrowestPlicHoldsNoValueOfIsRefused) {
  // 2 priority bits hold priorities 1..3: that configuration would have no candidate.
  const ProcessResult r = tune_with_space(
      "[{key: rtl.plic.priority_bits, values: [2, 3]}, {key: nic.priority, values: [5, 7]}]");
  EXPECT_EQ(r.exit_status, 2) << r.output;
  EXPECT_NE(r.output.find("tune.space: nic.priority lists no value the PLIC of "
                          "rtl.plic.priority_bits 2 holds (up to 3"),
            std::string::npos)
      << r.output;
}

TEST(TuneRtl, ListShowsTheRtlParameters) {
  const ProcessResult r = run_irqlab("list");
  ASSERT_EQ(r.exit_status, 0) << r.output;
  EXPECT_NE(r.output.find("rtl.nic.RxFifoBytes  2048..65536, powers of two"), std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("rtl.plic.priority_bits  1..8"), std::string::npos) << r.output;
}

}  // namespace tune_rtl_test
}  // namespace irqlab::test
