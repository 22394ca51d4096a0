#include "sync/spin_mutex.h"

#include <stdexcept>

#include "kernel.h"

namespace irqlab::kernel {

SpinMutex::SpinMutex(Kernel& kernel, std::string name, unsigned ipl)
    : LockBase(kernel, std::move(name)), ipl_(ipl) {
  if (ipl_ >= kernel_.spl().table().size())
    throw std::invalid_argument("spin mutex " + name_ + ": no IPL " + std::to_string(ipl_));
}

void SpinMutex::enter() {
  const unsigned old = kernel_.spl().raise(ipl_);
  Lwp& self = kernel_.sched().current();
  if (owner_ == &self) kernel_.panic("mutex_spin_enter: recursion on spin mutex " + name_);
  Machine& m = kernel_.machine();
  const bool contended = owner_ != nullptr;
  if (contended) begin_wait(self);
  const Cycle since = m.now();
  while (owner_ != nullptr) spin(self, since, owner_);
  owner_ = &self;
  m.consume(kernel_.costs().lock_fast);
  saved_ipl_ = old;
  acquired(self, contended);
}

void SpinMutex::exit() {
  if (owner_ != &kernel_.sched().current())
    kernel_.panic("mutex_spin_exit: spin mutex " + name_ + " not held by this LWP");
  released(*owner_);
  owner_ = nullptr;
  kernel_.machine().consume(kernel_.costs().lock_fast);
  kernel_.spl().splx(saved_ipl_);
}

LockStats SpinMutex::stats() const {
  LockStats s = stats_;
  s.holder = owner_ ? std::int64_t{owner_->id} : -1;
  return s;
}

}  // namespace irqlab::kernel
