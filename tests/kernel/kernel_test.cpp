// Boot order, the trap path's T1/T2/T5 cycles, step-boundary delivery, statistics.
#include <gtest/gtest.h>

#include "test_support.h"

namespace irqlab::kernel::test {
namespace kernel_test {

using K = TraceKind;
constexpr auto act = [](CpuActivity a) { return static_cast<std::uint32_t>(a); };

TEST(KernelBoot, ProgramsPrioritiesEnablesThresholdThenTimer) {
  KernelConfig k = test_config(1);
  k.tick = {1000, 0, 1, 2};
  k.injected.push_back({3, 4, 40, {}});
  Rig rig(k);
  rig.machine.run_until(1000);
  const Cycle b = k.costs.boot;
  const std::vector<MmioAccess> want{
      {b + 0 * kMmio, 0, plic_prio(1), 2, true},  // hart 0: priorities first
      {b + 1 * kMmio, 0, plic_prio(3), 4, true},
      {b + 2 * kMmio, 0, plic_enable(0, 0), (1u << 1) | (1u << 3), true},
      {b + 3 * kMmio, 0, plic_threshold(0), 0, true},
      {b + 4 * kMmio, 0, timer_reg(0, kCfg), 1u << 16, true},
      {b + 5 * kMmio, 0, timer_reg(0, kMtimeLo), 0, false},
      {b + 6 * kMmio, 0, timer_reg(0, kMtimeHi), 0, false},
      {b + 7 * kMmio, 0, timer_reg(0, kCmpLo), 0xFFFFFFFF, true},
      {b + 8 * kMmio, 0, timer_reg(0, kCmpHi), 0, true},
      {b + 9 * kMmio, 0, timer_reg(0, kCmpLo), 1000, true},
      {b + 10 * kMmio, 0, timer_reg(0, kIntrEnable), 1, true},
      {b + 11 * kMmio, 0, timer_ctrl(), 1, true},
  };
  EXPECT_EQ(rig.machine.accesses(), want);
  const std::vector<Ev> activity{{0, 0, K::Activity, act(CpuActivity::Kernel)},
                                 {b + 12 * kMmio, 0, K::Activity, act(CpuActivity::Idle)}};
  EXPECT_EQ(rig.trace.events, activity);
  EXPECT_TRUE(rig.machine.sleeping(0));
  EXPECT_TRUE(rig.machine.resumes() < 20u);  // idle does not spin
}

TEST(KernelBoot, EachHartProgramsOnlyItsOwnContextAndTimer) {
  KernelConfig k = test_config(2);
  k.tick = {1000, 0, 1, 2};
  k.injected.push_back({5, 1, 40, {1}});  // only on hart 1
  Rig rig(k);
  // Hart 0 writes the priorities of both timers, both IPIs and the injected source.
  rig.machine.run_until(3000);
  std::vector<std::pair<Addr, std::uint32_t>> hart1_writes;
  for (const MmioAccess& a : rig.machine.accesses())
    if (a.hart == 1 && a.write && a.cycle < 1000) hart1_writes.emplace_back(a.addr, a.value);
  const std::vector<std::pair<Addr, std::uint32_t>> want{
      {plic_enable(1, 0), (1u << 2) | (1u << 8) | (1u << 5)},  // timer, own IPI, injected
      {plic_threshold(1), 0},
      {timer_reg(1, kCfg), 1u << 16},
      {timer_reg(1, kCmpLo), 0xFFFFFFFF},
      {timer_reg(1, kCmpHi), 0},
      {timer_reg(1, kCmpLo), 1000},
      {timer_reg(1, kIntrEnable), 1},
      {timer_ctrl(), 2},  // hart 1 is ahead of hart 0, which writes priorities first
  };
  EXPECT_EQ(hart1_writes, want);
  // Hart 0's CTRL write, later, carries both bits: both harts tick, each on its own source.
  const std::vector<MmioAccess>& all = rig.machine.accesses();
  const auto last_ctrl = std::find_if(all.rbegin(), all.rend(),
                                      [](const MmioAccess& a) { return a.addr == timer_ctrl(); });
  ASSERT_NE(last_ctrl, all.rend());
  EXPECT_EQ(last_ctrl->hart, 0u);
  EXPECT_EQ(last_ctrl->value, 3u);
  const KernelStats s = rig.kernel->stats();
  EXPECT_EQ(s.cpus[0].ticks, 2u);
  EXPECT_EQ(s.cpus[1].ticks, 2u);
  EXPECT_EQ(s.sources[1].handled, 2u);
  EXPECT_EQ(s.sources[2].handled, 2u);
}

TEST(TrapPath, IdleHartTakesInterruptAtRaiseCycleAndStartsHandlerAtT2) {
  KernelConfig k = test_config(1);
  k.injected.push_back({3, 1, 40, {}});
  Rig rig(k);
  const CostProfile& c = k.costs;
  const Cycle t1 = 5000;
  rig.machine.pulse_source(3, t1);
  rig.machine.run_until(10'000);

  const Cycle t2 = t1 + c.trap_entry + kMmio /*claim*/ + c.irq_dispatch;
  const Cycle handler_end = t2 + 40;
  const Cycle t5 = handler_end + kMmio /*complete*/ + kMmio /*claim 0*/ + c.trap_exit;
  const std::vector<Ev> want{
      {t1, 0, K::TrapEnter, 0},
      {t1, 0, K::Activity, act(CpuActivity::Interrupt)},
      {t2 - c.irq_dispatch, 0, K::Claim, 3},
      {t2, 0, K::HandlerStart, 3},
      {handler_end, 0, K::HandlerEnd, 3},
      {handler_end + kMmio, 0, K::Complete, 3},
      {handler_end + 2 * kMmio, 0, K::Claim, 0},
      {t5, 0, K::TrapExit, 0},
      {t5, 0, K::Activity, act(CpuActivity::Idle)},
  };
  EXPECT_EQ(rig.trace.from(idle_cycle(c, 1) + 1), want);
  EXPECT_TRUE(rig.machine.sleeping(0));
  EXPECT_EQ(rig.kernel->stats().cpus[0].interrupts, 1u);
}

// Runs a busy step with interrupts enabled before handing the hart to the kernel.
struct BusyThenKernel : MachineClient {
  BusyThenKernel(Machine& m, Kernel& k, Cycle busy) : machine(m), kernel(k), busy(busy) {}
  void boot_hart() override {
    machine.set_interrupts_enabled(true);
    machine.consume(busy);
    kernel.boot_hart();
  }
  void external_interrupt() override { kernel.external_interrupt(); }
  Machine& machine;
  Kernel& kernel;
  Cycle busy;
};

TEST(TrapPath, InterruptRaisedInsideStepIsTakenAtStepBoundary) {
  KernelConfig k = test_config(1);
  k.injected.push_back({3, 1, 40, {}});
  Rig rig(k);
  BusyThenKernel client(rig.machine, *rig.kernel, 1000);
  rig.machine.attach(client);
  rig.machine.device<FakePlic>("plic").script_claims(0, {3});
  rig.machine.raise_line(0, 400);  // mid-step
  rig.machine.run_until(5000);

  const Cycle t1 = 1000;  // the step's boundary
  const Cycle t2 = t1 + k.costs.trap_entry + kMmio + k.costs.irq_dispatch;
  const Cycle t5 = t2 + 40 + 2 * kMmio + k.costs.trap_exit;
  EXPECT_EQ(rig.trace.of(K::TrapEnter), (std::vector<Ev>{{t1, 0, K::TrapEnter, 0}}));
  EXPECT_EQ(rig.trace.of(K::HandlerStart), (std::vector<Ev>{{t2, 0, K::HandlerStart, 3}}));
  EXPECT_EQ(rig.trace.of(K::TrapExit), (std::vector<Ev>{{t5, 0, K::TrapExit, 0}}));
  // The interrupted activity comes back, then boot runs from the trap's exit.
  const std::vector<Ev> activity{
      {t1, 0, K::Activity, act(CpuActivity::Interrupt)},
      {t5, 0, K::Activity, act(CpuActivity::Kernel)},
      {t5, 0, K::Activity, act(CpuActivity::Kernel)},
      {t5 + idle_cycle(k.costs, 1), 0, K::Activity, act(CpuActivity::Idle)}};
  EXPECT_EQ(rig.trace.of(K::Activity), activity);
}

TEST(KernelStats, CountsPerCpuAndPerSource) {
  KernelConfig k = test_config(2);
  k.injected.push_back({5, 1, 40, {1}});
  k.injected.push_back({6, 1, 10, {}});
  Rig rig(k);
  rig.machine.pulse_source(5, 2000);
  rig.machine.pulse_source(5, 3000);
  rig.machine.pulse_source(6, 4000);  // enabled on both: the lower hart id runs first and claims it
  rig.machine.run_until(10'000);
  const KernelStats s = rig.kernel->stats();
  ASSERT_EQ(s.cpus.size(), 2u);
  ASSERT_EQ(s.sources.size(), 32u);
  EXPECT_EQ(s.cpus[0].interrupts, 1u);
  EXPECT_EQ(s.cpus[1].interrupts, 3u);  // two for source 5, one spurious for source 6
  EXPECT_EQ(s.cpus[1].spurious, 1u);
  EXPECT_EQ(s.sources[5].handled, 2u);
  EXPECT_EQ(s.sources[6].handled, 1u);
  EXPECT_EQ(rig.trace.of(K::HandlerStart).back(),
            (Ev{4000 + k.costs.trap_entry + kMmio + k.costs.irq_dispatch, 0, K::HandlerStart, 6}));
}

}  // namespace kernel_test
}  // namespace irqlab::kernel::test
