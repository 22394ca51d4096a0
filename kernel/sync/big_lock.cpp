#include "sync/big_lock.h"

#include "kernel.h"
#include "sync/adaptive_mutex.h"

namespace irqlab::kernel {

BigLock::BigLock(Kernel& kernel, std::string name)
    : LockBase(kernel, std::move(name)), turnstile_(kernel, name_) {}

void BigLock::enter() {
  Lwp& self = kernel_.sched().current();
  Machine& m = kernel_.machine();
  if (turnstile_.owner() == &self) {
    ++depth_;
    m.consume(kernel_.costs().lock_fast);
    acquired(self, false);
    return;
  }
  // The depth is set with the owner, before any cycle is spent: an interrupt handler on
  // this CPU that takes the lock meanwhile recurses on it.
  if (turnstile_.owner() == nullptr) {
    turnstile_.set_owner(&self);
    depth_ = 1;
    m.consume(kernel_.costs().lock_fast);
    acquired(self, false);
    return;
  }
  const bool handed = acquire_contended(kernel_, *this, turnstile_, self, true);
  depth_ = 1;
  if (!handed) m.consume(kernel_.costs().lock_fast);
  acquired(self, true);
}

void BigLock::exit() {
  if (turnstile_.owner() != &kernel_.sched().current())
    kernel_.panic("big lock " + name_ + " released by an LWP that does not hold it");
  if (--depth_ != 0) {
    kernel_.machine().consume(kernel_.costs().lock_fast);
    return;
  }
  release_turnstile_lock(kernel_, *this, turnstile_);
}

unsigned BigLock::release_all(Lwp& self) {
  if (turnstile_.owner() != &self) return 0;
  const unsigned depth = depth_;
  depth_ = 1;
  exit();
  return depth;
}

void BigLock::reacquire(unsigned depth) {
  enter();
  depth_ = depth;
}

LockStats BigLock::stats() const {
  LockStats s = stats_;
  s.holder = owner() ? std::int64_t{owner()->id} : -1;
  return s;
}

}  // namespace irqlab::kernel
