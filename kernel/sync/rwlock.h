#pragma once
// Reader/writer lock (NetBSD rwlock, FreeBSD rw) on a turnstile.
//
// Writer policy: writers are preferred. A reader does not enter while a writer holds the
// lock or waits for it; on release the lock goes to the best waiting writer if there is
// one, otherwise to every waiting reader at once. A contender spins while a writer owner
// runs on another CPU and that CPU does not spin for the big lock on its behalf (B-10); readers are
// not tracked as owners for that purpose, so waiting on readers always blocks, and only a writer
// owner inherits priority.
//
// Costs as the adaptive mutex: lock_fast, spin_iteration, lock_slow_block, and
// lock_release_wake once per hand-off plus a wake-up per LWP woken.
// Panics: as the adaptive mutex (interrupt context, hardware IPL), recursion by the
// writer (read or write), exit by an LWP that holds it neither way.
#include <string>
#include <vector>

#include "sync/lock_stats.h"
#include "sync/turnstile.h"

namespace irqlab::kernel {

class RwLock : public LockBase {
 public:
  RwLock(Kernel& kernel, std::string name);

  void enter_read();
  void enter_write();
  void exit();
  const Lwp* writer() const { return turnstile_.owner(); }
  std::size_t readers() const { return readers_.size(); }
  LockStats stats() const override;

 private:
  Lwp& checked_self();
  bool read_free() const { return turnstile_.owner() == nullptr && !turnstile_.has_writer(); }
  void hand_off();

  Turnstile turnstile_;
  std::vector<Lwp*> readers_;
};

}  // namespace irqlab::kernel
