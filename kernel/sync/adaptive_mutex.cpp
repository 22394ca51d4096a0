#include "sync/adaptive_mutex.h"

#include "kernel.h"

namespace irqlab::kernel {

void acquire_contended(Kernel& kernel, LockBase& lock, Turnstile& turnstile, Lwp& self) {
  Machine& m = kernel.machine();
  const CostProfile& costs = kernel.costs();
  lock.begin_wait(self);
  for (;;) {
    if (turnstile.owner() == nullptr) {
      turnstile.set_owner(&self);
      m.consume(costs.lock_fast);
      return;
    }
    if (kernel.sched().running_elsewhere(*turnstile.owner())) {
      m.consume(costs.spin_iteration);
      continue;
    }
    m.consume(costs.lock_slow_block);
    const Lwp* owner = turnstile.owner();
    if (owner == nullptr || kernel.sched().running_elsewhere(*owner)) continue;
    turnstile.block(self, true);
    return;  // the releaser handed us the lock
  }
}

void release_turnstile_lock(Kernel& kernel, LockBase& lock, Turnstile& turnstile) {
  Machine& m = kernel.machine();
  lock.released(*turnstile.owner());
  if (turnstile.empty()) {
    turnstile.set_owner(nullptr);
    m.consume(kernel.costs().lock_fast);
    return;
  }
  m.consume(kernel.costs().lock_release_wake);
  Lwp* next = turnstile.pop();
  turnstile.set_owner(next);
  kernel.sched().wakeup(*next);
}

AdaptiveMutex::AdaptiveMutex(Kernel& kernel, std::string name)
    : LockBase(kernel, std::move(name)), turnstile_(kernel, name_) {}

void AdaptiveMutex::enter() {
  const CpuState& c = kernel_.cpu_state();
  if (c.in_interrupt())
    kernel_.panic("mutex_enter: adaptive mutex " + name_ + " taken in interrupt context");
  if (kernel_.spl().hardware(c.ipl))
    kernel_.panic("mutex_enter: adaptive mutex " + name_ + " taken at IPL " +
                  kernel_.spl().table()[c.ipl].name);
  Lwp& self = kernel_.sched().current();
  if (turnstile_.owner() == &self)
    kernel_.panic("mutex_enter: recursion on non-recursive mutex " + name_);
  if (turnstile_.owner() == nullptr) {
    turnstile_.set_owner(&self);
    kernel_.machine().consume(kernel_.costs().lock_fast);
    acquired(self, false);
    return;
  }
  acquire_contended(kernel_, *this, turnstile_, self);
  acquired(self, true);
}

void AdaptiveMutex::exit() {
  if (turnstile_.owner() != &kernel_.sched().current())
    kernel_.panic("mutex_exit: mutex " + name_ + " not held by this LWP");
  release_turnstile_lock(kernel_, *this, turnstile_);
}

LockStats AdaptiveMutex::stats() const {
  LockStats s = stats_;
  s.holder = owner() ? std::int64_t{owner()->id} : -1;
  return s;
}

}  // namespace irqlab::kernel
