// A run that SystemC has no event left for before its end (cosim/run/simulation_loop.h):
// the real CPU model, lazy clock and Verilated SoC, with a scripted kernel client in place
// of the kernel. Hart 0 switches to a context whose code returns, so its boot context
// never resumes: the run must stop, stuck, at that context's last cycle. Harts that only
// sleep in WFI after some work are a quiet machine: the run must reach its end.
//
// SystemC runs one simulation per process: ctest runs each test in its own process
// (gtest_discover_tests); run the binary by hand with --gtest_filter on one test.
#include <functional>
#include <gtest/gtest.h>
#include <optional>
#include <string>
#include <systemc>
#include <vector>

#include "bridge/tlul_bridge.h"
#include "cpu/cpu.h"
#include "log/progress_line.h"
#include "rtl/rtl_domain.h"
#include "run/run_control.h"
#include "run/simulation_loop.h"
#include "sync/lazy_clock.h"

namespace irqlab::cosim {
namespace stuck_run_test {

constexpr std::uint64_t kPeriodPs = 10'000;
constexpr Cycle kEnd = 100'000;
// Hart 0 works kBootWork cycles, then switches to a new context, which works kLastWork
// cycles and returns: nothing is left to run after cycle kBootWork + kLastWork.
constexpr Cycle kBootWork = 1'000;
constexpr Cycle kLastWork = 234;
constexpr Cycle kStuckAt = kBootWork + kLastWork;

// Each hart runs its script in its boot context; names the contexts it created.
class ScriptedClient : public kernel::MachineClient {
 public:
  ScriptedClient(kernel::Machine& machine, std::vector<std::function<void()>> scripts)
      : machine_(machine), scripts_(std::move(scripts)) {}
  void boot_hart() override { scripts_[machine_.cpu_id()](); }
  void external_interrupt() override { FAIL() << "no interrupt source is enabled"; }
  std::string describe_context(kernel::ContextId context) const override {
    return context == last_context ? "LWP 7 (returner)" : "";
  }
  std::optional<kernel::ContextId> last_context;

 private:
  kernel::Machine& machine_;
  std::vector<std::function<void()>> scripts_;
};

struct Machine {
  Machine()
      : rtl(kPeriodPs, std::nullopt),
        clock("clock", rtl, sc_core::sc_time(static_cast<double>(kPeriodPs), sc_core::SC_PS), 2,
              kEnd),
        cpu("cpu", 2, clock.period(), models::InstructionLengths{1, 1}, 1, clock),
        bridge("bridge", clock) {
    cpu.bus.bind(bridge.target);
  }
  // The whole run, in pieces of `piece` cycles (0: one piece).
  void simulate_to_end(Cycle piece) {
    const Watchdog watchdog({});
    ProgressLine progress("test", kEnd, false);
    EXPECT_EQ(simulate(clock, cpu, kEnd, watchdog, progress, Pieces{piece}), std::nullopt);
  }

  RtlDomain rtl;
  LazyClock clock;
  models::Cpu cpu;
  TlulBridge bridge;
};

void sleep_forever(kernel::Machine& m) {
  for (;;) m.wait_for_interrupt();
}

// The piece length: one piece; pieces that end before, at and after the last event.
class StuckRun : public testing::TestWithParam<Cycle> {};

TEST_P(StuckRun, AHartWhoseContextNeverResumesStopsTheRunAtItsLastCycle) {
  Machine m;
  ScriptedClient client(m.cpu, {[&] {
                                  m.cpu.consume(kBootWork);
                                  client.last_context =
                                      m.cpu.create_context([&] { m.cpu.consume(kLastWork); });
                                  m.cpu.switch_context(*client.last_context);
                                  ADD_FAILURE() << "hart 0's boot context resumed";
                                },
                                [&] { sleep_forever(m.cpu); }});
  m.cpu.attach(client);
  std::string error;
  try {
    m.simulate_to_end(GetParam());
  } catch (const SimulationStuck& e) {
    error = e.what();
  }
  // Boot contexts 0 and 1, then the one hart 0 made (2).
  EXPECT_EQ(error, "stuck at cycle " + std::to_string(kStuckAt) +
                       ": no event left before the end of the run (cycle " + std::to_string(kEnd) +
                       ") and not every hart idle; hart 0: halted at cycle " +
                       std::to_string(kStuckAt) +
                       ": the code of context 2 (LWP 7 (returner)) returned; hart 1: idle in "
                       "wait-for-interrupt in context 1 since cycle 0");
  // SystemC stays at the last event; the RTL went no further than the stuck hart.
  EXPECT_EQ(m.clock.now(), kStuckAt);
  EXPECT_EQ(m.rtl.cycle(), kStuckAt);
}

INSTANTIATE_TEST_SUITE_P(Pieces, StuckRun,
                         testing::Values(Cycle{0}, Cycle{100}, kStuckAt / 2, kStuckAt,
                                         Cycle{5'000}));

// The scheduler bug this detection was made for: hart 0 switches to a context that is
// running on hart 1 (an LWP queued twice), so the resume is lost and hart 0's boot context
// waits for ever; hart 1 finishes the context's work and sleeps. Nothing runs after
// cycle kLastWork, the end of that work.
TEST(StuckRun, AHartThatSwitchesToAContextRunningElsewhereWaitsForEver) {
  Machine m;
  constexpr Cycle kSwitchAt = 100;
  static_assert(kSwitchAt < kLastWork);
  ScriptedClient client(m.cpu, {[&] {
                                  m.cpu.consume(kSwitchAt);
                                  m.cpu.switch_context(*client.last_context);
                                  ADD_FAILURE() << "hart 0's boot context resumed";
                                },
                                [&] {
                                  client.last_context = m.cpu.create_context([&] {
                                    m.cpu.consume(kLastWork);
                                    sleep_forever(m.cpu);
                                  });
                                  m.cpu.switch_context(*client.last_context);
                                }});
  m.cpu.attach(client);
  std::string error;
  try {
    m.simulate_to_end(0);
  } catch (const SimulationStuck& e) {
    error = e.what();
  }
  EXPECT_EQ(error, "stuck at cycle " + std::to_string(kLastWork) +
                       ": no event left before the end of the run (cycle " + std::to_string(kEnd) +
                       ") and not every hart idle; hart 0: switched from context 0 to context 2 "
                       "(LWP 7 (returner)) at cycle " +
                       std::to_string(kSwitchAt) +
                       ", which never resumed; hart 1: idle in wait-for-interrupt in context 2 "
                       "(LWP 7 (returner)) since cycle " +
                       std::to_string(kLastWork));
  EXPECT_EQ(m.clock.now(), kLastWork);
}

class QuietRun : public testing::TestWithParam<Cycle> {};

TEST_P(QuietRun, HartsIdleInWaitForInterruptRunToTheEnd) {
  Machine m;
  ScriptedClient client(m.cpu, {[&] {
                                  m.cpu.consume(kBootWork);
                                  sleep_forever(m.cpu);
                                },
                                [&] {
                                  m.cpu.consume(kStuckAt);
                                  sleep_forever(m.cpu);
                                }});
  m.cpu.attach(client);
  m.simulate_to_end(GetParam());
  EXPECT_EQ(m.clock.now(), kEnd);
  EXPECT_EQ(m.rtl.cycle(), kEnd);  // the RTL stepper ran it to the end while both slept
  EXPECT_EQ(m.cpu.failure(), std::nullopt);
}

INSTANTIATE_TEST_SUITE_P(Pieces, QuietRun, testing::Values(Cycle{0}, Cycle{100}, kStuckAt));

}  // namespace stuck_run_test
}  // namespace irqlab::cosim
