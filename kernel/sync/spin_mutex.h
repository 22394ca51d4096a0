#pragma once
// Spin mutex (NetBSD mutex_init with a hardware IPL, FreeBSD MTX_SPIN): raises the CPU's
// IPL to the mutex's level, then spins (spin_iteration per check) until free; never
// sleeps, so interrupt handlers may take it. exit releases (lock_fast) and restores the
// IPL the enter found, which may serve pending soft levels and take held interrupts.
//
// Panics: recursion; exit by an LWP that does not own it.
#include <string>

#include "sync/lock_stats.h"

namespace irqlab::kernel {

class SpinMutex : public LockBase {
 public:
  SpinMutex(Kernel& kernel, std::string name, unsigned ipl);

  void enter();
  void exit();
  const Lwp* owner() const { return owner_; }
  LockStats stats() const override;

 private:
  unsigned ipl_;
  Lwp* owner_ = nullptr;
  unsigned saved_ipl_ = 0;
};

}  // namespace irqlab::kernel
