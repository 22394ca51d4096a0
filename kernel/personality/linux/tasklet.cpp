#include "personality/linux/linux.h"

#include "kernel.h"
#include "personality/linux/linux_internal.h"

namespace irqlab::kernel::lnx {

const std::string& Tasklet::name() const { return work_->name(); }

// --- Tasklets -------------------------------------------------------------------------

Tasklet& Linux::tasklet_init(std::string name, std::function<void()> fn, bool hi) {
  DeferredWork& w = kernel_.deferred_record(
      {std::move(name), hi ? DeferLevel::Serial : DeferLevel::Net, false, true, std::move(fn)});
  Tasklet& t = tasklets_.emplace_back();
  t.work_ = &w;
  t.hi_ = hi;
  w.set_mechanism_name(hi ? "tasklet_hi" : "tasklet");
  w.mechanism = [this, &t](DeferredWork&) { tasklet_schedule(t); };
  return t;
}

void Linux::tasklet_schedule(Tasklet& t) {
  if (t.sched_) {  // L-TL-1: test_and_set_bit(SCHED)
    t.work_->raised(true);
    return;
  }
  t.sched_ = true;
  t.work_->raised(false);
  IrqSave irq(kernel_.machine());
  Cpu& c = cpu_[cpu_id()];
  (t.hi_ ? c.hi_list : c.list).push_back(&t);  // L-TL-2
  raise_softirq_irqoff(t.hi_ ? HI_SOFTIRQ : TASKLET_SOFTIRQ);
}

void Linux::tasklet_wake(Tasklet& t) {
  while (Lwp* lwp = t.waiters_.pop()) kernel_.sched().wakeup(*lwp);
}

void Linux::tasklet_action(bool hi) {
  Machine& m = kernel_.machine();
  Cpu& c = cpu_[cpu_id()];
  std::deque<Tasklet*> list;
  m.set_interrupts_enabled(false);
  list.swap(hi ? c.hi_list : c.list);  // L-TL-3: detach the whole list
  m.set_interrupts_enabled(true);
  while (!list.empty()) {
    Tasklet* t = list.front();
    list.pop_front();
    if (!t->run_) {  // tasklet_trylock
      t->run_ = true;
      if (t->count_ == 0) {
        if (!t->sched_) kernel_.panic("tasklet " + t->name() + ": SCHED clear when run");
        t->sched_ = false;  // L-TL-4: before the callback
        tasklet_wake(*t);
        run_work(*t->work_);
        t->run_ = false;
        tasklet_wake(*t);
        continue;
      }
      t->run_ = false;  // disabled (L-TL-5)
    }
    m.set_interrupts_enabled(false);  // L-TL-5: back to the tail, raise again
    (hi ? c.hi_list : c.list).push_back(t);
    raise_softirq_bit(hi ? HI_SOFTIRQ : TASKLET_SOFTIRQ);
    m.set_interrupts_enabled(true);
  }
}

void Linux::tasklet_wait(Tasklet& t, bool for_sched) {
  Machine& m = kernel_.machine();
  for (;;) {
    if (!(for_sched ? t.sched_ : t.run_)) return;
    Lwp& self = kernel_.sched().current();
    if (kernel_.cpu_state().in_interrupt() || self.nopreempt != 0 || !m.interrupts_enabled()) {
      m.consume(kernel_.costs().spin_iteration);  // atomic context: spin
      continue;
    }
    t.waiters_.enqueue(self);  // wait_var_event(&t->state, ...)
    kernel_.sched().block();
  }
}

void Linux::tasklet_disable(Tasklet& t) {
  ++t.count_;
  tasklet_wait(t, false);  // tasklet_unlock_wait
}

void Linux::tasklet_enable(Tasklet& t) {
  if (t.count_ == 0) kernel_.panic("tasklet_enable(" + t.name() + ") without tasklet_disable");
  --t.count_;
}

void Linux::tasklet_kill(Tasklet& t) {
  if (in_interrupt()) warn("Attempt to kill tasklet from interrupt");  // L-TL-8
  while (t.sched_) tasklet_wait(t, true);  // test_and_set_bit(SCHED) loop
  t.sched_ = true;
  tasklet_wait(t, false);
  t.sched_ = false;  // tasklet_clear_sched
  tasklet_wake(t);
}

void Linux::takeover_tasklets(unsigned dead_cpu) {
  IrqSave irq(kernel_.machine());
  Cpu& dead = cpu_.at(dead_cpu);
  Cpu& self = cpu_[cpu_id()];
  for (const bool hi : {false, true}) {
    std::deque<Tasklet*>& from = hi ? dead.hi_list : dead.list;
    if (from.empty()) continue;
    std::deque<Tasklet*>& to = hi ? self.hi_list : self.list;
    to.insert(to.end(), from.begin(), from.end());
    from.clear();
    raise_softirq_irqoff(hi ? HI_SOFTIRQ : TASKLET_SOFTIRQ);
  }
}

}  // namespace irqlab::kernel::lnx
