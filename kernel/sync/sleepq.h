#pragma once
// Sleep queues: LWPs waiting for a condition (not a lock owner), ordered by priority,
// FIFO among equals (NetBSD sleepq_insert, SOBJ_SLEEPQ_SORTED). No priority is lent.
// enqueue() marks the caller Sleeping; it then releases its interlock and calls
// Scheduler::block(), which returns at once if it was woken meanwhile.
#include <deque>

#include "sched/lwp.h"

namespace irqlab::kernel {

class SleepQueue {
 public:
  void enqueue(Lwp& self);
  Lwp* pop();  // best sleeper, taken off the queue (state Waking), nullptr if none
  bool empty() const { return sleepers_.empty(); }

 private:
  std::deque<Lwp*> sleepers_;
};

}  // namespace irqlab::kernel
