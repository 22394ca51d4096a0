// The fake machine's own tests: scheduling order, MMIO cost and recording, sleeping,
// step-boundary delivery, the PLIC and timer models, contexts.
#include <gtest/gtest.h>

#include <functional>
#include <utility>

#include "machine/bus_error.h"
#include "test_support.h"

namespace irqlab::kernel::test {
namespace fake_machine_test {

struct LambdaClient : MachineClient {
  std::function<void()> boot;
  std::function<void()> irq = [] {};
  void boot_hart() override { boot(); }
  void external_interrupt() override { irq(); }
};

TEST(FakeMachine, RunsLowestCycleHartFirstTiesToLowerId) {
  FakeMachine m(2, test_platform(2), kMmio);
  std::vector<std::pair<unsigned, Cycle>> log;
  LambdaClient c;
  c.boot = [&] {
    const std::vector<Cycle> steps =
        m.cpu_id() == 0 ? std::vector<Cycle>{10, 10, 10} : std::vector<Cycle>{15, 5, 10};
    for (Cycle n : steps) {
      m.consume(n);
      log.emplace_back(m.cpu_id(), m.now());
    }
  };
  m.attach(c);
  m.run_until(FakeMachine::kNever);
  const std::vector<std::pair<unsigned, Cycle>> want{{0, 10}, {1, 15}, {0, 20},
                                                     {1, 20}, {0, 30}, {1, 30}};
  EXPECT_EQ(log, want);
}

TEST(FakeMachine, RunUntilStopsBeforeEndAndResumes) {
  FakeMachine m(1, test_platform(1), kMmio);
  LambdaClient c;
  c.boot = [&] {
    for (int i = 0; i < 10; ++i) m.consume(100);
  };
  m.attach(c);
  m.run_until(350);
  EXPECT_EQ(m.cycle_of(0), 400u);  // the step that crosses 350 has been issued
  m.run_until(FakeMachine::kNever);
  EXPECT_EQ(m.cycle_of(0), 1000u);
}

TEST(FakeMachine, MmioCostsFixedCyclesAndIsRecordedAtIssue) {
  FakeMachine m(1, test_platform(1), kMmio);
  LambdaClient c;
  std::uint32_t read_back = 0;
  c.boot = [&] {
    m.consume(10);
    m.mmio_write(plic_prio(5), 6);
    read_back = m.mmio_read(plic_prio(5));
    EXPECT_EQ(m.now(), 10 + 2 * kMmio);
  };
  m.attach(c);
  m.run_until(FakeMachine::kNever);
  EXPECT_EQ(read_back, 6u);
  const std::vector<MmioAccess> want{{10, 0, plic_prio(5), 6, true},
                                     {10 + kMmio, 0, plic_prio(5), 6, false}};
  EXPECT_EQ(m.accesses(), want);
}

TEST(FakeMachine, UnmappedAccessRaisesBusErrorFromRun) {
  FakeMachine m(1, test_platform(1), kMmio);
  LambdaClient c;
  c.boot = [&] { m.mmio_read(0x40000000); };
  m.attach(c);
  try {
    m.run_until(FakeMachine::kNever);
    FAIL() << "no BusError";
  } catch (const BusError& e) {
    EXPECT_EQ(e.address, 0x40000000u);
    EXPECT_FALSE(e.write);
    EXPECT_STREQ(e.what(), "bus error: read of 0x40000000: no device at this address");
  }
}

TEST(FakeMachine, WaitForInterruptSleepsUntilLineRisesWithoutSpinning) {
  FakeMachine m(1, test_platform(1), kMmio);
  LambdaClient c;
  Cycle trap_at = 0;
  bool enabled_in_trap = true;
  std::uint32_t claimed = 0;
  c.boot = [&] {
    m.mmio_write(plic_prio(3), 1);
    m.mmio_write(plic_enable(0, 0), 1u << 3);
    m.set_interrupts_enabled(true);
    m.wait_for_interrupt();
    EXPECT_TRUE(m.interrupts_enabled());
    m.set_interrupts_enabled(false);
    m.wait_for_interrupt();  // line low, interrupts off: sleeps for good
  };
  c.irq = [&] {
    trap_at = m.now();
    enabled_in_trap = m.interrupts_enabled();
    claimed = m.mmio_read(plic_claim(0));
    m.mmio_write(plic_claim(0), claimed);
  };
  m.attach(c);
  m.pulse_source(3, 1'000'000);
  m.run_until(FakeMachine::kNever);
  EXPECT_EQ(trap_at, 1'000'000u);
  EXPECT_FALSE(enabled_in_trap);
  EXPECT_EQ(claimed, 3u);
  EXPECT_TRUE(m.sleeping(0));
  EXPECT_LE(m.resumes(), 8u);  // one per step, none while asleep
}

TEST(FakeMachine, InterruptRaisedInsideStepIsTakenAtItsBoundary) {
  FakeMachine m(1, test_platform(1), kMmio);
  LambdaClient c;
  std::vector<Cycle> traps;
  c.boot = [&] {
    m.set_interrupts_enabled(true);
    m.consume(1000);
    m.consume(1000);
  };
  c.irq = [&] {
    traps.push_back(m.now());
    m.mmio_read(plic_claim(0));  // drops the forced line
  };
  m.attach(c);
  m.raise_line(0, 400);
  m.run_until(FakeMachine::kNever);
  EXPECT_EQ(traps, std::vector<Cycle>{1000});
}

TEST(FakeMachine, NoTrapWhileInterruptsDisabledOrBelowThreshold) {
  FakeMachine m(1, test_platform(1), kMmio);
  LambdaClient c;
  std::vector<Cycle> traps;
  c.boot = [&] {
    m.mmio_write(plic_prio(2), 3);
    m.mmio_write(plic_enable(0, 0), 1u << 2);
    m.mmio_write(plic_threshold(0), 3);  // priority 3 <= threshold 3: masked
    m.consume(100);                      // pulse lands here, interrupts still off
    m.set_interrupts_enabled(true);
    m.consume(100);                      // masked by the threshold
    m.mmio_write(plic_threshold(0), 2);  // unmasked: taken at this write's boundary
  };
  c.irq = [&] {
    traps.push_back(m.now());
    const std::uint32_t id = m.mmio_read(plic_claim(0));
    m.mmio_write(plic_claim(0), id);
  };
  m.attach(c);
  m.pulse_source(2, 50);
  m.run_until(FakeMachine::kNever);
  EXPECT_EQ(traps, std::vector<Cycle>{3 * kMmio + 100 + 100 + kMmio});
}

TEST(FakeMachine, PlicClaimsHighestPriorityTiesToLowerIdThenZero) {
  FakeMachine m(1, test_platform(1), kMmio);
  LambdaClient c;
  std::vector<std::uint32_t> claims;
  c.boot = [&] {
    m.mmio_write(plic_prio(2), 3);
    m.mmio_write(plic_prio(5), 3);
    m.mmio_write(plic_prio(7), 6);
    m.mmio_write(plic_enable(0, 0), (1u << 2) | (1u << 5) | (1u << 7));
    m.consume(100);
    for (int i = 0; i < 4; ++i) claims.push_back(m.mmio_read(plic_claim(0)));
  };
  m.attach(c);
  for (unsigned s : {2u, 5u, 7u}) m.pulse_source(s, 50);
  m.run_until(FakeMachine::kNever);
  EXPECT_EQ(claims, (std::vector<std::uint32_t>{7, 2, 5, 0}));
}

TEST(FakeMachine, TimerLevelSetsStateAtCompareAndRepeatsUntilMoved) {
  FakeMachine m(1, test_platform(1), kMmio);
  LambdaClient c;
  Cycle active_at = 0, trap_at = 0;
  std::vector<std::uint32_t> state;
  c.boot = [&] {
    m.mmio_write(plic_prio(1), 1);
    m.mmio_write(plic_enable(0, 0), 1u << 1);
    m.mmio_write(timer_reg(0, kCmpHi), 0);
    m.mmio_write(timer_reg(0, kCmpLo), 100);
    m.mmio_write(timer_reg(0, kIntrEnable), 1);
    active_at = m.now();
    m.mmio_write(timer_ctrl(), 1);
    m.set_interrupts_enabled(true);
    for (;;) m.wait_for_interrupt();
  };
  c.irq = [&] {
    if (trap_at != 0) return;
    trap_at = m.now();
    m.mmio_read(plic_claim(0));
    m.mmio_write(timer_reg(0, kIntrState), 1);  // compare not moved: re-set at once
    state.push_back(m.mmio_read(timer_reg(0, kIntrState)));
    m.mmio_write(timer_reg(0, kCmpLo), 1000);
    m.mmio_write(timer_reg(0, kIntrState), 1);
    state.push_back(m.mmio_read(timer_reg(0, kIntrState)));
    m.mmio_write(plic_claim(0), 1);
  };
  m.attach(c);
  m.run_until(800);
  EXPECT_EQ(trap_at, active_at + 100);
  EXPECT_EQ(state, (std::vector<std::uint32_t>{1, 0}));
  EXPECT_TRUE(m.sleeping(0));
}

TEST(FakeMachine, TimerPrescaleAndStepScaleMtime) {
  FakeMachine m(1, test_platform(1), kMmio);
  LambdaClient c;
  Cycle active_at = 0;
  c.boot = [&] {
    m.mmio_write(timer_reg(0, kCfg), 3 | (2u << 16));  // +2 every 4 cycles
    active_at = m.now();
    m.mmio_write(timer_ctrl(), 1);
  };
  m.attach(c);
  m.run_until(FakeMachine::kNever);
  EXPECT_EQ(m.device<FakeTimer>("timer").mtime(0, active_at + 3), 0u);
  EXPECT_EQ(m.device<FakeTimer>("timer").mtime(0, active_at + 4), 2u);
  EXPECT_EQ(m.device<FakeTimer>("timer").mtime(0, active_at + 4000), 2000u);
}

TEST(FakeMachine, ContextsRunOnTheirOwnStacks) {
  FakeMachine m(1, test_platform(1), kMmio);
  LambdaClient c;
  std::vector<int> trace;
  c.boot = [&] {
    const ContextId boot = m.current_context();
    ContextId a = 0;
    a = m.create_context([&] {
      int local = 1;
      trace.push_back(local);
      m.switch_context(boot);
      m.consume(5);  // a context steps and yields like any other code
      trace.push_back(local + 10);
      m.switch_context(boot);
    });
    int mine = 100;
    m.switch_context(a);
    EXPECT_EQ(m.current_context(), boot);
    trace.push_back(mine);
    m.switch_context(a);
    trace.push_back(mine + 1);
    EXPECT_EQ(m.now(), 5u);
  };
  m.attach(c);
  m.run_until(FakeMachine::kNever);
  EXPECT_EQ(trace, (std::vector<int>{1, 100, 11, 101}));
}

}  // namespace fake_machine_test
}  // namespace irqlab::kernel::test
