#include "sync/adaptive_mutex.h"

#include <utility>

#include "kernel.h"

namespace irqlab::kernel {

bool acquire_contended(Kernel& kernel, LockBase& lock, Turnstile& turnstile, Lwp& self,
                       bool big_lock) {
  Machine& m = kernel.machine();
  const CostProfile& costs = kernel.costs();
  // The big lock's own waiters spin while its owner runs (NetBSD _kernel_lock spins
  // whatever the owner's CPU does); B-10 is for the waiters of the other locks.
  const Scheduler& sched = kernel.sched();
  const auto spin_on = [&](const Lwp& owner) {
    return big_lock ? sched.running_elsewhere(owner) : sched.worth_spinning_for(owner);
  };
  lock.begin_wait(self);
  const Cycle since = m.now();
  for (;;) {
    if (turnstile.owner() == nullptr) {
      turnstile.set_owner(&self);
      return false;
    }
    if (spin_on(*turnstile.owner())) {
      if (!big_lock) {
        lock.spin(self, since, turnstile.owner());
        continue;
      }
      // Spinning for the big lock, the CPU says for whom (B-10), as long as it spins; an
      // interrupt handler spinning on top of this one restores what it found.
      const unsigned cpu = m.cpu_id();
      CpuState& c = kernel.cpu_state();
      const Lwp* outer = std::exchange(c.biglock_wanted, &self);
      lock.spin(self, since, turnstile.owner());
      if (m.cpu_id() == cpu) c.biglock_wanted = outer;
      continue;
    }
    m.consume(costs.lock_slow_block);
    const Lwp* owner = turnstile.owner();
    if (owner == nullptr || spin_on(*owner)) continue;
    turnstile.block(self, true);
    return true;  // the releaser handed us the lock
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
  // The hand-off runs under the turnstile chain's spin lock, interrupts off (NetBSD
  // turnstile chains at IPL_SCHED, FreeBSD spinlock_enter): no handler on this CPU finds
  // the lock half handed over.
  const bool enabled = m.interrupts_enabled();
  m.set_interrupts_enabled(false);
  m.consume(kernel.costs().lock_release_wake);
  m.set_interrupts_enabled(enabled);
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
  if (!acquire_contended(kernel_, *this, turnstile_, self, false))
    kernel_.machine().consume(kernel_.costs().lock_fast);
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
