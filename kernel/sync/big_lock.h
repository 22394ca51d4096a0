#pragma once
// The big kernel lock (4.3BSD-on-MP / NetBSD kernel_lock, FreeBSD Giant): one per
// kernel, recursive, on a turnstile (contention as the adaptive mutex, with priority
// inheritance). An LWP that sleeps or blocks releases it entirely, whatever its
// recursion depth, and reacquires it with the same depth once it runs again (NetBSD
// mi_switch KERNEL_UNLOCK_ALL / KERNEL_LOCK(l_biglocks), FreeBSD DROP_GIANT /
// PICKUP_GIANT); a preempted LWP keeps it.
//
// Every enter (recursive ones too) is an acquisition in the statistics and costs
// lock_fast when uncontended; an inner exit costs lock_fast.
// Panics: exit by an LWP that does not own it.
#include <string>

#include "sync/lock_stats.h"
#include "sync/turnstile.h"

namespace irqlab::kernel {

class BigLock : public LockBase {
 public:
  BigLock(Kernel& kernel, std::string name);

  void enter();
  void exit();
  const Lwp* owner() const { return turnstile_.owner(); }
  unsigned depth() const { return depth_; }
  LockStats stats() const override;

  // Scheduler::block(): drop every hold of `self` (returns the depth, 0 if not held) and
  // take them back.
  unsigned release_all(Lwp& self);
  void reacquire(unsigned depth);

 private:
  Turnstile turnstile_;
  unsigned depth_ = 0;
};

}  // namespace irqlab::kernel
