#include "personality/linux/linux.h"

#include <stdexcept>

#include "kernel.h"
#include "personality/registry.h"
#include "personality/linux/linux_internal.h"

namespace irqlab::kernel::lnx {

namespace {

// Neutral per-CPU lists: DeferLevel Clock, Bio, Net.
constexpr unsigned kListVector[3] = {TIMER_SOFTIRQ, BLOCK_SOFTIRQ, NET_RX_SOFTIRQ};

bool is_minimal(const IplTable& t, unsigned max) {
  const IplTable m = minimal_ipl_table(max);
  if (t.size() != m.size()) return false;
  for (std::size_t i = 0; i < t.size(); ++i)
    if (t[i].name != m[i].name || t[i].soft != m[i].soft || t[i].threshold != m[i].threshold) return false;
  return true;
}

LinuxOptions options_of(const KernelConfig& config) {
  return read_options(option_fields(), config.personality.options_of(kName));
}

void configure(KernelConfig& config) {
  if (config.ipl.empty()) config.ipl = minimal_ipl_table(config.platform.plic_max_priority);
  config.sched.kernel_preemption = options_of(config).kernel_preemption;
}

std::vector<std::string> validate(const KernelConfig& config) {
  std::vector<std::string> errors;
  const LinuxOptions o = options_of(config);
  if (o.preempt_rt && !o.kernel_preemption)
    errors.push_back("linux: preempt_rt needs kernel_preemption (PREEMPT_RT implies CONFIG_PREEMPT)");
  if (!config.ipl.empty() && !is_minimal(config.ipl, config.platform.plic_max_priority))
    errors.push_back("linux: kernel.ipl must be empty or the minimal table (Linux has no spl levels)");
  return errors;
}

const PersonalityRegistration kRegistration{{
    .name = std::string(kName),
    .summary = "Linux: softirq, tasklet, ksoftirqd, workqueues, threaded IRQs, PREEMPT_RT",
    .options = option_schema(option_fields()),
    .costs = [] {
      std::vector<NamedCost> costs;
      for (const LinuxCostField& f : cost_fields()) costs.push_back({std::string(f.name), std::string(f.meaning)});
      return costs;
    }(),
    .configure = configure,
    .validate = validate,
    .make = [](Kernel& kernel) -> std::unique_ptr<Personality> {
      return std::make_unique<Linux>(kernel, options_of(kernel.config()));
    },
}};

}  // namespace

std::span<const OptionField<LinuxOptions>> option_fields() {
  static constexpr OptionField<LinuxOptions> fields[] = {
    {"ksoftirqd_defers", &LinuxOptions::ksoftirqd_defers, 0, 1, "",
     "L-SI-10: v4.9..v6.4 behaviour, leave softirqs to a runnable ksoftirqd; false: v6.5+"},
    {"threadirqs", &LinuxOptions::threadirqs, 0, 1, "",
     "the threadirqs boot option: force threaded interrupt handlers (L-SI-11, L-RT-1)"},
    {"preempt_rt", &LinuxOptions::preempt_rt, 0, 1, "",
     "PREEMPT_RT (L-BH-4, L-RT-1..4): implies threadirqs; needs kernel_preemption"},
    {"kernel_preemption", &LinuxOptions::kernel_preemption, 0, 1, "", "CONFIG_PREEMPT: kernel preemption"},
    {"max_softirq_jiffies", &LinuxOptions::max_softirq_jiffies, 1, 1000, "jiffies",
     "L-SI-14: MAX_SOFTIRQ_TIME, in ticks of CPU 0"},
    {"max_softirq_restart", &LinuxOptions::max_softirq_restart, 1, 1000, "passes",
     "L-SI-14: MAX_SOFTIRQ_RESTART, softirq passes before handing over to ksoftirqd"},
  };
  return fields;
}

std::span<const LinuxCostField> cost_fields() {
  static constexpr LinuxCostField fields[] = {
      {"work_queue", &LinuxCosts::work_queue,
       "Linux queue_work: PENDING test-and-set, choose the worker pool, list insert"},
      {"work_process", &LinuxCosts::work_process,
       "Linux worker takes a work item off the pool list (process_one_work bookkeeping)"},
      {"worker_create", &LinuxCosts::worker_create,
       "Linux work-queue manager creates a kworker thread (kthread setup, not the wake-up)"},
      {"softirq_pass", &LinuxCosts::softirq_pass,
       "Linux handle_softirqs: one pass (snapshot and clear the pending mask, walk its bits)"},
  };
  return fields;
}

LinuxCosts linux_costs(const CostProfile& profile) {
  LinuxCosts costs;
  for (const LinuxCostField& f : cost_fields())
    if (const auto it = profile.personality.find(f.name); it != profile.personality.end())
      costs.*f.member = it->second;
  return costs;
}

PersonalityConfig selected(const LinuxOptions& options) {
  return {std::string(kName), {{std::string(kName), write_options(option_fields(), options)}}};
}

Linux& of(Kernel& kernel) {
  return static_cast<Linux&>(expect_personality(kernel, kName));
}

Linux::Linux(Kernel& kernel, const LinuxOptions& options)
    : Personality(kernel),
      options_(options),
      costs_(linux_costs(kernel.config().costs)),
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

void Linux::clock_tick(unsigned cpu) {
  if (cpu == 0) ++jiffies_;  // tick_do_timer_cpu
}

// --- Forced threading -----------------------------------------------------------------

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

// --- Neutral API ----------------------------------------------------------------------

void Linux::establish(DeferredWork& work) {
  bind_mechanism(work);
  const DeferredSpec& s = work.spec();
  if (s.bottom_half == BottomHalf::No) return;
  if (force_irqthreads() && s.source != 0) return establish_bottom_half_thread(work);
  if (s.bottom_half == BottomHalf::OrInline) run_inline_from_hard_interrupt(work);
}

CryptoCallbackMode Linux::crypto_callback_default() const { return CryptoCallbackMode::Deferred; }

bool Linux::dispatches_directly(const DeferredWork& work) const {
  const DeferredSpec& s = work.spec();
  if (s.level != DeferLevel::Net || s.may_block) return false;
  if (!options_.preempt_rt) return cpu_[cpu_id()].serving;
  const auto t = tasks_.find(&kernel_.sched().current());
  return t != tasks_.end() && t->second.serving;
}

void Linux::bind_mechanism(DeferredWork& work) {
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
