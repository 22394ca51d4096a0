#include "sched/scheduler.h"

#include <stdexcept>
#include <utility>

#include "kernel.h"
#include "personality/deferred.h"
#include "sched/deadlock.h"
#include "sync/turnstile.h"

namespace irqlab::kernel {

namespace {

// The LWP whose priority a CPU is running at: under a softint LWP, the pinned one.
Lwp& base_of(Lwp& lwp) {
  Lwp* l = &lwp;
  while (l->pinned != nullptr) l = l->pinned;
  return *l;
}

}  // namespace

Scheduler::Scheduler(Kernel& kernel, const SchedOptions& options, std::vector<CpuState>& cpus)
    : kernel_(kernel), options_(options), cpus_(cpus) {
  for (unsigned cpu = 0; cpu < cpus_.size(); ++cpu) {
    Lwp& idle = lwps_.emplace_back();
    idle.id = cpu;
    idle.name = "idle/" + std::to_string(cpu);
    idle.idle = true;
    idle.bound = true;
    idle.cpu = cpu;
    idle.state = LwpState::Running;
    cpus_[cpu].idle = &idle;
  }
}

CpuState& Scheduler::self_cpu() { return cpus_[kernel_.machine().cpu_id()]; }

Lwp& Scheduler::current() { return *self_cpu().curlwp; }

Lwp& Scheduler::create(LwpSpec spec) {
  const BandRange band = band_range(spec.band);
  const std::string name = "create_lwp(" + spec.name + "): ";
  if (spec.priority >= band.size)
    throw std::invalid_argument(name + "priority " + std::to_string(spec.priority) +
                                " is outside its band (0.." + std::to_string(band.size - 1) + ")");
  const CpuMask all = cpus_.size() >= 64 ? ~CpuMask{0} : (CpuMask{1} << cpus_.size()) - 1;
  if (spec.bound && spec.cpu >= cpus_.size())
    throw std::invalid_argument(name + "bound to cpu " + std::to_string(spec.cpu) + " of " +
                                std::to_string(cpus_.size()));
  if (spec.affinity != 0 && (spec.affinity & all) == 0)
    throw std::invalid_argument(name + "affinity names no existing cpu");
  if (!spec.body) throw std::invalid_argument(name + "empty body");

  Lwp& lwp = lwps_.emplace_back();
  lwp.id = static_cast<LwpId>(lwps_.size() - 1);
  lwp.name = std::move(spec.name);
  lwp.base_priority = lwp.priority = band.base + spec.priority;
  lwp.user = spec.user;
  lwp.affinity = spec.affinity & all;
  lwp.bound = spec.bound;
  lwp.cpu = spec.bound ? spec.cpu : 0;
  lwp.slice_left = options_.slice_ticks;
  lwp.body = std::move(spec.body);
  lwp.context = kernel_.machine().create_context([this, &lwp] { lwp_main(lwp); });
  kernel_.announce(TraceKind::AnnounceLwp, lwp.id, lwp.name);
  if (kernel_.started()) {
    lwp.state = LwpState::Sleeping;  // wakeup() takes it from "not runnable"
    wakeup(lwp);
  } else {
    setrun(lwp);
  }
  return lwp;
}

Lwp& Scheduler::create_softint(unsigned cpu, unsigned level, unsigned priority, std::string name,
                               std::function<void()> handler) {
  Lwp& lwp = lwps_.emplace_back();
  lwp.id = static_cast<LwpId>(lwps_.size() - 1);
  lwp.name = std::move(name);
  lwp.base_priority = lwp.priority = band_range(Band::Interrupt).base + priority;
  lwp.softint = true;
  lwp.bound = true;
  lwp.cpu = cpu;
  lwp.soft_level = level;
  lwp.state = LwpState::Dormant;
  lwp.slice_left = options_.slice_ticks;
  lwp.body = [this, &lwp, handler = std::move(handler)] {
    for (;;) {
      handler();
      Machine& m = kernel_.machine();
      m.set_interrupts_enabled(false);
      lwp.state = LwpState::Dormant;
      mi_switch(lwp, 0);  // LS back to the pinned LWP, or FS if it blocked meanwhile
      m.set_interrupts_enabled(true);
    }
  };
  lwp.context = kernel_.machine().create_context([this, &lwp] { lwp_main(lwp); });
  kernel_.announce(TraceKind::AnnounceLwp, lwp.id, lwp.name);
  return lwp;
}

void Scheduler::lwp_main(Lwp& lwp) {
  finish_switch();
  Machine& m = kernel_.machine();
  m.set_interrupts_enabled(true);
  lwp.body();
  if (!lwp.owned.empty()) kernel_.panic("LWP exited holding a lock");
  m.set_interrupts_enabled(false);
  lwp.state = LwpState::Exited;
  mi_switch(lwp, 0);  // nothing ever switches back to an exited LWP
}

void Scheduler::adopt_idle(unsigned cpu) {
  CpuState& c = cpus_[cpu];
  c.idle->context = kernel_.machine().current_context();
  c.idle->on_cpu = true;
  c.curlwp = c.idle;
}

void Scheduler::idle_loop() {
  Machine& m = kernel_.machine();
  for (;;) {
    CpuState& c = self_cpu();
    if (c.runq.empty()) {
      m.wait_for_interrupt();
      continue;
    }
    m.set_interrupts_enabled(false);
    mi_switch(*c.idle, 0);
    m.set_interrupts_enabled(true);
  }
}

bool Scheduler::cpu_idle(unsigned cpu) const {
  const CpuState& c = cpus_[cpu];
  return (c.curlwp == nullptr || c.curlwp->idle) && c.runq.empty();
}

unsigned Scheduler::wake_cpu(const Lwp& lwp) const {
  if (lwp.bound) return lwp.cpu;
  const auto allowed = [&](unsigned cpu) { return lwp.affinity == 0 || (lwp.affinity >> cpu & 1); };
  if (allowed(lwp.cpu) && cpu_idle(lwp.cpu)) return lwp.cpu;
  for (unsigned cpu = 0; cpu < cpus_.size(); ++cpu)
    if (allowed(cpu) && cpu_idle(cpu)) return cpu;
  if (allowed(lwp.cpu)) return lwp.cpu;
  unsigned cpu = 0;
  while (!allowed(cpu)) ++cpu;
  return cpu;
}

void Scheduler::wakeup(Lwp& lwp) {
  Machine& m = kernel_.machine();
  kernel_.tracer().emit(m.now(), m.cpu_id(), TraceKind::Wakeup, lwp.id);
  if (lwp.on_cpu) {  // it has not switched out yet: block() will see it Running
    lwp.state = LwpState::Running;
    m.consume(kernel_.costs().wakeup);
    return;
  }
  lwp.state = LwpState::Waking;
  m.consume(kernel_.costs().wakeup + kernel_.costs().runq_insert);
  setrun(lwp);
}

void Scheduler::setrun(Lwp& lwp) {
  const unsigned target = wake_cpu(lwp);
  CpuState& t = cpus_[target];
  lwp.cpu = target;
  lwp.state = LwpState::Runnable;
  t.runq.insert(lwp, false);
  runq_changed(target);
  if (t.curlwp == nullptr) return;  // that CPU has not booted: its idle loop will pick it
  const Lwp& running = base_of(*t.curlwp);
  if (!running.idle && lwp.priority <= running.priority) return;
  t.need_resched = true;
  Machine& m = kernel_.machine();
  const unsigned self = m.cpu_id();
  if (target != self) {
    m.consume(kernel_.costs().ipi_send);
    kernel_.tracer().emit(m.now(), self, TraceKind::IpiSend, target);
    kernel_.ipi().send(target);
    return;
  }
  Lwp& cur = *cpus_[self].curlwp;
  if (!options_.kernel_preemption || !preemptible(cur, false)) return;
  const bool enabled = m.interrupts_enabled();
  m.set_interrupts_enabled(false);
  preempt();
  m.set_interrupts_enabled(enabled);
}

bool Scheduler::preemptible(const Lwp& cur, bool to_user) const {
  if (cur.idle || cur.pinned != nullptr) return false;
  // Between joining a wait queue and its switch in block() (a condition variable's
  // interlock being released, a softint run on the way), an LWP is Sleeping or Blocked:
  // it switches out by itself at once. Preempting it would put it on a run queue while
  // the wait queue still holds it, and its wake-up would queue it a second time.
  if (cur.state != LwpState::Running) return false;
  if (to_user) return true;
  const CpuState& c = cpus_[cur.cpu];
  return options_.kernel_preemption && cur.nopreempt == 0 && c.ipl == 0 && !c.in_interrupt() &&
         (c.runq.empty() || c.runq.best() >= options_.preempt_min_priority);
}

void Scheduler::preempt() {
  CpuState& c = self_cpu();
  Lwp& cur = *c.curlwp;
  if (cur.state != LwpState::Running)
    kernel_.panic("preempting " + cur.name + " on its way to sleep");
  cur.state = LwpState::Runnable;
  c.runq.insert(cur, !cur.slice_expired);
  runq_changed(kernel_.machine().cpu_id());
  cur.slice_expired = false;
  mi_switch(cur, kernel_.costs().runq_insert);
}

void Scheduler::trap_return(bool to_user) {
  CpuState& c = self_cpu();
  if (c.need_resched && preemptible(*c.curlwp, to_user)) preempt();
}

void Scheduler::user_return() {
  CpuState& c = self_cpu();
  if (!c.need_resched) return;
  Machine& m = kernel_.machine();
  const bool enabled = m.interrupts_enabled();
  m.set_interrupts_enabled(false);
  preempt();
  m.set_interrupts_enabled(enabled);
}

void Scheduler::preempt_disable() { ++current().nopreempt; }

void Scheduler::preempt_enable() {
  Lwp& cur = current();
  if (cur.nopreempt == 0) kernel_.panic("preempt_enable() without preempt_disable()");
  if (--cur.nopreempt != 0 || !self_cpu().need_resched || !preemptible(cur, false)) return;
  Machine& m = kernel_.machine();
  const bool enabled = m.interrupts_enabled();
  m.set_interrupts_enabled(false);
  preempt();
  m.set_interrupts_enabled(enabled);
}

void Scheduler::yield() {
  CpuState& c = self_cpu();
  Lwp& cur = *c.curlwp;
  if (c.runq.empty() || c.runq.best() < cur.priority) return;
  Machine& m = kernel_.machine();
  const bool enabled = m.interrupts_enabled();
  m.set_interrupts_enabled(false);
  cur.slice_expired = true;
  preempt();
  m.set_interrupts_enabled(enabled);
}

void Scheduler::block() {
  Lwp& self = current();
  const CpuState& c = self_cpu();
  if (c.hard_depth > 0) kernel_.panic("sleeping in hard interrupt context");
  if (c.soft_depth > 0) kernel_.panic("sleeping in soft interrupt context");
  const unsigned depth = kernel_.big_lock().release_all(self);
  Machine& m = kernel_.machine();
  const bool enabled = m.interrupts_enabled();
  m.set_interrupts_enabled(false);
  if (self.state == LwpState::Blocked || self.state == LwpState::Sleeping) {
    if (self.sleep_hooks != nullptr) self.sleep_hooks->sleeping(self);
    check_deadlock(self);
    self.slice_left = options_.slice_ticks;
    const Cycle since = m.now();
    mi_switch(self, 0);
    ++self.blocks;
    self.blocked_cycles += m.now() - since;
    if (self.sleep_hooks != nullptr) self.sleep_hooks->running(self);
  }
  m.set_interrupts_enabled(enabled);
  if (depth != 0) kernel_.big_lock().reacquire(depth);
}

void Scheduler::check_deadlock(const Lwp& self) {
  deadlock_ = find_deadlock(lwps_, self, kernel_.machine().now());
  if (deadlock_) kernel_.panic("deadlock: " + deadlock_->describe());
}

void Scheduler::tick(unsigned cpu) {
  CpuState& c = cpus_[cpu];
  Lwp& cur = base_of(*c.curlwp);
  if (cur.idle || --cur.slice_left != 0) return;
  cur.slice_left = options_.slice_ticks;
  if (c.runq.empty() || c.runq.best() < cur.priority) return;
  cur.slice_expired = true;
  c.need_resched = true;
}

void Scheduler::change_priority(Lwp& lwp, unsigned priority) {
  if (lwp.priority == priority) return;
  if (lwp.state == LwpState::Runnable) {
    CpuState& c = cpus_[lwp.cpu];
    c.runq.remove(lwp);
    lwp.priority = priority;
    c.runq.insert(lwp, false);
    // No IPI from here (the caller is inside an atomic lock operation): a boosted LWP on
    // another CPU is picked at that CPU's next preemption point.
    if (c.curlwp != nullptr && !c.curlwp->idle && priority > base_of(*c.curlwp).priority)
      c.need_resched = true;
    return;
  }
  lwp.priority = priority;
  if (lwp.state == LwpState::Running) {
    CpuState& c = cpus_[lwp.cpu];
    if (!c.runq.empty() && c.runq.best() > priority) c.need_resched = true;
  }
}

void Scheduler::runq_changed(unsigned cpu) {
  const Cycle now = kernel_.started() ? kernel_.machine().now() : 0;
  kernel_.tracer().emit(now, cpu, TraceKind::RunQueueDepth,
                        static_cast<std::uint32_t>(cpus_[cpu].runq.size()));
}

bool Scheduler::running_elsewhere(const Lwp& lwp) const {
  return lwp.on_cpu && cpus_[lwp.cpu].curlwp == &lwp && lwp.cpu != kernel_.machine().cpu_id();
}

bool Scheduler::worth_spinning_for(const Lwp& owner) const {
  return running_elsewhere(owner) && cpus_[owner.cpu].biglock_wanted != &owner;
}

void Scheduler::mi_switch(Lwp& prev, Cycle extra) {
  Machine& m = kernel_.machine();
  const unsigned cpu = m.cpu_id();
  CpuState& c = cpus_[cpu];
  const CostProfile& costs = kernel_.costs();
  Lwp* next = nullptr;
  SwitchKind kind = SwitchKind::Full;
  Cycle cost = extra;
  if (prev.pinned != nullptr) {  // a softint LWP returns to the LWP it interrupted (N-SI-11)
    next = std::exchange(prev.pinned, nullptr);
    kind = SwitchKind::Light;
    cost += costs.switch_light;
  } else {
    next = c.runq.pop();
    if (next == nullptr)
      next = c.idle;
    else
      runq_changed(cpu);
    cost += costs.runq_pick + costs.switch_full;
    c.need_resched = false;
  }
  if (next == &prev) {
    prev.state = LwpState::Running;
    m.consume(cost);
    return;
  }
  prev.on_cpu = false;
  prev.saved_ipl = c.ipl;
  // A pinned LWP keeps its state: interrupted on its way to sleep (a condition variable
  // releasing its interlock), it is still Sleeping and still on the wait queue, and its
  // block() must switch it out; marking it Running made that block() return at once,
  // and the LWP then sat on the wait queue twice.
  if (kind == SwitchKind::Full) next->state = LwpState::Running;
  next->on_cpu = true;
  next->cpu = cpu;
  c.curlwp = next;
  if (prev.deferral != nullptr) prev.deferral->charge_switch(kind);
  if (next->deferral != nullptr) next->deferral->charge_switch(kind);
  kernel_.tracer().emit(m.now(), cpu, TraceKind::Switch, next->id, static_cast<std::uint32_t>(kind));
  if (kind == SwitchKind::Full)
    kernel_.set_activity(cpu, next->idle ? CpuActivity::Idle : CpuActivity::Kernel);
  c.switch_cost = cost;
  m.switch_context(next->context);
  finish_switch();
}

void Scheduler::finish_switch() {
  CpuState& c = self_cpu();
  kernel_.machine().consume(std::exchange(c.switch_cost, 0));
  kernel_.spl().set_level(self_cpu().curlwp->saved_ipl);
}

void Scheduler::softint_dispatch(Lwp& softint) {
  Machine& m = kernel_.machine();
  const unsigned cpu = m.cpu_id();
  CpuState& c = cpus_[cpu];
  Lwp& pinned = *c.curlwp;
  const bool enabled = m.interrupts_enabled();
  m.set_interrupts_enabled(false);
  softint.pinned = &pinned;
  pinned.saved_ipl = softint.saved_ipl = c.ipl;
  softint.state = LwpState::Running;
  softint.on_cpu = true;
  c.curlwp = &softint;
  if (pinned.deferral != nullptr) pinned.deferral->charge_switch(SwitchKind::Light);
  kernel_.tracer().emit(m.now(), cpu, TraceKind::Switch, softint.id,
                        static_cast<std::uint32_t>(SwitchKind::Light));
  c.switch_cost = kernel_.costs().switch_light;
  m.switch_context(softint.context);
  finish_switch();
  m.set_interrupts_enabled(enabled);
}

}  // namespace irqlab::kernel
