#include "kernel.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "drivers/driver_registry.h"
#include "machine/bus_error.h"
#include "net/net_stack.h"

namespace irqlab::kernel {

namespace {

const KernelConfig& checked(const KernelConfig& config, const Machine& machine) {
  std::vector<std::string> errors = validate_config(config);
  if (config.cpus != machine.cpu_count())
    errors.push_back("cpus is " + std::to_string(config.cpus) + " but the machine has " +
                     std::to_string(machine.cpu_count()) + " harts");
  if (errors.empty()) return config;
  std::string message = "invalid kernel config:";
  for (const std::string& e : errors) message += "\n  " + e;
  throw std::invalid_argument(message);
}

IplTable ipl_table_of(const KernelConfig& config) {
  return config.ipl.empty() ? minimal_ipl_table(config.platform.plic_max_priority) : config.ipl;
}

}  // namespace

Kernel::Kernel(Machine& machine, KernelConfig config, Tracer& tracer)
    : machine_(machine),
      config_(checked(apply_personality(std::move(config)), machine)),
      tracer_(tracer),
      counters_(config_.cpus, config_.platform.plic_sources),
      irqs_(machine, tracer, config_.costs, config_.platform.plic_sources),
      activity_(config_.cpus, CpuActivity::Kernel),
      cpus_(config_.cpus),
      sched_(*this, config_.sched, cpus_),
      spl_(*this, ipl_table_of(config_), config_.cpus),
      big_lock_(*this, "kernel_lock"),
      dma_memory_(config_.platform.ram_base, config_.platform.ram_size) {
  crypto_ = std::make_unique<CryptoFramework>(*this);  // before the drivers register with it
  make_drivers();  // may throw: before the tracer holds a pointer into this kernel
  for (const std::unique_ptr<Driver>& driver : drivers_) driver->attach();
  tracer_.attach(&panic_log_);
  tracer_.attach(&counters_);
  for (const Lwp& idle : sched_.lwps()) announce(TraceKind::AnnounceLwp, idle.id, idle.name, 1 + idle.cpu);
  for (const InjectedSource& s : config_.injected) {
    irqs_.request_irq(s.source,
                      [this, cycles = s.handler_cycles](unsigned) { machine_.consume(cycles); });
    requests_.push_back({s.source, s.priority, s.cpus});
  }
  personality_ = make_personality(*this);
  personality_->attach();
  crypto_->attach();
  if (config_.ipsec.present) net_ = std::make_unique<NetStack>(*this);
}

Kernel::~Kernel() {
  tracer_.detach(&counters_);
  tracer_.detach(&panic_log_);
  // Drivers before the members declared after them: a driver's locks (the crypto ring's)
  // unregister from locks_.
  plic_ = nullptr;
  ipi_ = nullptr;
  drivers_.clear();
}

void Kernel::announce(TraceKind kind, std::uint32_t id, std::string_view name, std::uint32_t arg2) const {
  if (started_)
    tracer_.announce(machine_.now(), machine_.cpu_id(), kind, id, name, arg2);
  else
    tracer_.announce(0, 0, kind, id, name, arg2);
}

unsigned Kernel::register_lock(LockBase& lock, std::string_view name) {
  locks_.push_back(&lock);
  announce(TraceKind::AnnounceLock, next_lock_id_, name);
  return next_lock_id_++;
}

void Kernel::make_drivers() {
  for (const PlatformDevice& device : config_.platform.devices)
    drivers_.push_back(DriverRegistry::instance().create(*this, device));
  if (drivers_.empty() || drivers_.front()->as_interrupt_controller() == nullptr)
    throw std::invalid_argument("the platform's first device must be the interrupt controller");
  plic_ = drivers_.front()->as_interrupt_controller();
  for (const std::unique_ptr<Driver>& driver : drivers_)
    if (IpiSender* sender = driver->as_ipi(); sender != nullptr) ipi_ = sender;
  if (config_.cpus > 1 && ipi_ == nullptr)
    throw std::invalid_argument("cpus > 1 but no platform device sends IPIs");
}

void Kernel::check_priority(const char* who, unsigned source, unsigned priority) const {
  if (priority == 0 || priority > config_.platform.plic_max_priority)
    throw std::invalid_argument(std::string(who) + "(" + std::to_string(source) + "): priority " +
                                std::to_string(priority) + " outside 1.." +
                                std::to_string(config_.platform.plic_max_priority));
}

void Kernel::attach_irq(unsigned source, unsigned priority, IrqHandler handler,
                        std::vector<unsigned> cpus) {
  check_priority("attach_irq", source, priority);
  irqs_.request_irq(source, personality_->wrap_irq(source, priority, std::move(handler)));
  requests_.push_back({source, priority, std::move(cpus)});
}

void Kernel::attach_hard_irq(unsigned source, unsigned priority, IrqHandler handler,
                             std::vector<unsigned> cpus) {
  check_priority("attach_hard_irq", source, priority);
  irqs_.request_irq(source, std::move(handler));
  requests_.push_back({source, priority, std::move(cpus)});
}

void Kernel::boot_hart() {
  const unsigned cpu = machine_.cpu_id();
  started_ = true;
  set_activity(cpu, CpuActivity::Kernel);
  machine_.consume(config_.costs.boot);
  for (const std::unique_ptr<Driver>& driver : drivers_) driver->boot_cpu(cpu);

  sched_.adopt_idle(cpu);
  personality_->boot_cpu(cpu);
  set_activity(cpu, CpuActivity::Idle);
  machine_.set_interrupts_enabled(true);
  sched_.idle_loop();
}

void Kernel::external_interrupt() {
  unsigned cpu = machine_.cpu_id();
  const CpuActivity interrupted = activity_[cpu];
  tracer_.emit(machine_.now(), cpu, TraceKind::TrapEnter);
  set_activity(cpu, CpuActivity::Interrupt);
  CpuState& c = cpus_[cpu];
  ++c.hard_depth;
  machine_.consume(config_.costs.trap_entry);

  plic_->claim_loop(cpu);
  --c.hard_depth;

  personality_->irq_exit();
  if (c.curlwp != nullptr) sched_.trap_return(interrupted == CpuActivity::User);

  cpu = machine_.cpu_id();  // a preempted LWP may resume on another CPU
  machine_.consume(config_.costs.trap_exit);
  tracer_.emit(machine_.now(), cpu, TraceKind::TrapExit);
  set_activity(cpu, interrupted);
}

void Kernel::user(Cycle n) {
  personality_->user_return();
  sched_.user_return();
  Lwp& self = sched_.current();
  self.in_user = true;
  set_activity(machine_.cpu_id(), CpuActivity::User);
  machine_.consume(n);
  self.in_user = false;
  set_activity(machine_.cpu_id(), CpuActivity::Kernel);
}

void Kernel::panic(const std::string& reason) const {
  const unsigned cpu = machine_.cpu_id();
  const Lwp* lwp = cpus_[cpu].curlwp;
  std::string message = "kernel panic: " + reason + "\n  cpu " + std::to_string(cpu) + ", lwp " +
                        (lwp ? std::to_string(lwp->id) + " (" + lwp->name + ")" : "none") +
                        ", cycle " + std::to_string(machine_.now()) + "\n  recent events:\n" +
                        panic_log_.recent();
  throw KernelPanic(message);
}

void Kernel::bus_fault(const BusError& error) { panic(error.what()); }

std::string Kernel::describe_context(ContextId context) const {
  for (const Lwp& lwp : sched_.lwps())
    if (lwp.context == context) return "LWP " + std::to_string(lwp.id) + " (" + lwp.name + ")";
  return {};
}

KernelStats Kernel::stats() const {
  KernelStats s{counters_.cpus(), counters_.sources(), counters_.lwps(), {}, {}};
  for (std::size_t cpu = 0; cpu < cpus_.size(); ++cpu) s.cpus[cpu].ticks = cpus_[cpu].ticks;
  for (const LockBase* lock : locks_) s.locks.push_back({lock->name(), lock->stats()});
  for (const DeferredWork& w : deferred_) {
    DeferredStats d = w.stats();
    d.switches.interrupt = counters_.deferred_interrupts(w.id());
    s.deferred.push_back(std::move(d));
  }
  return s;
}

DeferredWork& Kernel::deferred_record(DeferredSpec spec) {
  if (!spec.handler) throw std::invalid_argument("deferred work " + spec.name + ": empty handler");
  DeferredWork& work =
      deferred_.emplace_back(*this, std::move(spec), static_cast<std::uint32_t>(deferred_.size()));
  announce(TraceKind::AnnounceDeferred, work.id(), work.name(), work.spec().source);
  return work;
}

DeferredWork& Kernel::establish_deferred(DeferredSpec spec) {
  DeferredWork& work = deferred_record(std::move(spec));
  try {
    personality_->establish(work);
  } catch (...) {
    deferred_.pop_back();
    throw;
  }
  return work;
}

void Kernel::set_activity(unsigned cpu, CpuActivity activity) {
  activity_[cpu] = activity;
  tracer_.emit(machine_.now(), cpu, TraceKind::Activity, static_cast<std::uint32_t>(activity));
}

void Kernel::hardclock(unsigned cpu) {
  machine_.consume(config_.costs.tick_handler);
  ++cpus_[cpu].ticks;
  sched_.tick(cpu);
  personality_->clock_tick(cpu);
  for (const auto& hook : tick_hooks_) hook(cpu);
}

std::vector<unsigned> Kernel::sources_enabled_on(unsigned cpu) const {
  std::vector<unsigned> sources;
  for (const IrqRequest& r : requests_)
    if (r.cpus.empty() || std::find(r.cpus.begin(), r.cpus.end(), cpu) != r.cpus.end())
      sources.push_back(r.source);
  return sources;
}

}  // namespace irqlab::kernel
