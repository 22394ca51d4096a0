#pragma once
// Turnstiles: the queue of LWPs blocked on one lock, and priority inheritance.
//
// Waiters are ordered by effective priority, FIFO among equals. The lock names its
// owner (set_owner; nullptr when free or held by readers only). An LWP that blocks lends
// its priority to the owner and, transitively, to the owner of the lock that owner waits
// for, as far as the chain goes (FreeBSD turnstile_adjust/propagate_priority, NetBSD
// turnstile_block). An owner's effective priority is recomputed whenever it gives up a
// lock or a waiter leaves: max(base priority, best waiter of every turnstile it owns).
//
// Locks hand ownership to the best waiter on release (no barging): a waiter's delay is
// exact and cannot starve.
#include <deque>
#include <string>

#include "sched/lwp.h"

namespace irqlab::kernel {

class Kernel;

class Turnstile {
 public:
  Turnstile(Kernel& kernel, const std::string& name) : kernel_(kernel), name_(name) {}

  const std::string& name() const { return name_; }
  Lwp* owner() const { return owner_; }
  void set_owner(Lwp* lwp);
  bool empty() const { return waiters_.empty(); }
  bool has_writer() const;  // some waiter wants exclusive ownership

  // Blocks the calling LWP (`writer`: wants exclusive ownership) until a release hands
  // it the lock: enqueue, lend priority, then Scheduler::block().
  void block(Lwp& self, bool writer);
  // Removes and returns the best waiter (of the wanted kind), nullptr if none; the
  // caller hands it the lock and wakes it.
  Lwp* pop(bool writers_only = false);
  Lwp* pop_reader();

  // Re-sorts `lwp` after its priority changed.
  void reorder(Lwp& lwp);
  unsigned best_priority() const { return waiters_.front().lwp->priority; }

 private:
  struct Waiter {
    Lwp* lwp;
    bool writer;
  };
  void insert(Waiter w);
  Lwp* take(std::deque<Waiter>::iterator it);

  Kernel& kernel_;
  const std::string& name_;
  Lwp* owner_ = nullptr;
  std::deque<Waiter> waiters_;
};

// max(base priority, best waiter of every turnstile the LWP owns).
void recompute_priority(Kernel& kernel, Lwp& lwp);

}  // namespace irqlab::kernel
