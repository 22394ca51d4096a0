#include "sched/run_queue.h"

#include <algorithm>

namespace irqlab::kernel {

void RunQueue::insert(Lwp& lwp, bool at_head) {
  std::deque<Lwp*>& q = queues_[lwp.priority];
  if (at_head)
    q.push_front(&lwp);
  else
    q.push_back(&lwp);
  ++size_;
}

void RunQueue::remove(Lwp& lwp) {
  for (auto it = queues_.begin(); it != queues_.end(); ++it) {
    auto pos = std::find(it->second.begin(), it->second.end(), &lwp);
    if (pos == it->second.end()) continue;
    it->second.erase(pos);
    if (it->second.empty()) queues_.erase(it);
    --size_;
    return;
  }
}

Lwp* RunQueue::pop() {
  if (queues_.empty()) return nullptr;
  auto it = queues_.begin();
  Lwp* lwp = it->second.front();
  it->second.pop_front();
  if (it->second.empty()) queues_.erase(it);
  --size_;
  return lwp;
}

}  // namespace irqlab::kernel
