// The PLIC driver as the trap path uses it: claim loop, completion, dispatch order,
// unhandled and spurious claims. Cycles follow from test_costs() and kMmio.
#include <gtest/gtest.h>

#include "test_support.h"

namespace irqlab::kernel::test {
namespace plic_driver_test {

using K = TraceKind;

KernelConfig two_sources() {
  KernelConfig k = test_config(1);
  k.injected.push_back({3, 2, 40, {}});
  k.injected.push_back({4, 5, 60, {}});
  return k;
}

TEST(PlicDriver, ClaimsUntilZeroAndCompletesEach) {
  Rig rig(two_sources());
  const CostProfile c = rig.kernel->config().costs;
  const Cycle t1 = 2000;
  rig.machine.device<FakePlic>("plic").script_claims(0, {3, 4});
  rig.machine.raise_line(0, t1);
  rig.machine.run_until(10'000);

  const Cycle claim1 = t1 + c.trap_entry;
  const Cycle complete3 = claim1 + kMmio + c.irq_dispatch + 40;
  const Cycle claim2 = complete3 + kMmio;
  const Cycle complete4 = claim2 + kMmio + c.irq_dispatch + 60;
  const Cycle claim3 = complete4 + kMmio;
  std::vector<MmioAccess> trap(rig.machine.accesses().end() - 5, rig.machine.accesses().end());
  const std::vector<MmioAccess> want{{claim1, 0, plic_claim(0), 3, false},
                                     {complete3, 0, plic_claim(0), 3, true},
                                     {claim2, 0, plic_claim(0), 4, false},
                                     {complete4, 0, plic_claim(0), 4, true},
                                     {claim3, 0, plic_claim(0), 0, false}};
  EXPECT_EQ(trap, want);
  EXPECT_EQ(rig.trace.of(K::TrapEnter).size(), 1u);
  const std::vector<Ev> claims{{claim1 + kMmio, 0, K::Claim, 3},
                               {claim2 + kMmio, 0, K::Claim, 4},
                               {claim3 + kMmio, 0, K::Claim, 0}};
  EXPECT_EQ(rig.trace.of(K::Claim), claims);
  const std::vector<Ev> completes{{complete3 + kMmio, 0, K::Complete, 3},
                                  {complete4 + kMmio, 0, K::Complete, 4}};
  EXPECT_EQ(rig.trace.of(K::Complete), completes);
}

TEST(PlicDriver, DispatchesTwoPendingSourcesInPlicPriorityOrder) {
  Rig rig(two_sources());
  const CostProfile c = rig.kernel->config().costs;
  const Cycle t1 = 2000;
  rig.machine.pulse_source(3, t1);  // priority 2
  rig.machine.pulse_source(4, t1);  // priority 5: claimed first
  rig.machine.run_until(10'000);

  const Cycle start4 = t1 + c.trap_entry + kMmio + c.irq_dispatch;
  const Cycle end4 = start4 + 60;
  const Cycle start3 = end4 + kMmio /*complete*/ + kMmio /*claim*/ + c.irq_dispatch;
  const Cycle end3 = start3 + 40;
  const Cycle t5 = end3 + kMmio /*complete*/ + kMmio /*claim 0*/ + c.trap_exit;
  const std::vector<Ev> want{
      {t1, 0, K::TrapEnter, 0},
      {t1, 0, K::Activity, static_cast<std::uint32_t>(CpuActivity::Interrupt)},
      {start4 - c.irq_dispatch, 0, K::Claim, 4},
      {start4, 0, K::HandlerStart, 4},
      {end4, 0, K::HandlerEnd, 4},
      {end4 + kMmio, 0, K::Complete, 4},
      {start3 - c.irq_dispatch, 0, K::Claim, 3},
      {start3, 0, K::HandlerStart, 3},
      {end3, 0, K::HandlerEnd, 3},
      {end3 + kMmio, 0, K::Complete, 3},
      {end3 + 2 * kMmio, 0, K::Claim, 0},
      {t5, 0, K::TrapExit, 0},
      {t5, 0, K::Activity, static_cast<std::uint32_t>(CpuActivity::Idle)},
  };
  EXPECT_EQ(rig.trace.from(t1), want);
  const KernelStats s = rig.kernel->stats();
  EXPECT_EQ(s.cpus[0].interrupts, 1u);
  EXPECT_EQ(s.sources[3].handled, 1u);
  EXPECT_EQ(s.sources[4].handled, 1u);
}

TEST(PlicDriver, SourceArrivingDuringHandlerIsClaimedInSameTrap) {
  Rig rig(two_sources());
  const CostProfile c = rig.kernel->config().costs;
  const Cycle t1 = 2000;
  rig.machine.pulse_source(3, t1);
  rig.machine.pulse_source(4,
                           t1 + c.trap_entry + kMmio + c.irq_dispatch + 10);  // inside 3's handler
  rig.machine.run_until(10'000);
  EXPECT_EQ(rig.trace.of(K::TrapEnter).size(), 1u);
  const std::vector<Ev> starts{
      {t1 + c.trap_entry + kMmio + c.irq_dispatch, 0, K::HandlerStart, 3},
      {t1 + c.trap_entry + kMmio + c.irq_dispatch + 40 + 2 * kMmio + c.irq_dispatch, 0,
       K::HandlerStart, 4}};
  EXPECT_EQ(rig.trace.of(K::HandlerStart), starts);
}

TEST(PlicDriver, UnhandledSourceIsCompletedAndCounted) {
  Rig rig(two_sources());
  const CostProfile c = rig.kernel->config().costs;
  const Cycle t1 = 2000;
  rig.machine.device<FakePlic>("plic").script_claims(0, {9});
  rig.machine.raise_line(0, t1);
  rig.machine.run_until(10'000);

  const Cycle claimed = t1 + c.trap_entry + kMmio;
  const std::vector<Ev> want{{claimed, 0, K::Claim, 9},
                             {claimed + c.irq_dispatch, 0, K::Unhandled, 9},
                             {claimed + c.irq_dispatch + kMmio, 0, K::Complete, 9},
                             {claimed + c.irq_dispatch + 2 * kMmio, 0, K::Claim, 0}};
  std::vector<Ev> got;
  for (const Ev& e : rig.trace.from(claimed))
    if (std::get<2>(e) != K::TrapExit && std::get<2>(e) != K::Activity) got.push_back(e);
  EXPECT_EQ(got, want);
  EXPECT_TRUE(rig.trace.of(K::HandlerStart).empty());
  EXPECT_EQ(rig.machine.accesses().at(rig.machine.accesses().size() - 2),
            (MmioAccess{claimed + c.irq_dispatch, 0, plic_claim(0), 9, true}));
  const KernelStats s = rig.kernel->stats();
  EXPECT_EQ(s.sources[9].unhandled, 1u);
  EXPECT_EQ(s.sources[9].handled, 0u);
  EXPECT_EQ(s.cpus[0].spurious, 0u);
}

TEST(PlicDriver, SpuriousClaimIsCounted) {
  Rig rig(two_sources());
  const CostProfile c = rig.kernel->config().costs;
  const Cycle t1 = 3000;
  rig.machine.raise_line(0, t1);  // line high, nothing pending: claim returns 0
  rig.machine.run_until(10'000);
  const std::vector<Ev> exits{{t1 + c.trap_entry + kMmio + c.trap_exit, 0, K::TrapExit, 0}};
  EXPECT_EQ(rig.trace.of(K::TrapExit), exits);
  const KernelStats s = rig.kernel->stats();
  EXPECT_EQ(s.cpus[0].interrupts, 1u);
  EXPECT_EQ(s.cpus[0].spurious, 1u);
  EXPECT_TRUE(rig.machine.sleeping(0));
}

}  // namespace plic_driver_test
}  // namespace irqlab::kernel::test
