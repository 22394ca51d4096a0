#include "sync/turnstile.h"

#include <algorithm>

#include "kernel.h"

namespace irqlab::kernel {

void recompute_priority(Kernel& kernel, Lwp& lwp) {
  unsigned priority = lwp.base_priority;
  for (const Turnstile* t : lwp.owned)
    if (!t->empty()) priority = std::max(priority, t->best_priority());
  kernel.sched().change_priority(lwp, priority);
  if (lwp.blocked_on != nullptr) lwp.blocked_on->reorder(lwp);
}

void Turnstile::set_owner(Lwp* lwp) {
  if (owner_ != nullptr) {
    Lwp& old = *owner_;
    std::erase(old.owned, this);
    owner_ = nullptr;
    recompute_priority(kernel_, old);
  }
  owner_ = lwp;
  if (lwp == nullptr) return;
  lwp->owned.push_back(this);
  recompute_priority(kernel_, *lwp);
}

bool Turnstile::has_writer() const {
  return std::any_of(waiters_.begin(), waiters_.end(), [](const Waiter& w) { return w.writer; });
}

void Turnstile::insert(Waiter w) {
  auto pos = std::find_if(waiters_.begin(), waiters_.end(),
                          [&](const Waiter& o) { return o.lwp->priority < w.lwp->priority; });
  waiters_.insert(pos, w);
}

void Turnstile::block(Lwp& self, bool writer) {
  Machine& m = kernel_.machine();
  self.state = LwpState::Blocked;
  self.blocked_on = this;
  insert({&self, writer});
  kernel_.tracer().emit(m.now(), m.cpu_id(), TraceKind::LockBlock, self.id);
  // Lend priority along the chain of owners.
  const unsigned priority = self.priority;
  for (Lwp* o = owner_; o != nullptr && o->priority < priority && o != &self;
       o = o->blocked_on ? o->blocked_on->owner() : nullptr) {
    kernel_.sched().change_priority(*o, priority);
    if (o->blocked_on != nullptr) o->blocked_on->reorder(*o);
  }
  kernel_.sched().block();
}

Lwp* Turnstile::take(std::deque<Waiter>::iterator it) {
  Lwp* lwp = it->lwp;
  waiters_.erase(it);
  lwp->blocked_on = nullptr;
  lwp->state = LwpState::Waking;
  return lwp;
}

Lwp* Turnstile::pop(bool writers_only) {
  auto it = std::find_if(waiters_.begin(), waiters_.end(),
                         [&](const Waiter& w) { return !writers_only || w.writer; });
  return it == waiters_.end() ? nullptr : take(it);
}

Lwp* Turnstile::pop_reader() {
  auto it = std::find_if(waiters_.begin(), waiters_.end(), [](const Waiter& w) { return !w.writer; });
  return it == waiters_.end() ? nullptr : take(it);
}

void Turnstile::reorder(Lwp& lwp) {
  auto it = std::find_if(waiters_.begin(), waiters_.end(), [&](const Waiter& w) { return w.lwp == &lwp; });
  if (it == waiters_.end()) return;
  const Waiter w = *it;
  waiters_.erase(it);
  insert(w);
}

}  // namespace irqlab::kernel
