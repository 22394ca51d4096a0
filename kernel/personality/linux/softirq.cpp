#include "personality/linux/linux.h"

#include <cstdio>
#include <stdexcept>

#include "kernel.h"
#include "personality/linux/linux_internal.h"

namespace irqlab::kernel::lnx {

namespace {

std::string hex(std::uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%08x", v);
  return buf;
}

}  // namespace

const char* softirq_name(unsigned nr) { return nr < NR_SOFTIRQS ? kSoftirqNames[nr] : "?"; }

// --- Softirqs -------------------------------------------------------------------------

void Linux::open_softirq(unsigned nr, std::function<void()> action) {
  if (nr >= NR_SOFTIRQS) throw std::invalid_argument("open_softirq: no softirq " + std::to_string(nr));
  if (vec_[nr].bound)
    throw std::invalid_argument(std::string("open_softirq: ") + kSoftirqNames[nr] + " already has an action");
  DeferredWork& w =
      kernel_.deferred_record({kSoftirqNames[nr], DeferLevel::Net, false, true, std::move(action)});
  w.set_mechanism_name(std::string("softirq/") + kSoftirqNames[nr]);
  w.mechanism = [this, nr](DeferredWork&) { raise_softirq(nr); };
  vec_[nr] = {nullptr, &w, true};
}

void Linux::raise_softirq_bit(unsigned nr) {
  if (nr >= NR_SOFTIRQS) kernel_.panic("raise_softirq: no softirq " + std::to_string(nr));
  Cpu& c = cpu_[cpu_id()];
  const std::uint32_t bit = std::uint32_t{1} << nr;
  if (vec_[nr].record != nullptr) vec_[nr].record->raised((c.pending & bit) != 0);  // L-SI-2
  c.pending |= bit;
}

bool Linux::should_wake_ksoftirqd(unsigned cpu) const {
  return !options_.preempt_rt || cpu_[cpu].ctrl_cnt == 0;
}

void Linux::raise_softirq_irqoff(unsigned nr) {
  raise_softirq_bit(nr);
  const unsigned cpu = cpu_id();
  if (!in_interrupt() && should_wake_ksoftirqd(cpu)) wakeup_softirqd(cpu);  // L-SI-4
}

void Linux::raise_softirq(unsigned nr) {
  IrqSave irq(kernel_.machine());
  raise_softirq_irqoff(nr);
}

void Linux::wakeup_softirqd() { wakeup_softirqd(cpu_id()); }

void Linux::wakeup_softirqd(unsigned cpu) {
  Lwp& k = *cpu_[cpu].ksoftirqd;
  if (k.state != LwpState::Dormant) return;  // task_is_running
  k.state = LwpState::Sleeping;
  kernel_.sched().wakeup(k);
}

bool Linux::ksoftirqd_running(unsigned cpu, std::uint32_t pending) const {
  if (!options_.ksoftirqd_defers) return false;  // v6.5+: no such check
  if (pending & ((1u << HI_SOFTIRQ) | (1u << TASKLET_SOFTIRQ))) return false;
  const LwpState s = cpu_[cpu].ksoftirqd->state;
  return s == LwpState::Runnable || s == LwpState::Running || s == LwpState::Waking;
}

void Linux::irq_exit() {
  const unsigned cpu = cpu_id();
  const std::uint32_t pending = cpu_[cpu].pending;
  if (options_.preempt_rt) {  // L-RT-3
    if (!in_hardirq() && pending != 0 && cpu_[cpu].ctrl_cnt == 0) wakeup_softirqd(cpu);
    return;
  }
  if (in_interrupt() || pending == 0) return;  // L-SI-6, L-SI-7
  if (ksoftirqd_running(cpu, pending)) return;  // L-SI-10
  if (force_irqthreads()) {                     // L-SI-11
    wakeup_softirqd(cpu);
    return;
  }
  handle_softirqs(false);
}

void Linux::do_softirq() {
  if (in_interrupt()) return;
  IrqSave irq(kernel_.machine());
  const unsigned cpu = cpu_id();
  const std::uint32_t pending = cpu_[cpu].pending;
  if (pending != 0 && !ksoftirqd_running(cpu, pending)) handle_softirqs(false);
}

void Linux::run_work(DeferredWork& work) {
  Cpu& c = cpu_[cpu_id()];
  if (&kernel_.sched().current() == c.ksoftirqd) {
    if (c.ks_entry) work.charge_switch(SwitchKind::Full);  // the FS into ksoftirqd
    c.ks_entry = false;
    c.ks_last = &work;
  }
  work.run();
}

void Linux::handle_softirqs(bool /*ksirqd*/) {
  Machine& m = kernel_.machine();
  const unsigned cpu = cpu_id();
  Cpu& sc = cpu_[cpu];
  CpuState& c = kernel_.cpu_state();  // no migration: BH/preemption off, or pinned (RT)
  Lwp& self = kernel_.sched().current();
  Task& t = task(self);
  const bool rt = options_.preempt_rt;
  const std::uint64_t end = jiffies_ + options_.max_softirq_jiffies;
  unsigned restart = options_.max_softirq_restart;
  // softirq_handle_begin: SOFTIRQ_OFFSET (RT: the caller holds the BH lock, preemptible).
  if (rt) {
    t.serving = true;
  } else {
    sc.serving = true;
    ++c.soft_depth;
  }
  m.set_interrupts_enabled(false);
  for (;;) {
    const std::uint32_t pending = sc.pending;  // L-SI-12
    sc.pending = 0;
    m.consume(costs_.softirq_pass);
    m.set_interrupts_enabled(true);
    for (unsigned nr = 0; nr < NR_SOFTIRQS; ++nr) {
      if ((pending >> nr & 1) == 0) continue;
      const Vector& v = vec_[nr];
      const std::uint32_t before = preempt_count();
      const Task saved = t;
      const unsigned nopreempt = self.nopreempt;
      if (v.record != nullptr)
        run_work(*v.record);
      else if (v.action)
        v.action();
      const std::uint32_t after = preempt_count();
      if (after != before || t.preempt != saved.preempt || t.bh != saved.bh) {  // L-SI-16
        warn(std::string("huh, entered softirq ") + std::to_string(nr) + " " + kSoftirqNames[nr] +
             " with preempt_count " + hex(before) + ", exited with " + hex(after) + "?");
        t.preempt = saved.preempt;
        t.bh = saved.bh;
        self.nopreempt = nopreempt;
      }
    }
    m.set_interrupts_enabled(false);
    if (sc.pending == 0) break;
    if (jiffies_ < end && !c.need_resched && --restart != 0) continue;  // L-SI-14
    ++sc.overruns;
    wakeup_softirqd(cpu);
    break;
  }
  if (rt) {
    t.serving = false;
  } else {
    sc.serving = false;
    --c.soft_depth;
  }
}

void Linux::run_ksoftirqd(unsigned cpu) {
  Machine& m = kernel_.machine();
  Cpu& c = cpu_[cpu];
  c.ks_entry = true;
  for (;;) {
    m.set_interrupts_enabled(false);
    if (c.pending == 0) break;  // returns with IRQs off: the LWP goes Dormant atomically
    if (options_.preempt_rt) {  // ksoftirqd_run_begin: the BH lock (may block)
      m.set_interrupts_enabled(true);
      rt_bh_lock();
      m.set_interrupts_enabled(false);
    }
    handle_softirqs(true);
    m.set_interrupts_enabled(true);
    if (options_.preempt_rt) rt_bh_unlock();
    kernel_.sched().user_return();  // cond_resched()
  }
  if (c.ks_last != nullptr) c.ks_last->charge_switch(SwitchKind::Full);  // the FS out
  c.ks_last = nullptr;
  c.ks_entry = false;
}

}  // namespace irqlab::kernel::lnx
