// Panics: every assertion a real kernel makes fails the run with a message naming the
// CPU, the LWP, the cycle, the reason and the recent events.
#include "panic.h"

#include <gtest/gtest.h>

#include "lwp_support.h"
#include "machine/bus_error.h"
#include "personality/netbsd/netbsd.h"
#include "sync/adaptive_mutex.h"
#include "sync/condvar.h"
#include "sync/rwlock.h"
#include "sync/spin_mutex.h"

namespace irqlab::kernel::test {
namespace panic_test {

// Runs the rig and returns the panic message (empty if none).
std::string panic_of(Rig& rig) {
  try {
    rig.machine.run_until(100'000);
  } catch (const KernelPanic& e) {
    return e.what();
  }
  return "";
}

bool has(const std::string& message, const std::string& text) {
  return message.find(text) != std::string::npos;
}

TEST(Panic, SleepInHardInterruptContext) {
  KernelConfig k = test_config(1);
  Rig rig(k);
  Kernel& kn = *rig.kernel;
  SleepQueue q;
  kn.attach_irq(3, 1, [&](unsigned) { sleep_on(kn, q); });
  rig.machine.pulse_source(3, 5000);
  const std::string m = panic_of(rig);
  EXPECT_TRUE(has(m, "kernel panic: sleeping in hard interrupt context")) << m;
  const Cycle at = 5000 + k.costs.trap_entry + kMmio + k.costs.irq_dispatch;
  EXPECT_TRUE(has(m, "cpu 0, lwp 0 (idle/0), cycle " + std::to_string(at))) << m;
  EXPECT_TRUE(has(m, "recent events:\n")) << m;
  EXPECT_TRUE(has(m, "cycle " + std::to_string(at) + " cpu 0 HandlerStart 3")) << m;
}

TEST(Panic, CvWaitFromSoftintLwp) {
  KernelConfig k = test_config(1);
  k.ipl = netbsd_ipl_table(7);
  Rig rig(k);
  Kernel& kn = *rig.kernel;
  AdaptiveMutex mutex(kn, "m");
  CondVar cv(kn, "cv");
  const unsigned net = kn.spl().find("SOFTNET");
  kn.spl().establish(net, SoftMode::OwnLwp, [&](unsigned) {
    mutex.enter();  // a softint LWP may block on a lock ...
    cv.wait(mutex);  // ... but never sleep
  });
  kn.attach_irq(3, 1, [&](unsigned) { kn.spl().trigger(net); });
  rig.machine.pulse_source(3, 5000);
  const std::string m = panic_of(rig);
  EXPECT_TRUE(has(m, "cv_wait on cv from a softint LWP")) << m;
  EXPECT_TRUE(has(m, "lwp 1 (softint/SOFTNET/0)")) << m;
}

TEST(Panic, AdaptiveMutexAtHighIpl) {
  KernelConfig k = test_config(1);
  k.ipl = netbsd_ipl_table(7);
  Rig rig(k);
  Kernel& kn = *rig.kernel;
  AdaptiveMutex mutex(kn, "m");
  kn.create_lwp(lwp("t", Band::Kernel, 0, [&] {
    kn.spl().raise(kn.spl().find("VM"));
    mutex.enter();
  }));
  const std::string m = panic_of(rig);
  EXPECT_TRUE(has(m, "adaptive mutex m taken at IPL VM")) << m;
  EXPECT_TRUE(has(m, "lwp 1 (t)")) << m;
}

TEST(Panic, AdaptiveMutexInInterruptContext) {
  KernelConfig k = test_config(1);
  Rig rig(k);
  Kernel& kn = *rig.kernel;
  AdaptiveMutex mutex(kn, "m");
  kn.attach_irq(3, 1, [&](unsigned) { mutex.enter(); });
  rig.machine.pulse_source(3, 5000);
  EXPECT_TRUE(has(panic_of(rig), "adaptive mutex m taken in interrupt context"));
}

TEST(Panic, ReleaseOfLockNotHeld) {
  KernelConfig k = test_config(1);
  Rig rig(k);
  Kernel& kn = *rig.kernel;
  AdaptiveMutex mutex(kn, "m");
  kn.create_lwp(lwp("t", Band::Kernel, 0, [&] { mutex.exit(); }));
  EXPECT_TRUE(has(panic_of(rig), "mutex_exit: mutex m not held by this LWP"));
}

TEST(Panic, SpinMutexReleaseNotHeld) {
  KernelConfig k = test_config(1);
  Rig rig(k);
  Kernel& kn = *rig.kernel;
  SpinMutex mutex(kn, "s", 1);
  kn.create_lwp(lwp("t", Band::Kernel, 0, [&] { mutex.exit(); }));
  EXPECT_TRUE(has(panic_of(rig), "spin mutex s not held by this LWP"));
}

TEST(Panic, RecursionOnNonRecursiveLock) {
  KernelConfig k = test_config(1);
  Rig rig(k);
  Kernel& kn = *rig.kernel;
  AdaptiveMutex mutex(kn, "m");
  kn.create_lwp(lwp("t", Band::Kernel, 0, [&] {
    mutex.enter();
    mutex.enter();
  }));
  EXPECT_TRUE(has(panic_of(rig), "mutex_enter: recursion on non-recursive mutex m"));
}

TEST(Panic, DeadlockByWaitForCycle) {
  KernelConfig k = test_config(1);
  k.sched.kernel_preemption = true;
  Rig rig(k);
  Kernel& kn = *rig.kernel;
  AdaptiveMutex a(kn, "a"), b(kn, "b");
  SleepQueue q;
  kn.create_lwp(lwp("x", Band::Kernel, 5, [&] {
    sleep_on(kn, q);
    b.enter();
    a.enter();
  }));
  kn.create_lwp(lwp("y", Band::Kernel, 0, [&] {
    a.enter();
    wake_one(kn, q);  // x takes b and blocks on a
    b.enter();
  }));
  const std::string m = panic_of(rig);
  EXPECT_TRUE(has(m, "deadlock: wait-for cycle: 2 (y) waits for b held by 1 (x), "
                     "which waits for a held by 2 (y)")) << m;
}

TEST(Panic, DeadlockWhenEveryLwpIsBlocked) {
  // No owner chain closes (readers do not own an rwlock), but nothing can run again.
  KernelConfig k = test_config(1);
  k.sched.kernel_preemption = true;
  Rig rig(k);
  Kernel& kn = *rig.kernel;
  AdaptiveMutex mutex(kn, "m");
  RwLock rw(kn, "rw");
  SleepQueue q;
  kn.create_lwp(lwp("reader", Band::Kernel, 5, [&] {
    sleep_on(kn, q);
    rw.enter_read();
    mutex.enter();
  }));
  kn.create_lwp(lwp("writer", Band::Kernel, 0, [&] {
    mutex.enter();
    wake_one(kn, q);
    rw.enter_write();
  }));
  const std::string m = panic_of(rig);
  EXPECT_TRUE(has(m, "deadlock: every LWP is blocked on a lock")) << m;
  EXPECT_TRUE(has(m, "lwp 2 (writer)")) << m;
  // Each wait is listed, with no owner for the rwlock its readers hold.
  EXPECT_TRUE(has(m,
                  "deadlock: every LWP is blocked on a lock: 1 (reader) waits for m held by "
                  "2 (writer); 2 (writer) waits for rw held by readers"))
      << m;
  const std::optional<Deadlock>& d = kn.sched().deadlock();
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->kind, Deadlock::Kind::EveryLwpBlocked);
  EXPECT_TRUE(d->cycle_lwps.empty());
  ASSERT_EQ(d->waits.size(), 2u);
  EXPECT_FALSE(d->waits[1].holder.has_value());
}

TEST(Panic, DeadlockKeepsTheWaitForGraphOfAnAbbaOrder) {
  // x takes a, y takes b, then each wants the other's lock. On one CPU the order is fixed by
  // construction: x yields to y holding a; y takes b and blocks on a (x is runnable, no
  // cycle yet); x runs again and blocks on b, which closes the cycle x -> b -> y -> a -> x.
  KernelConfig k = test_config(1);
  Rig rig(k);
  Kernel& kn = *rig.kernel;
  AdaptiveMutex a(kn, "a"), b(kn, "b");
  Cycle x_blocks_at = 0;
  const Lwp& x = kn.create_lwp(lwp("x", Band::Kernel, 0, [&] {
    a.enter();
    kn.sched().yield();
    x_blocks_at = kn.machine().now();
    b.enter();
  }));
  const Lwp& y = kn.create_lwp(lwp("y", Band::Kernel, 0, [&] {
    b.enter();
    a.enter();
  }));
  const std::string m = panic_of(rig);
  EXPECT_TRUE(has(m,
                  "deadlock: wait-for cycle: 1 (x) waits for b held by 2 (y), "
                  "which waits for a held by 1 (x)"))
      << m;
  EXPECT_TRUE(has(m, "lwp 1 (x)")) << m;
  const std::optional<Deadlock>& d = kn.sched().deadlock();
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->kind, Deadlock::Kind::WaitForCycle);
  const std::vector<LwpId> cycle{x.id, y.id};
  EXPECT_EQ(d->cycle_lwps, cycle);
  ASSERT_EQ(d->waits.size(), 2u);
  EXPECT_EQ(d->waits[0].lwp_name, "x");
  EXPECT_EQ(d->waits[0].lock, "b");
  EXPECT_EQ(d->waits[0].holder, std::optional<LwpId>(y.id));
  EXPECT_EQ(d->waits[1].lwp_name, "y");
  EXPECT_EQ(d->waits[1].lock, "a");
  EXPECT_EQ(d->waits[1].holder_name, "x");
  // Found when x blocks: its contended attempt spends lock_slow_block, then blocks.
  EXPECT_EQ(d->cycle, x_blocks_at + k.costs.lock_slow_block);
}

TEST(Panic, NoDeadlockWhileALockOwnerCanStillRun) {
  KernelConfig k = test_config(1);
  Rig rig(k);
  Kernel& kn = *rig.kernel;
  AdaptiveMutex a(kn, "a");
  kn.create_lwp(lwp("holder", Band::Kernel, 0, [&] {
    a.enter();
    kn.sched().yield();
    a.exit();
  }));
  kn.create_lwp(lwp("waiter", Band::Kernel, 0, [&] {
    a.enter();
    a.exit();
  }));
  EXPECT_EQ(panic_of(rig), "");
  EXPECT_FALSE(kn.sched().deadlock().has_value());
}

// Spinout: "holder" keeps spin mutex s on cpu 1 for 5000 cycles; "taker" spins for it on
// cpu 0. The check comes before each spin_iteration, so with a limit of 1000 the run
// panics at the first multiple of spin_iteration at or past 1000 cycles of spinning; with
// no limit (0) the taker gets the lock once the holder lets go.
TEST(Panic, SpinoutNamesTheLockItsHolderAndHowLongItSpun) {
  for (const Cycle limit : {Cycle{1000}, Cycle{0}}) {
    KernelConfig k = test_config(2);
    k.spinout_cycles = limit;
    Rig rig(k);
    Kernel& kn = *rig.kernel;
    SpinMutex s(kn, "s", 1);
    bool taken = false;
    LwpSpec holder = lwp("holder", Band::Kernel, 0, [&] {
      s.enter();
      kn.work(5000);
      s.exit();
    });
    holder.bound = true;
    holder.cpu = 1;
    LwpSpec taker = lwp("taker", Band::Kernel, 0, [&] {
      kn.work(100);
      s.enter();
      taken = true;
      s.exit();
    });
    taker.bound = true;
    taker.cpu = 0;
    const Lwp& h = kn.create_lwp(std::move(holder));
    const Lwp& t = kn.create_lwp(std::move(taker));
    const std::string m = panic_of(rig);
    if (limit == 0) {
      EXPECT_EQ(m, "");
      EXPECT_TRUE(taken);
      continue;
    }
    const Cycle si = k.costs.spin_iteration;
    const Cycle spun = (limit + si - 1) / si * si;
    EXPECT_TRUE(has(m, "kernel panic: spinout: " + std::to_string(t.id) + " (taker) has spun " +
                           std::to_string(spun) + " cycles for s, held by " + std::to_string(h.id) +
                           " (holder), current on cpu 1 (kernel.spinout_cycles 1000)"))
        << m;
    EXPECT_FALSE(taken);
  }
}

TEST(Panic, BusErrorNamesTheAddressTheLwpAndTheCycle) {
  KernelConfig k = test_config(1);
  Rig rig(k);
  Kernel& kn = *rig.kernel;
  Cycle issued_at = 0;
  kn.create_lwp(lwp("prober", Band::Kernel, 0, [&] {
    kn.work(100);
    issued_at = kn.machine().now();
    kn.machine().mmio_read(0x40000000);
  }));
  const std::string m = panic_of(rig);
  EXPECT_TRUE(has(m, "kernel panic: bus error: read of 0x40000000: no device at this address"))
      << m;
  EXPECT_TRUE(has(m, "cpu 0, lwp 1 (prober), cycle " + std::to_string(issued_at) + "\n")) << m;
}

TEST(Panic, BusErrorInAnInterruptHandlerNamesTheInterruptedLwp) {
  KernelConfig k = test_config(1);
  Rig rig(k);
  Kernel& kn = *rig.kernel;
  kn.attach_irq(3, 1, [&](unsigned) { kn.machine().mmio_write(0x40000010, 1); });
  rig.machine.pulse_source(3, 5000);
  const std::string m = panic_of(rig);
  EXPECT_TRUE(has(m, "kernel panic: bus error: write of 0x40000010")) << m;
  const Cycle at = 5000 + k.costs.trap_entry + kMmio + k.costs.irq_dispatch;
  EXPECT_TRUE(has(m, "cpu 0, lwp 0 (idle/0), cycle " + std::to_string(at))) << m;
}

}  // namespace panic_test
}  // namespace irqlab::kernel::test
