#include "sync/condvar.h"

#include "kernel.h"
#include "sync/adaptive_mutex.h"
#include "sync/spin_mutex.h"

namespace irqlab::kernel {

template <class Mutex>
void CondVar::wait_on(Mutex& mutex) {
  if (kernel_.cpu_state().in_interrupt()) kernel_.panic("cv_wait on " + name_ + " in interrupt context");
  Lwp& self = kernel_.sched().current();
  if (self.softint) kernel_.panic("cv_wait on " + name_ + " from a softint LWP");
  Machine& m = kernel_.machine();
  m.consume(kernel_.costs().lock_slow_block);
  sleepers_.enqueue(self);
  kernel_.tracer().emit(m.now(), m.cpu_id(), TraceKind::LockBlock, self.id);
  mutex.exit();
  kernel_.sched().block();
  mutex.enter();
}

void CondVar::wait(AdaptiveMutex& mutex) { wait_on(mutex); }

void CondVar::wait(SpinMutex& mutex) { wait_on(mutex); }

void CondVar::signal() {
  if (Lwp* lwp = sleepers_.pop()) kernel_.sched().wakeup(*lwp);
}

void CondVar::broadcast() {
  while (Lwp* lwp = sleepers_.pop()) kernel_.sched().wakeup(*lwp);
}

}  // namespace irqlab::kernel
