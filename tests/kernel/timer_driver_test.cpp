// The periodic tick: programming at boot, exact period, compare-then-clear order, the
// safe 64-bit compare write.
#include <gtest/gtest.h>

#include "test_support.h"

namespace irqlab::kernel::test {
namespace timer_driver_test {

using K = TraceKind;

KernelConfig ticking(std::uint64_t period, unsigned prescale = 0, unsigned step = 1) {
  KernelConfig k = test_config(1);
  k.tick = {period, prescale, step, 2};
  return k;
}

// Cycle at which hart `hart` set its CTRL bit (mtime starts counting there).
Cycle ctrl_write(const FakeMachine& m, unsigned hart) {
  for (const MmioAccess& a : m.accesses())
    if (a.write && a.addr == timer_ctrl() && a.hart == hart) return a.cycle;
  ADD_FAILURE() << "no CTRL write";
  return 0;
}

std::vector<MmioAccess> accesses_from(const FakeMachine& m, Cycle from) {
  std::vector<MmioAccess> out;
  for (const MmioAccess& a : m.accesses())
    if (a.cycle >= from) out.push_back(a);
  return out;
}

TEST(TimerDriver, TickReprogramsCompareBeforeClearingState) {
  Rig rig(ticking(1000));
  const CostProfile c = rig.kernel->config().costs;
  rig.machine.run_until(1500);
  const Cycle t1 = ctrl_write(rig.machine, 0) + 1000;
  const Cycle start = t1 + c.trap_entry + kMmio + c.irq_dispatch;
  const Cycle end = start + 2 * kMmio + c.tick_handler;
  const std::vector<MmioAccess> want{
      {t1 + c.trap_entry, 0, plic_claim(0), 1, false},
      {start, 0, timer_reg(0, kCmpLo), 2000, true},  // high word unchanged: low word alone
      {start + kMmio, 0, timer_reg(0, kIntrState), 1, true},
      {end, 0, plic_claim(0), 1, true},
      {end + kMmio, 0, plic_claim(0), 0, false},  // level dropped: nothing re-pended
  };
  EXPECT_EQ(accesses_from(rig.machine, t1), want);
  const std::vector<Ev> exits{{end + 2 * kMmio + c.trap_exit, 0, K::TrapExit, 0}};
  EXPECT_EQ(rig.trace.of(K::TrapExit), exits);
  EXPECT_EQ(rig.kernel->stats().cpus[0].ticks, 1u);
}

TEST(TimerDriver, PeriodIsExactInCycles) {
  Rig rig(ticking(1000));
  rig.machine.run_until(4000);
  const Cycle first = ctrl_write(rig.machine, 0) + 1000;
  const std::vector<Ev> want{{first, 0, K::TrapEnter, 0},
                             {first + 1000, 0, K::TrapEnter, 0},
                             {first + 2000, 0, K::TrapEnter, 0}};
  EXPECT_EQ(rig.trace.of(K::TrapEnter), want);
  EXPECT_EQ(rig.kernel->stats().cpus[0].ticks, 3u);
  EXPECT_EQ(rig.kernel->stats().cpus[0].spurious, 0u);
}

TEST(TimerDriver, PrescaleAndStepSetTickPeriod) {
  // mtime += 2 every 3 + 1 cycles: 1000 mtime units are 2000 cycles.
  Rig rig(ticking(1000, 3, 2));
  rig.machine.run_until(6500);
  const Cycle first = ctrl_write(rig.machine, 0) + 2000;
  const std::vector<Ev> want{{first, 0, K::TrapEnter, 0},
                             {first + 2000, 0, K::TrapEnter, 0},
                             {first + 4000, 0, K::TrapEnter, 0}};
  EXPECT_EQ(rig.trace.of(K::TrapEnter), want);
}

TEST(TimerDriver, BootProgramsCfgReadsMtimeAndArmsCompare) {
  Rig rig(ticking(0x800, 0, 1));
  rig.machine.device<FakeTimer>("timer").set_mtime(0, 0xFFFFF000);
  rig.machine.run_until(1000);
  const Cycle cfg = rig.kernel->config().costs.boot + 3 * kMmio;  // prio, enable, threshold
  const std::vector<MmioAccess> want{
      {cfg, 0, timer_reg(0, kCfg), 0 | 1u << 16, true},
      {cfg + 1 * kMmio, 0, timer_reg(0, kMtimeLo), 0xFFFFF000, false},
      {cfg + 2 * kMmio, 0, timer_reg(0, kMtimeHi), 0, false},
      {cfg + 3 * kMmio, 0, timer_reg(0, kCmpLo), 0xFFFFFFFF, true},  // first write: full sequence
      {cfg + 4 * kMmio, 0, timer_reg(0, kCmpHi), 0, true},
      {cfg + 5 * kMmio, 0, timer_reg(0, kCmpLo), 0xFFFFF800, true},
      {cfg + 6 * kMmio, 0, timer_reg(0, kIntrEnable), 1, true},
      {cfg + 7 * kMmio, 0, timer_ctrl(), 1, true},
  };
  EXPECT_EQ(accesses_from(rig.machine, cfg), want);
}

TEST(TimerDriver, HighWordChangeParksLowWordFirst) {
  Rig rig(ticking(0x800, 0, 1));
  rig.machine.device<FakeTimer>("timer").set_mtime(0, 0xFFFFF000);
  rig.machine.run_until(10'000);
  const Cycle ctrl = ctrl_write(rig.machine, 0);
  std::vector<std::pair<Addr, std::uint32_t>> writes;
  for (const MmioAccess& a : accesses_from(rig.machine, ctrl + 1))
    if (a.write && a.addr != plic_claim(0)) writes.emplace_back(a.addr, a.value);
  const std::vector<std::pair<Addr, std::uint32_t>> want{
      // tick 1: deadline 0xFFFFF800 -> 0x1'0000'0000, the high word moves
      {timer_reg(0, kCmpLo), 0xFFFFFFFF},
      {timer_reg(0, kCmpHi), 1},
      {timer_reg(0, kCmpLo), 0},
      {timer_reg(0, kIntrState), 1},
      // tick 2: 0x1'0000'0800, low word only
      {timer_reg(0, kCmpLo), 0x800},
      {timer_reg(0, kIntrState), 1},
  };
  ASSERT_GE(writes.size(), want.size());
  writes.resize(want.size());
  EXPECT_EQ(writes, want);
  EXPECT_EQ(rig.trace.of(K::TrapEnter).front(), (Ev{ctrl + 0x800, 0, K::TrapEnter, 0}));
}

}  // namespace timer_driver_test
}  // namespace irqlab::kernel::test
