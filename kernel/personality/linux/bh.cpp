#include "personality/linux/linux.h"

#include "kernel.h"

namespace irqlab::kernel::lnx {

// --- Context --------------------------------------------------------------------------

std::uint32_t Linux::preempt_count() {
  const CpuState& c = kernel_.cpu_state();
  const Task& t = self_task();
  std::uint32_t n = c.hard_depth * HARDIRQ_OFFSET + t.preempt * PREEMPT_OFFSET;
  if (!options_.preempt_rt)  // RT keeps the BH state in the task (softirq_disable_cnt)
    n += t.bh * SOFTIRQ_DISABLE_OFFSET + (cpu_[cpu_id()].serving ? SOFTIRQ_OFFSET : 0);
  return n;
}

bool Linux::in_hardirq() { return kernel_.cpu_state().hard_depth > 0; }

bool Linux::in_serving_softirq() {
  return options_.preempt_rt ? self_task().serving : cpu_[cpu_id()].serving;
}

bool Linux::in_interrupt() {
  return in_hardirq() || in_serving_softirq() || (!options_.preempt_rt && self_task().bh > 0);
}

unsigned Linux::softirq_disable_cnt() { return self_task().bh; }

void Linux::preempt_disable() {
  ++self_task().preempt;
  kernel_.sched().preempt_disable();
}

void Linux::preempt_enable() {
  Task& t = self_task();
  if (t.preempt == 0) kernel_.panic("preempt_enable() without preempt_disable()");
  --t.preempt;
  kernel_.sched().preempt_enable();
}

// --- Bottom halves --------------------------------------------------------------------

void Linux::rt_bh_lock() {
  Lwp& self = kernel_.sched().current();
  Task& t = task(self);
  const unsigned cpu = cpu_id();
  if (t.bh == 0) {  // migrate_disable, then the CPU's local lock when preemptible
    t.affinity = self.affinity;
    self.affinity = CpuMask{1} << cpu;
    t.locked = !kernel_.cpu_state().in_interrupt() && self.nopreempt == 0;
    if (t.locked) cpu_[cpu].local_lock->enter();
  }
  ++t.bh;
  ++cpu_[cpu].ctrl_cnt;
}

void Linux::rt_bh_unlock() {
  Lwp& self = kernel_.sched().current();
  Task& t = task(self);
  --t.bh;
  --cpu_[cpu_id()].ctrl_cnt;
  if (t.bh != 0) return;
  if (t.locked) cpu_[cpu_id()].local_lock->exit();
  t.locked = false;
  self.affinity = t.affinity;
}

void Linux::local_bh_disable() {
  if (options_.preempt_rt) {
    rt_bh_lock();
    return;
  }
  ++self_task().bh;  // SOFTIRQ_DISABLE_OFFSET, which also disables preemption (L-BH-3)
  kernel_.sched().preempt_disable();
}

void Linux::local_bh_enable() {
  Machine& m = kernel_.machine();
  if (in_hardirq())
    warn("WARNING: local_bh_enable() in hardirq context");  // L-BH-2
  else if (!m.interrupts_enabled())
    warn("WARNING: local_bh_enable() with IRQs disabled (lockdep_assert_irqs_enabled)");
  Task& t = self_task();
  if (t.bh == 0) kernel_.panic("local_bh_enable() without local_bh_disable()");
  const unsigned cpu = cpu_id();
  if (options_.preempt_rt) {  // L-BH-4
    Lwp& self = kernel_.sched().current();
    if (t.bh != 1 || cpu_[cpu].ctrl_cnt != 1 || cpu_[cpu].pending == 0) {
      rt_bh_unlock();
      return;
    }
    const bool preempt_on = !in_hardirq() && self.nopreempt == 0 && m.interrupts_enabled();
    if (!preempt_on) {
      wakeup_softirqd(cpu);
      rt_bh_unlock();
      return;
    }
    const bool enabled = m.interrupts_enabled();
    m.set_interrupts_enabled(false);
    handle_softirqs(false);  // in this task, still holding the BH lock
    m.set_interrupts_enabled(enabled);
    rt_bh_unlock();
    return;
  }
  --t.bh;  // preempt_count_sub(cnt - 1): preemption stays off
  if (!in_interrupt() && cpu_[cpu].pending != 0) do_softirq();  // L-SI-8, L-BH-1
  kernel_.sched().preempt_enable();  // preempt_count_dec + preempt_check_resched
}

}  // namespace irqlab::kernel::lnx
