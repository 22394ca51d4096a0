#include "kernel.h"

#include <algorithm>
#include <stdexcept>
#include <string>

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

}  // namespace

Kernel::Kernel(Machine& machine, KernelConfig config, Tracer& tracer)
    : machine_(machine),
      config_(checked(config, machine)),
      tracer_(tracer),
      irqs_(machine, tracer, config_.costs, config_.platform.plic_sources),
      plic_(machine, config_.platform, tracer, irqs_),
      timer_(machine, config_.platform.timer_base, config_.tick, config_.cpus),
      activity_(config_.cpus, CpuActivity::Kernel),
      cpu_stats_(config_.cpus) {
  if (config_.tick.period != 0)
    for (unsigned cpu = 0; cpu < config_.cpus; ++cpu)
      irqs_.request_irq(config_.platform.timer_source[cpu], [this, cpu](unsigned) { tick(cpu); });
  for (const InjectedSource& s : config_.injected)
    irqs_.request_irq(s.source,
                      [this, cycles = s.handler_cycles](unsigned) { machine_.consume(cycles); });
}

void Kernel::boot_hart() {
  const unsigned cpu = machine_.cpu_id();
  set_activity(cpu, CpuActivity::Kernel);
  machine_.consume(config_.costs.boot);

  if (cpu == 0) {
    if (config_.tick.period != 0)
      for (unsigned h = 0; h < config_.cpus; ++h)
        plic_.set_priority(config_.platform.timer_source[h], config_.tick.priority);
    for (const InjectedSource& s : config_.injected) plic_.set_priority(s.source, s.priority);
  }
  plic_.init_context(cpu, sources_enabled_on(cpu));
  if (config_.tick.period != 0) timer_.start(cpu);

  set_activity(cpu, CpuActivity::Idle);
  machine_.set_interrupts_enabled(true);
  for (;;) machine_.wait_for_interrupt();
}

void Kernel::external_interrupt() {
  const unsigned cpu = machine_.cpu_id();
  const CpuActivity interrupted = activity_[cpu];
  tracer_.emit(machine_.now(), cpu, TraceKind::TrapEnter);
  set_activity(cpu, CpuActivity::Interrupt);
  ++cpu_stats_[cpu].interrupts;
  machine_.consume(config_.costs.trap_entry);

  if (plic_.claim_loop(cpu) == 0) ++cpu_stats_[cpu].spurious;

  machine_.consume(config_.costs.trap_exit);
  tracer_.emit(machine_.now(), cpu, TraceKind::TrapExit);
  set_activity(cpu, interrupted);
}

KernelStats Kernel::stats() const { return KernelStats{cpu_stats_, irqs_.stats()}; }

void Kernel::set_activity(unsigned cpu, CpuActivity activity) {
  activity_[cpu] = activity;
  tracer_.emit(machine_.now(), cpu, TraceKind::Activity, static_cast<std::uint32_t>(activity));
}

void Kernel::tick(unsigned cpu) {
  timer_.tick(cpu);
  machine_.consume(config_.costs.tick_handler);
  ++cpu_stats_[cpu].ticks;
}

std::vector<unsigned> Kernel::sources_enabled_on(unsigned cpu) const {
  std::vector<unsigned> sources;
  if (config_.tick.period != 0) sources.push_back(config_.platform.timer_source[cpu]);
  for (const InjectedSource& s : config_.injected)
    if (s.cpus.empty() || std::find(s.cpus.begin(), s.cpus.end(), cpu) != s.cpus.end())
      sources.push_back(s.source);
  return sources;
}

}  // namespace irqlab::kernel
