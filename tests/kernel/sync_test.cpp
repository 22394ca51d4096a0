// Locks: each contention path, priority inheritance, condition variables, the big lock,
// per-lock statistics.
#include <gtest/gtest.h>

#include "lwp_support.h"
#include "sync/adaptive_mutex.h"
#include "sync/big_lock.h"
#include "sync/condvar.h"
#include "sync/rwlock.h"
#include "sync/spin_mutex.h"

namespace irqlab::kernel::test {
namespace sync_test {

LwpSpec on_cpu(LwpSpec s, unsigned cpu) {
  s.bound = true;
  s.cpu = cpu;
  return s;
}

// First cycle >= t on the grid start + n * step.
Cycle grid(Cycle start, Cycle step, Cycle t) { return start + (t - start + step - 1) / step * step; }

TEST(SpinMutex, RaisesIplAndSpinsUntilReleased) {
  KernelConfig k = test_config(2);
  Rig rig(k);
  Kernel& kn = *rig.kernel;
  const CostProfile& c = k.costs;
  SpinMutex m(kn, "spin", 1);  // minimal table: HIGH, threshold 7
  CycleLog log;
  kn.create_lwp(on_cpu(lwp("holder", Band::Kernel, 0, [&] {
    m.enter();
    kn.work(500);
    log.point(kn, "release");
    m.exit();
  }), 0));
  kn.create_lwp(on_cpu(lwp("spinner", Band::Kernel, 0, [&] {
    kn.work(100);
    log.point(kn, "try");
    m.enter();
    log.point(kn, "owned");
    m.exit();
  }), 1));
  rig.machine.run_until(100'000);
  const Cycle first = log.at["try"] + kMmio;  // after raising THRESHOLD
  const Cycle got = grid(first, c.spin_iteration, log.at["release"]);
  EXPECT_EQ(log.at["owned"], got + c.lock_fast);
  const LockStats s = m.stats();
  EXPECT_EQ(s.acquisitions, 2u);
  EXPECT_EQ(s.contended, 1u);
  EXPECT_EQ(s.blocked_cycles, got + c.lock_fast - first);  // up to the end of the enter
  EXPECT_EQ(s.holder, -1);
}

TEST(AdaptiveMutex, SpinsWhileOwnerRunsOnAnotherCpu) {
  KernelConfig k = test_config(2);
  Rig rig(k);
  Kernel& kn = *rig.kernel;
  const CostProfile& c = k.costs;
  AdaptiveMutex m(kn, "m");
  CycleLog log;
  std::int64_t holder = 0;
  kn.create_lwp(on_cpu(lwp("holder", Band::Kernel, 0, [&] {
    m.enter();
    kn.work(500);
    log.point(kn, "release");
    m.exit();
  }), 0));
  kn.create_lwp(on_cpu(lwp("spinner", Band::Kernel, 0, [&] {
    kn.work(100);
    log.point(kn, "try");
    m.enter();
    log.point(kn, "owned");
    holder = m.stats().holder;
    m.exit();
  }), 1));
  rig.machine.run_until(100'000);
  EXPECT_EQ(log.at["owned"], grid(log.at["try"], c.spin_iteration, log.at["release"]) + c.lock_fast);
  EXPECT_EQ(holder, 3);  // spinner (ids: idle/0, idle/1, holder, spinner)
  EXPECT_EQ(m.stats().holder, -1);
}

TEST(AdaptiveMutex, BlocksWhenOwnerIsNotRunningAndIsHandedTheLock) {
  KernelConfig k = test_config(1);
  k.sched.kernel_preemption = true;
  Rig rig(k);
  Kernel& kn = *rig.kernel;
  const CostProfile& c = k.costs;
  AdaptiveMutex m(kn, "m");
  SleepQueue q;
  CycleLog log;
  kn.create_lwp(lwp("high", Band::Kernel, 10, [&] {
    sleep_on(kn, q);
    log.point(kn, "try");
    m.enter();
    log.point(kn, "owned");
    m.exit();
  }));
  kn.create_lwp(lwp("low", Band::Kernel, 0, [&] {
    m.enter();
    wake_one(kn, q);  // high preempts at once and blocks on m
    log.point(kn, "low back");
    kn.work(100);
    log.point(kn, "release");
    m.exit();
  }));
  rig.machine.run_until(100'000);
  EXPECT_EQ(log.at["low back"], log.at["try"] + c.lock_slow_block + fs(c));
  EXPECT_EQ(log.at["owned"], log.at["release"] + c.lock_release_wake + c.wakeup + c.runq_insert +
                                 preempt_fs(c));
  const LockStats s = m.stats();
  EXPECT_EQ(s.contended, 1u);
  EXPECT_EQ(s.max_blocked_cycles, log.at["owned"] - log.at["try"]);
}

TEST(RwLock, ReadersShareWritersWaitAndArePreferredOverNewReaders) {
  KernelConfig k = test_config(1);
  k.sched.kernel_preemption = true;
  Rig rig(k);
  Kernel& kn = *rig.kernel;
  RwLock rw(kn, "rw");
  SleepQueue qw, qr;
  CycleLog log;
  kn.create_lwp(lwp("writer", Band::Kernel, 10, [&] {
    sleep_on(kn, qw);
    rw.enter_write();
    log.point(kn, "writer");
    rw.exit();
  }));
  kn.create_lwp(lwp("late reader", Band::Kernel, 9, [&] {
    sleep_on(kn, qr);
    rw.enter_read();  // a writer waits: blocks although only readers hold it
    log.point(kn, "late reader");
    rw.exit();
  }));
  kn.create_lwp(lwp("reader", Band::Kernel, 0, [&] {
    rw.enter_read();
    wake_one(kn, qw);  // the writer blocks behind this reader
    wake_one(kn, qr);  // so does the late reader
    log.point(kn, "reader shares");
    EXPECT_EQ(rw.readers(), 1u);
    rw.exit();
    log.point(kn, "reader done");
  }));
  rig.machine.run_until(100'000);
  EXPECT_EQ(log.order,
            (std::vector<std::string>{"reader shares", "writer", "late reader", "reader done"}));
  EXPECT_EQ(rw.stats().contended, 2u);
}

TEST(RwLock, ConcurrentReadersDoNotContend) {
  KernelConfig k = test_config(2);
  Rig rig(k);
  Kernel& kn = *rig.kernel;
  RwLock rw(kn, "rw");
  for (unsigned cpu = 0; cpu < 2; ++cpu)
    kn.create_lwp(on_cpu(lwp("r", Band::Kernel, 0, [&] {
      rw.enter_read();
      kn.work(1000);
      rw.exit();
    }), cpu));
  rig.machine.run_until(100'000);
  EXPECT_EQ(rw.stats().acquisitions, 2u);
  EXPECT_EQ(rw.stats().contended, 0u);
}

TEST(CondVar, WaitReleasesMutexSleepsAndReacquires) {
  KernelConfig k = test_config(1);
  Rig rig(k);
  Kernel& kn = *rig.kernel;
  const CostProfile& c = k.costs;
  AdaptiveMutex m(kn, "m");
  CondVar cv(kn, "cv");
  bool ready = false;
  CycleLog log;
  kn.create_lwp(lwp("consumer", Band::Kernel, 10, [&] {
    m.enter();
    log.point(kn, "wait");
    while (!ready) cv.wait(m);
    log.point(kn, "consumed");
    m.exit();
  }));
  kn.create_lwp(lwp("producer", Band::Kernel, 0, [&] {
    log.point(kn, "produce");
    m.enter();  // free: the consumer released it in cv.wait
    ready = true;
    cv.signal();
    log.point(kn, "signalled");
    m.exit();
  }));
  rig.machine.run_until(100'000);
  EXPECT_EQ(log.at["produce"], log.at["wait"] + c.lock_slow_block + c.lock_fast + fs(c));
  EXPECT_EQ(log.at["signalled"], log.at["produce"] + c.lock_fast + c.wakeup + c.runq_insert);
  // Without kernel preemption the consumer runs when the producer exits.
  EXPECT_EQ(log.at["consumed"], log.at["signalled"] + c.lock_fast + fs(c) + c.lock_fast);
}

TEST(BigLock, RecursesAndIsReleasedEntirelyWhileItsHolderSleeps) {
  KernelConfig k = test_config(1);
  Rig rig(k);
  Kernel& kn = *rig.kernel;
  BigLock& big = kn.big_lock();
  SleepQueue q;
  CycleLog log;
  unsigned depth_after = 0;
  kn.create_lwp(lwp("sleeper", Band::Kernel, 10, [&] {
    big.enter();
    big.enter();
    log.point(kn, "sleep");
    sleep_on(kn, q);
    depth_after = big.depth();
    log.point(kn, "woken");
    big.exit();
    big.exit();
  }));
  kn.create_lwp(lwp("other", Band::Kernel, 0, [&] {
    big.enter();  // free: the sleeper dropped both holds
    log.point(kn, "other holds");
    wake_one(kn, q);
    big.exit();
  }));
  rig.machine.run_until(100'000);
  EXPECT_EQ(log.order, (std::vector<std::string>{"sleep", "other holds", "woken"}));
  EXPECT_EQ(depth_after, 2u);
  EXPECT_EQ(big.owner(), nullptr);
  EXPECT_EQ(big.stats().acquisitions, 4u);  // two nested, the other's, the reacquire
}

TEST(PriorityInheritance, LowHolderIsBoostedAndRunsBeforeMedium) {
  KernelConfig k = test_config(1);
  k.sched.kernel_preemption = true;
  Rig rig(k);
  Kernel& kn = *rig.kernel;
  AdaptiveMutex m(kn, "m");
  SleepQueue qh, qm;
  CycleLog log;
  unsigned boosted = 0;
  Lwp& high = kn.create_lwp(lwp("high", Band::Kernel, 20, [&] {
    sleep_on(kn, qh);
    wake_one(kn, qm);  // medium is runnable from now on
    m.enter();         // blocks on low, lends priority 84
    log.point(kn, "high");
    m.exit();
  }));
  kn.create_lwp(lwp("medium", Band::Kernel, 10, [&] {
    sleep_on(kn, qm);
    log.point(kn, "medium");
  }));
  Lwp& low = kn.create_lwp(lwp("low", Band::Kernel, 0, [&] {
    m.enter();
    wake_one(kn, qh);
    boosted = kn.sched().current().priority;
    log.point(kn, "low boosted");
    m.exit();
    log.point(kn, "low");
  }));
  rig.machine.run_until(100'000);
  EXPECT_EQ(boosted, high.priority);
  EXPECT_EQ(low.priority, low.base_priority);
  EXPECT_EQ(log.order, (std::vector<std::string>{"low boosted", "high", "medium", "low"}));
}

TEST(PriorityInheritance, PropagatesThroughAChainOfOwners) {
  KernelConfig k = test_config(1);
  k.sched.kernel_preemption = true;
  Rig rig(k);
  Kernel& kn = *rig.kernel;
  AdaptiveMutex m1(kn, "m1"), m2(kn, "m2");
  SleepQueue qh, qm;
  unsigned low_seen = 0, mid_seen = 0;
  Lwp& high = kn.create_lwp(lwp("high", Band::Kernel, 20, [&] {
    sleep_on(kn, qh);
    m2.enter();  // owned by mid, which waits for m1 owned by low
    m2.exit();
  }));
  kn.create_lwp(lwp("mid", Band::Kernel, 10, [&] {
    sleep_on(kn, qm);
    m2.enter();
    m1.enter();  // blocks on low
    mid_seen = kn.sched().current().priority;
    m1.exit();
    m2.exit();
  }));
  kn.create_lwp(lwp("low", Band::Kernel, 0, [&] {
    m1.enter();
    wake_one(kn, qm);  // mid takes m2, blocks on m1
    wake_one(kn, qh);  // high blocks on m2: low gets high's priority through mid
    low_seen = kn.sched().current().priority;
    m1.exit();
  }));
  rig.machine.run_until(100'000);
  EXPECT_EQ(low_seen, high.priority);
  EXPECT_EQ(mid_seen, high.priority);  // still lending to high while it holds m2
}

TEST(LockStats, KernelListsEveryLockWithItsCounters) {
  KernelConfig k = test_config(1);
  Rig rig(k);
  Kernel& kn = *rig.kernel;
  AdaptiveMutex m(kn, "vm_lock");
  SleepQueue never;
  kn.create_lwp(lwp("t", Band::Kernel, 0, [&] {
    for (int i = 0; i < 3; ++i) {
      m.enter();
      m.exit();
    }
    m.enter();
    sleep_on(kn, never);  // holds it to the end of the run
  }));
  rig.machine.run_until(100'000);
  const KernelStats s = kn.stats();
  ASSERT_EQ(s.locks.size(), 2u);
  EXPECT_EQ(s.locks[0].name, "kernel_lock");
  EXPECT_EQ(s.locks[1].name, "vm_lock");
  EXPECT_EQ(s.locks[1].stats.acquisitions, 4u);
  EXPECT_EQ(s.locks[1].stats.contended, 0u);
  EXPECT_EQ(s.locks[1].stats.holder, 1);
}

}  // namespace sync_test
}  // namespace irqlab::kernel::test
