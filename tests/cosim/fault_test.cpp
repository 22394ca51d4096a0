// Faults inside the simulation (docs/reliability.md): a deadlock, a bus error and a failing
// RTL assertion each stop the run with a report that names what happened, where and when,
// and every output is still written. The expected graph, addresses and cycles follow from
// each case's construction and the documented bus timing, not from the code under test.
#include <gtest/gtest.h>
#include <regex>

#include "e2e_support.h"
#include "rtl/rtl_assertions.h"
#include "rtl/rtl_domain.h"

namespace irqlab::test {
namespace fault_test {

std::string one_hart_scenario(const std::string& body, std::uint64_t cycles = 200000) {
  return "seed: 1\nduration_cycles: " + std::to_string(cycles) +
         "\nplatform:\n  harts: 1\n  clock_period_ps: 10000\n"
         "  bus: { request_cycles: 1, response_cycles: 1 }\n"
         "kernel:\n  cost_profile: " +
         kCostProfile + "\n  tick_period: 0\n  personality: linux\n" + body;
}

// The run failed with exit status 1, wrote results.json (read_results checks the schema)
// and closed its FST (no sidecar left).
void expect_failed_with_outputs(const RunOutput& r) {
  EXPECT_EQ(r.process.exit_status, 1) << r.process.output;
  EXPECT_EQ(r.results["status"], "failed");
  EXPECT_TRUE(std::filesystem::exists(r.dir / "out/waves.fst"));
  EXPECT_FALSE(std::filesystem::exists(r.dir / "out/waves.fst.hier"));
  EXPECT_TRUE(std::filesystem::exists(r.dir / "out/waves.gtkw"));
}

// The cycle in the panic's "lwp N (name), cycle C" line.
std::uint64_t panic_cycle(const std::string& error, const std::string& lwp) {
  std::smatch m;
  const std::regex line("lwp [0-9]+ \\(" + lwp + "\\), cycle ([0-9]+)");
  if (!std::regex_search(error, m, line)) return 0;
  return std::stoull(m[1].str());
}

// ABBA on one hart, an order fixed by construction: x takes a and yields to y (equal
// priority, queued behind it); y takes b and blocks on a, held by the runnable x; x runs
// again and blocks on b, which closes the cycle x -> b -> y -> a -> x.
TEST(Faults, AbbaDeadlockIsReportedWithItsLockGraph) {
  const RunOutput r = run_scenario(
      "fault_deadlock", one_hart_scenario("locks: [a, b]\nthreads:\n"
                                          "  - {name: x, steps: [{lock: a}, yield, {lock: b}]}\n"
                                          "  - {name: y, steps: [{lock: b}, {lock: a}]}\n"));
  expect_failed_with_outputs(r);
  const std::string error = r.results["error"];
  EXPECT_NE(error.find("deadlock: wait-for cycle: "), std::string::npos) << error;
  EXPECT_NE(error.find("(x) waits for b held by "), std::string::npos) << error;
  EXPECT_NE(error.find("(y), which waits for a held by "), std::string::npos) << error;
  const nlohmann::json& d = r.results["deadlock"];
  EXPECT_EQ(d["kind"], "wait_for_cycle");
  EXPECT_EQ(d["waits"], nlohmann::json::parse(R"([
      {"lwp": "x", "waits_for": "b", "held_by": "y"},
      {"lwp": "y", "waits_for": "a", "held_by": "x"}])"));
  EXPECT_EQ(d["cycle_in_graph"], nlohmann::json::parse(R"(["x", "y"])"));
  // Found when x blocked, the cycle of the panic, at which the run stopped.
  EXPECT_EQ(d["cycle"].get<std::uint64_t>(), panic_cycle(error, "x"));
  EXPECT_LE(d["cycle"].get<std::uint64_t>(), r.results["simulated_cycles"].get<std::uint64_t>());
}

TEST(Faults, LocksTakenInOneOrderDoNotDeadlock) {
  const RunOutput r = run_scenario(
      "fault_no_deadlock",
      one_hart_scenario(
          "locks: [a, b]\nthreads:\n"
          "  - {name: x, steps: [{lock: a}, yield, {lock: b}, {unlock: b}, {unlock: a}]}\n"
          "  - {name: y, steps: [{lock: a}, {lock: b}, {unlock: b}, {unlock: a}]}\n"));
  EXPECT_EQ(r.process.exit_status, 0) << r.process.output;
  EXPECT_EQ(r.results["status"], "ok");
  EXPECT_FALSE(r.results.contains("deadlock"));
}

// A kernel read where nothing answers: outside every window of the harts' bus (the router
// answers) and inside the SoC's register window where no device is (the SoC answers d_error).
RunOutput read_at(const std::string& name, const std::string& address) {
  return run_scenario(name,
                      one_hart_scenario("threads:\n  - {name: prober, steps: [{kernel: 1000}, "
                                        "{read: " +
                                        address + "}]}\n"));
}

TEST(Faults, BusErrorsPanicWithTheAddressTheLwpAndTheCycle) {
  const RunOutput unmapped = read_at("fault_unmapped", "1073741824");  // 0x40000000
  expect_failed_with_outputs(unmapped);
  const std::string e1 = unmapped.results["error"];
  EXPECT_NE(e1.find("kernel panic: bus error: read of 0x40000000: TLM_ADDRESS_ERROR_RESPONSE"),
            std::string::npos)
      << e1;
  const std::uint64_t at_router = panic_cycle(e1, "prober");
  EXPECT_GE(at_router, 1000U) << e1;

  const RunOutput hole = read_at("fault_d_error", "402653184");  // 0x18000000
  expect_failed_with_outputs(hole);
  const std::string e2 = hole.results["error"];
  EXPECT_NE(e2.find("kernel panic: bus error: read of 0x18000000: TLM_ADDRESS_ERROR_RESPONSE"),
            std::string::npos)
      << e2;
  // The same history up to the read; the SoC's error comes after the interconnect's request
  // cycle and the TL-UL handshake (docs/architecture.md), the router's at once.
  EXPECT_EQ(panic_cycle(e2, "prober"), at_router + kRequestCycles + kHandshakeCycles) << e2;
}

// A test-only stimulus: the TL-UL host breaks the protocol by withdrawing a request before
// the adapter took it (AValidHeldUntilReady in rtl/bus/tlul_adapter_reg.sv). The adapter
// takes a request at the first edge and holds a_ready low in the next cycle (docs/rtl.md):
// a second request presented in cycle 1 is not taken at edge 2, and dropping it in cycle 2
// fails the assertion at edge 3.
TEST(Faults, FailingRtlAssertionStopsSteppingWithItsNameBlockAndCycle) {
  const std::filesystem::path dir = scratch_dir("fault_assertion");
  const std::filesystem::path fst = dir / "waves.fst";
  cosim::WaveOptions waves;
  waves.file = fst;
  waves.harts = 1;
  cosim::RtlDomain rtl(10000, waves);
  cosim::TlRequest read_priority;
  read_priority.address = 0x0C000004;
  rtl.drive_request(read_priority);
  rtl.step();  // edge 1: taken
  rtl.drive_request(read_priority);
  rtl.step();  // edge 2: not taken, a_ready low
  rtl.drive_idle();
  std::string failure;
  try {
    rtl.step();  // edge 3
  } catch (const cosim::RtlAssertionFailure& e) {
    failure = e.what();
  }
  EXPECT_NE(failure.find("RTL assertion failed at cycle 3: "), std::string::npos) << failure;
  EXPECT_NE(failure.find("AValidHeldUntilReady"), std::string::npos) << failure;
  EXPECT_NE(failure.find("Assertion failed in TOP.irqlab_cosim_top.u_soc."), std::string::npos)
      << failure;
  EXPECT_NE(failure.find("tlul_adapter_reg.sv:120)"), std::string::npos) << failure;
  rtl.close_waves();
  EXPECT_FALSE(std::filesystem::exists(dir / "waves.fst.hier"));
  EXPECT_NE(vcd_of(fst).find("$enddefinitions"), std::string::npos);
}

}  // namespace fault_test
}  // namespace irqlab::test
