#pragma once
// Condition variables (NetBSD kern_condvar.c) on a sleep queue.
//
//   wait(m):    lock_slow_block (sleep-queue enqueue), release m, sleep, reacquire m; m
//               is an adaptive or a spin mutex (NetBSD's cv_wait takes either kind)
//   signal():   wake the best sleeper (wakeup + runq_insert, maybe an IPI)
//   broadcast(): wake every sleeper
//
// Panics: wait in interrupt context, and wait from a softint LWP (LP_INTR, research
// N-SI-10: softints may block on locks but never sleep).
#include <string>

#include "sync/sleepq.h"

namespace irqlab::kernel {

class Kernel;
class AdaptiveMutex;
class SpinMutex;

class CondVar {
 public:
  CondVar(Kernel& kernel, std::string name) : kernel_(kernel), name_(std::move(name)) {}

  void wait(AdaptiveMutex& mutex);
  void wait(SpinMutex& mutex);
  void signal();
  void broadcast();
  const std::string& name() const { return name_; }

 private:
  template <class Mutex>
  void wait_on(Mutex& mutex);

  Kernel& kernel_;
  std::string name_;
  SleepQueue sleepers_;
};

}  // namespace irqlab::kernel
