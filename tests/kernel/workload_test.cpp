// Scripted LWPs (kernel/workload): steps run in order on their own LWPs, and the lock
// trace events mark each wait, acquisition and release at its cycle.
#include <gtest/gtest.h>

#include "lwp_support.h"
#include "workload/workload.h"

namespace irqlab::kernel::test {
namespace workload_test {

Ev first(const Recorder& trace, TraceKind kind, unsigned cpu) {
  for (const Ev& e : trace.of(kind))
    if (std::get<1>(e) == cpu) return e;
  ADD_FAILURE() << "no event of that kind on cpu " << cpu;
  return {};
}

// Locks are numbered in creation order; the kernel's big lock comes first.
unsigned lock_id(const Kernel& kernel, const std::string& name) {
  const auto locks = kernel.stats().locks;
  for (unsigned i = 0; i < locks.size(); ++i)
    if (locks[i].name == name) return i;
  ADD_FAILURE() << "no lock " << name;
  return 0;
}

TEST(Workload, HolderOnOneCpuDelaysWaiterOnAnotherByItsRemainingHold) {
  KernelConfig k = test_config(2);
  Rig rig(k);
  const CostProfile& c = k.costs;
  constexpr Cycle kHold = 3000, kWaiterLead = 701;
  Workload w;
  w.locks = {"m0"};
  w.threads.push_back({"holder", true, Band::UserTimeshare, 5, 1u,
                       {{StepKind::Lock, 0, 0}, {StepKind::Kernel, kHold, 0}, {StepKind::Unlock, 0, 0},
                        {StepKind::User, 10'000, 0}}, 1});
  w.threads.push_back({"waiter", false, Band::Kernel, 0, 0u,
                       {{StepKind::Kernel, kWaiterLead, 0}, {StepKind::Lock, 0, 0}, {StepKind::Unlock, 0, 0}}, 1});
  WorkloadRunner runner(*rig.kernel, w);
  rig.machine.run_until(100'000);

  const auto [held_at, hc, hk, harg] = first(rig.trace, TraceKind::LockAcquire, 1);
  const auto [wait_at, wc, wk, warg] = first(rig.trace, TraceKind::LockWait, 0);
  const auto [release_at, rc, rk, rarg] = first(rig.trace, TraceKind::LockRelease, 1);
  const auto [owned_at, oc, ok, oarg] = first(rig.trace, TraceKind::LockAcquire, 0);
  const unsigned m0 = lock_id(*rig.kernel, "m0");
  EXPECT_EQ(harg & 0xFFFF, m0);
  EXPECT_EQ(oarg & 0xFFFF, m0);
  EXPECT_EQ(harg >> 16, 2U);  // ids: idle/0, idle/1, holder, waiter
  EXPECT_EQ(oarg >> 16, 3U);
  // The holder releases after its hold; the waiter, spinning since wait_at, sees the
  // lock free at its first check after the release and pays lock_fast to take it.
  EXPECT_EQ(release_at, held_at + kHold);
  ASSERT_LT(wait_at, release_at);
  // A spin check in the very cycle of the release would hang on the order in which the
  // two harts run that cycle; the lead is chosen so that none falls there.
  ASSERT_NE((release_at - wait_at) % c.spin_iteration, 0U);
  const Cycle checks = (release_at - wait_at + c.spin_iteration - 1) / c.spin_iteration;
  EXPECT_EQ(owned_at, wait_at + checks * c.spin_iteration + c.lock_fast);
  const LockStats stats = rig.kernel->stats().locks.at(m0).stats;
  EXPECT_EQ(stats.contended, 1U);
  EXPECT_EQ(stats.max_blocked_cycles, owned_at - wait_at);
}

TEST(Workload, ScriptsRepeatAndExit) {
  KernelConfig k = test_config(1);
  Rig rig(k);
  Workload w;
  w.locks = {"m"};
  w.threads.push_back({"loop", false, Band::Kernel, 0, std::nullopt,
                       {{StepKind::Lock, 0, 0}, {StepKind::Kernel, 10, 0}, {StepKind::Unlock, 0, 0}}, 3});
  WorkloadRunner runner(*rig.kernel, w);
  rig.machine.run_until(100'000);
  EXPECT_EQ(rig.kernel->stats().locks.at(lock_id(*rig.kernel, "m")).stats.acquisitions, 3U);
  EXPECT_EQ(rig.trace.of(TraceKind::LockRelease).size(), 3U);
}

TEST(Workload, UnknownLockIsRejected) {
  KernelConfig k = test_config(1);
  Rig rig(k);
  Workload w;
  w.threads.push_back({"bad", false, Band::Kernel, 0, std::nullopt, {{StepKind::Lock, 0, 4}}, 1});
  EXPECT_THROW(WorkloadRunner(*rig.kernel, w), std::invalid_argument);
}

TEST(Workload, UnlockingAMutexNotHeldPanics) {
  KernelConfig k = test_config(1);
  Rig rig(k);
  Workload w;
  w.locks = {"m"};
  w.threads.push_back({"bad", false, Band::Kernel, 0, std::nullopt, {{StepKind::Unlock, 0, 0}}, 1});
  WorkloadRunner runner(*rig.kernel, w);
  EXPECT_THROW(rig.machine.run_until(100'000), KernelPanic);
}

}  // namespace workload_test
}  // namespace irqlab::kernel::test
