#pragma once
// Adaptive mutex (NetBSD MUTEX_DEFAULT at IPL_NONE, FreeBSD MTX_DEF): spins while the
// owner runs on another CPU, otherwise blocks on the mutex's turnstile and lends the
// owner its priority.
//
//   enter, free:            own it; lock_fast
//   enter, owner running on another CPU:  spin_iteration per check, until free or the
//                           owner stops running, or its CPU spins for the big lock on
//                           the owner's behalf (B-10: then block, as below)
//   enter, owner not running: lock_slow_block, re-check, then block until handed the lock
//   exit, no waiters:       lock_fast
//   exit, waiters:          lock_release_wake, hand to the best waiter, wake it
//
// Panics: taken in interrupt context (hard, or a soft level served in place) or at a
// hardware IPL (research N-HI-1); recursion; exit by an LWP that does not own it.
#include <string>

#include "sync/lock_stats.h"
#include "sync/turnstile.h"

namespace irqlab::kernel {

class AdaptiveMutex : public LockBase {
 public:
  AdaptiveMutex(Kernel& kernel, std::string name);

  void enter();
  void exit();
  const Lwp* owner() const { return turnstile_.owner(); }
  LockStats stats() const override;

 private:
  Turnstile turnstile_;
};

// The contended acquisition shared by the turnstile locks (adaptive mutex, big lock, rw
// writer): returns once `self` owns `turnstile` (spinning, then blocking), true if it was
// handed over by the releaser, false if it found it free (the caller, its bookkeeping done,
// then spends lock_fast). `big_lock`: it is the big lock's, whose spinning CPU is marked
// for the lock waiters of B-10.
bool acquire_contended(Kernel& kernel, LockBase& lock, Turnstile& turnstile, Lwp& self,
                       bool big_lock);
// Release of a turnstile lock by its owner: free it, or hand it to the best waiter.
void release_turnstile_lock(Kernel& kernel, LockBase& lock, Turnstile& turnstile);

}  // namespace irqlab::kernel
