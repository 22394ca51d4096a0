#include "sync/rwlock.h"

#include <algorithm>

#include "kernel.h"

namespace irqlab::kernel {

RwLock::RwLock(Kernel& kernel, std::string name)
    : LockBase(kernel, std::move(name)), turnstile_(kernel, name_) {}

Lwp& RwLock::checked_self() {
  const CpuState& c = kernel_.cpu_state();
  if (c.in_interrupt()) kernel_.panic("rw_enter: rwlock " + name_ + " taken in interrupt context");
  if (kernel_.spl().hardware(c.ipl))
    kernel_.panic("rw_enter: rwlock " + name_ + " taken at IPL " + kernel_.spl().table()[c.ipl].name);
  Lwp& self = kernel_.sched().current();
  if (turnstile_.owner() == &self) kernel_.panic("rw_enter: recursion on rwlock " + name_);
  return self;
}

void RwLock::enter_read() {
  Lwp& self = checked_self();
  Machine& m = kernel_.machine();
  const CostProfile& costs = kernel_.costs();
  const bool contended = !read_free();
  if (contended) begin_wait(self);
  const Cycle since = m.now();
  for (;;) {
    if (read_free()) {
      readers_.push_back(&self);
      m.consume(costs.lock_fast);
      break;
    }
    const Lwp* w = turnstile_.owner();
    if (w != nullptr && kernel_.sched().worth_spinning_for(*w)) {
      spin(self, since, w);
      continue;
    }
    m.consume(costs.lock_slow_block);
    if (read_free()) continue;
    turnstile_.block(self, false);
    break;  // handed a read hold
  }
  acquired(self, contended);
}

void RwLock::enter_write() {
  Lwp& self = checked_self();
  if (std::find(readers_.begin(), readers_.end(), &self) != readers_.end())
    kernel_.panic("rw_enter: recursion on rwlock " + name_ + " (held for reading)");
  Machine& m = kernel_.machine();
  const CostProfile& costs = kernel_.costs();
  if (turnstile_.owner() == nullptr && readers_.empty()) {
    turnstile_.set_owner(&self);
    m.consume(costs.lock_fast);
    acquired(self, false);
    return;
  }
  begin_wait(self);
  const Cycle since = m.now();
  for (;;) {
    if (turnstile_.owner() == nullptr && readers_.empty()) {
      turnstile_.set_owner(&self);
      m.consume(costs.lock_fast);
      break;
    }
    const Lwp* w = turnstile_.owner();
    if (w != nullptr && kernel_.sched().worth_spinning_for(*w)) {
      spin(self, since, w);
      continue;
    }
    m.consume(costs.lock_slow_block);
    if (turnstile_.owner() == nullptr && readers_.empty()) continue;
    turnstile_.block(self, true);
    break;  // handed the write hold
  }
  acquired(self, true);
}

void RwLock::exit() {
  Lwp& self = kernel_.sched().current();
  Machine& m = kernel_.machine();
  if (turnstile_.owner() == &self) {
    released(self);
    if (turnstile_.empty()) {
      turnstile_.set_owner(nullptr);
      m.consume(kernel_.costs().lock_fast);
      return;
    }
    m.consume(kernel_.costs().lock_release_wake);
    hand_off();
    return;
  }
  auto it = std::find(readers_.begin(), readers_.end(), &self);
  if (it == readers_.end()) kernel_.panic("rw_exit: rwlock " + name_ + " not held by this LWP");
  released(self);
  readers_.erase(it);
  if (!readers_.empty() || turnstile_.empty()) {
    m.consume(kernel_.costs().lock_fast);
    return;
  }
  m.consume(kernel_.costs().lock_release_wake);
  hand_off();
}

// The lock is free of holders and has waiters: the best writer, else every reader.
void RwLock::hand_off() {
  if (Lwp* w = turnstile_.pop(true)) {
    turnstile_.set_owner(w);
    kernel_.sched().wakeup(*w);
    return;
  }
  turnstile_.set_owner(nullptr);
  std::vector<Lwp*> woken;
  while (Lwp* r = turnstile_.pop_reader()) woken.push_back(r);
  readers_.insert(readers_.end(), woken.begin(), woken.end());
  for (Lwp* r : woken) kernel_.sched().wakeup(*r);
}

LockStats RwLock::stats() const {
  LockStats s = stats_;
  s.holder = writer() ? std::int64_t{writer()->id} : -1;
  return s;
}

}  // namespace irqlab::kernel
