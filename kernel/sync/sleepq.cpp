#include "sync/sleepq.h"

#include <algorithm>

namespace irqlab::kernel {

void SleepQueue::enqueue(Lwp& self) {
  self.state = LwpState::Sleeping;
  self.sleeping_on = this;
  auto pos = std::find_if(sleepers_.begin(), sleepers_.end(),
                          [&](const Lwp* o) { return o->priority < self.priority; });
  sleepers_.insert(pos, &self);
}

Lwp* SleepQueue::pop() {
  if (sleepers_.empty()) return nullptr;
  Lwp* lwp = sleepers_.front();
  sleepers_.pop_front();
  lwp->sleeping_on = nullptr;
  lwp->state = LwpState::Waking;
  return lwp;
}

}  // namespace irqlab::kernel
