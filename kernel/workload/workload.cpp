#include "workload/workload.h"

#include <stdexcept>

#include "kernel.h"
#include "sync/adaptive_mutex.h"

namespace irqlab::kernel {

WorkloadRunner::WorkloadRunner(Kernel& kernel, const Workload& workload)
    : kernel_(kernel), workload_(workload) {
  for (const std::string& name : workload_.locks)
    mutexes_.push_back(std::make_unique<AdaptiveMutex>(kernel_, name));
  for (const ThreadScript& script : workload_.threads) {
    for (const Step& step : script.steps)
      if (step.kind == StepKind::Lock || step.kind == StepKind::Unlock) check_lock("thread " + script.name, step.lock);
    LwpSpec spec;
    spec.name = script.name;
    spec.band = script.band;
    spec.priority = script.priority;
    spec.user = script.user;
    spec.bound = script.cpu.has_value();
    spec.cpu = script.cpu.value_or(0);
    spec.body = [this, &script] { run(script); };
    kernel_.create_lwp(std::move(spec));
  }
  for (const IrqScript& irq : workload_.irqs) {
    const DeferredScript& d = irq.deferred;
    if (d.lock) check_lock("interrupt " + irq.name, *d.lock);
    AdaptiveMutex* mutex = d.lock ? mutexes_[*d.lock].get() : nullptr;
    DeferredWork& work = kernel_.establish_deferred(
        {irq.name, d.level, d.may_block, true, [this, mutex, cycles = d.cycles] {
           if (mutex) mutex->enter();
           kernel_.work(cycles);
           if (mutex) mutex->exit();
         }, irq.source});
    kernel_.attach_irq(irq.source, irq.priority, [this, &work, cycles = irq.handler_cycles](unsigned) {
      kernel_.work(cycles);
      work.schedule();
    }, irq.cpus);
  }
}

void WorkloadRunner::check_lock(const std::string& owner, unsigned lock) const {
  if (lock >= mutexes_.size()) throw std::invalid_argument(owner + ": no lock " + std::to_string(lock));
}

WorkloadRunner::~WorkloadRunner() = default;

void WorkloadRunner::run(const ThreadScript& script) {
  for (unsigned round = 0; script.repeat == 0 || round < script.repeat; ++round) {
    for (const Step& step : script.steps) {
      switch (step.kind) {
        case StepKind::User:
          kernel_.user(step.cycles);
          break;
        case StepKind::Kernel:
          kernel_.work(step.cycles);
          break;
        case StepKind::Lock:
          mutexes_[step.lock]->enter();
          break;
        case StepKind::Unlock:
          mutexes_[step.lock]->exit();
          break;
        case StepKind::Yield:
          kernel_.sched().yield();
          break;
        case StepKind::Read:
          kernel_.machine().mmio_read(step.address);
          break;
      }
    }
  }
}

}  // namespace irqlab::kernel
