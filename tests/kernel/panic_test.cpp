// Panics: every assertion a real kernel makes fails the run with a message naming the
// CPU, the LWP, the cycle, the reason and the recent events.
#include <gtest/gtest.h>

#include "lwp_support.h"
#include "personality/netbsd/netbsd.h"
#include "panic.h"
#include "sync/adaptive_mutex.h"
#include "sync/condvar.h"
#include "sync/rwlock.h"
#include "sync/spin_mutex.h"

namespace irqlab::kernel::test {
namespace {

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
}

}  // namespace
}  // namespace irqlab::kernel::test
