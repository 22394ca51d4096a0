#pragma once
// A per-CPU run queue: one FIFO per priority, best priority first.
//
// Round robin within a priority: an LWP whose slice expired, or that yields, goes to
// the tail; one preempted before its slice ran out goes back to the head (FreeBSD's
// SRQ_PREEMPTED), so a higher-priority LWP's burst does not cost it its turn.
#include <cstddef>
#include <deque>
#include <functional>
#include <map>

#include "sched/lwp.h"

namespace irqlab::kernel {

class RunQueue {
 public:
  void insert(Lwp& lwp, bool at_head);
  void remove(Lwp& lwp);
  Lwp* pop();  // best priority, oldest first; nullptr when empty
  bool empty() const { return queues_.empty(); }
  std::size_t size() const { return size_; }  // LWPs queued
  // Priority of the best queued LWP; only when !empty().
  unsigned best() const { return queues_.begin()->first; }

 private:
  std::map<unsigned, std::deque<Lwp*>, std::greater<>> queues_;
  std::size_t size_ = 0;
};

}  // namespace irqlab::kernel
