#include "personality/linux/linux.h"

#include <cstdio>
#include <stdexcept>

#include "kernel.h"

namespace irqlab::kernel::lnx {

namespace {

constexpr const char* kSoftirqNames[NR_SOFTIRQS] = {"HI",    "TIMER",   "NET_TX", "NET_RX",  "BLOCK",
                                                    "IRQ_POLL", "TASKLET", "SCHED", "HRTIMER", "RCU"};
// Neutral per-CPU lists: DeferLevel Clock, Bio, Net.
constexpr unsigned kListVector[3] = {TIMER_SOFTIRQ, BLOCK_SOFTIRQ, NET_RX_SOFTIRQ};

bool is_minimal(const IplTable& t, unsigned max) {
  const IplTable m = minimal_ipl_table(max);
  if (t.size() != m.size()) return false;
  for (std::size_t i = 0; i < t.size(); ++i)
    if (t[i].name != m[i].name || t[i].soft != m[i].soft || t[i].threshold != m[i].threshold) return false;
  return true;
}

std::string hex(std::uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%08x", v);
  return buf;
}

// Restores the calling hart's interrupt enable on scope exit (local_irq_save/restore).
class IrqSave {
 public:
  explicit IrqSave(Machine& m) : m_(m), enabled_(m.interrupts_enabled()) { m_.set_interrupts_enabled(false); }
  ~IrqSave() { m_.set_interrupts_enabled(enabled_); }
  IrqSave(const IrqSave&) = delete;
  IrqSave& operator=(const IrqSave&) = delete;

 private:
  Machine& m_;
  bool enabled_;
};

}  // namespace

const char* softirq_name(unsigned nr) { return nr < NR_SOFTIRQS ? kSoftirqNames[nr] : "?"; }

const std::string& Tasklet::name() const { return work_->name(); }

void configure(KernelConfig& config) {
  if (config.ipl.empty()) config.ipl = minimal_ipl_table(config.platform.plic_max_priority);
  config.sched.kernel_preemption = config.personality.linux_.kernel_preemption;
}

std::vector<std::string> validate(const KernelConfig& config) {
  std::vector<std::string> errors;
  const LinuxOptions& o = config.personality.linux_;
  if (o.preempt_rt && !o.kernel_preemption)
    errors.push_back("linux: preempt_rt needs kernel_preemption (PREEMPT_RT implies CONFIG_PREEMPT)");
  if (o.max_softirq_restart == 0) errors.push_back("linux: max_softirq_restart is 0");
  if (o.max_softirq_jiffies == 0) errors.push_back("linux: max_softirq_jiffies is 0");
  if (!config.ipl.empty() && !is_minimal(config.ipl, config.platform.plic_max_priority))
    errors.push_back("linux: kernel.ipl must be empty or the minimal table (Linux has no spl levels)");
  return errors;
}

Linux& of(Kernel& kernel) {
  return static_cast<Linux&>(expect_personality(kernel, PersonalityKind::Linux));
}

Linux::Linux(Kernel& kernel, const LinuxOptions& options)
    : Personality(kernel),
      options_(options),
      cpu_(kernel.config().cpus),
      threaded_(std::make_unique<ThreadedIrqs>(kernel)),
      workqueues_(std::make_unique<Workqueues>(kernel)) {}

Linux::~Linux() = default;

void Linux::attach() {
  const unsigned cpus = kernel_.config().cpus;
  for (unsigned cpu = 0; cpu < cpus; ++cpu) {
    // L-SI-9: per-CPU, bound, SCHED_NORMAL (Kernel band 0); Dormant = TASK_INTERRUPTIBLE.
    Lwp& k = kernel_.sched().create_softint(cpu, 0, 0, "ksoftirqd/" + std::to_string(cpu),
                                            [this, cpu] { run_ksoftirqd(cpu); });
    k.softint = false;
    k.base_priority = k.priority = band_range(Band::Kernel).base;
    cpu_[cpu].ksoftirqd = &k;
    if (options_.preempt_rt)
      cpu_[cpu].local_lock = std::make_unique<AdaptiveMutex>(kernel_, "softirq_ctrl/" + std::to_string(cpu));
  }
  vec_[HI_SOFTIRQ] = {[this] { tasklet_action(true); }, nullptr, true};
  vec_[TASKLET_SOFTIRQ] = {[this] { tasklet_action(false); }, nullptr, true};
}

unsigned Linux::cpu_id() const { return kernel_.machine().cpu_id(); }

Linux::Task& Linux::self_task() { return task(kernel_.sched().current()); }

void Linux::warn(const std::string& message) { warnings_.push_back(message); }

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
    m.consume(kernel_.costs().softirq_pass);
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

void Linux::clock_tick(unsigned cpu) {
  if (cpu == 0) ++jiffies_;  // tick_do_timer_cpu
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

void Linux::irq_forced_thread_fn(const std::function<void()>& fn) {
  Machine& m = kernel_.machine();
  local_bh_disable();
  const bool enabled = m.interrupts_enabled();
  if (!options_.preempt_rt) m.set_interrupts_enabled(false);
  fn();
  m.set_interrupts_enabled(enabled);
  local_bh_enable();
}

IrqHandler Linux::wrap_irq(unsigned source, unsigned priority, IrqHandler handler) {
  if (!force_irqthreads() || threaded_->attaching()) return handler;
  return threaded_->forced_threaded(source, priority, std::move(handler), "irq",
                                    [this](const std::function<void()>& fn) { irq_forced_thread_fn(fn); });
}

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

// --- Neutral API ----------------------------------------------------------------------

void Linux::establish(DeferredWork& work) {
  const DeferredSpec& s = work.spec();
  if (s.may_block) {
    workqueues_->bind(work, workqueues_->system_wq());
    return;
  }
  if (s.level == DeferLevel::Serial) {
    Tasklet& t = tasklets_.emplace_back();
    t.work_ = &work;
    work.set_mechanism_name("tasklet");
    work.mechanism = [this, &t](DeferredWork&) { tasklet_schedule(t); };
    return;
  }
  const unsigned list = static_cast<unsigned>(s.level);  // Clock 0, Bio 1, Net 2
  const unsigned nr = kListVector[list];
  Vector& v = vec_[nr];
  if (v.bound && v.record != nullptr)
    throw std::invalid_argument("establish_deferred(" + work.name() + "): softirq " + kSoftirqNames[nr] +
                                " has an open_softirq action");
  if (!v.bound) v = {[this, list] { neutral_action(list); }, nullptr, true};
  work.set_mechanism_name(std::string("softirq/") + kSoftirqNames[nr]);
  work.mechanism = [this, list, nr](DeferredWork& w) { neutral_schedule(w, list, nr); };
}

void Linux::neutral_schedule(DeferredWork& work, unsigned list, unsigned nr) {
  if (work.outstanding()) {  // NAPI_STATE_SCHED
    work.raised(true);
    return;
  }
  work.raised(false);
  IrqSave irq(kernel_.machine());
  cpu_[cpu_id()].neutral[list].push_back(&work);
  raise_softirq_irqoff(nr);
}

void Linux::neutral_action(unsigned list) {
  Machine& m = kernel_.machine();
  Cpu& c = cpu_[cpu_id()];
  std::deque<DeferredWork*> works;
  m.set_interrupts_enabled(false);
  works.swap(c.neutral[list]);
  m.set_interrupts_enabled(true);
  for (DeferredWork* w : works) run_work(*w);
}

// --- spinlock_t -----------------------------------------------------------------------

SpinLock::SpinLock(Kernel& kernel, std::string name, bool raw) : kernel_(kernel) {
  if (!raw && of(kernel).preempt_rt())
    rt_ = std::make_unique<AdaptiveMutex>(kernel, std::move(name));
  else
    spin_ = std::make_unique<SpinMutex>(kernel, std::move(name), 0);
}

void SpinLock::lock() {
  if (rt_) {
    rt_->enter();
    return;
  }
  of(kernel_).preempt_disable();
  spin_->enter();
}

void SpinLock::unlock() {
  if (rt_) {
    rt_->exit();
    return;
  }
  spin_->exit();
  of(kernel_).preempt_enable();
}

}  // namespace irqlab::kernel::lnx
