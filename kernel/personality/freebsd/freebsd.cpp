#include "personality/freebsd/freebsd.h"

#include <algorithm>
#include <stdexcept>

#include "kernel.h"
#include "sync/sleepq.h"

namespace irqlab::kernel::freebsd {

namespace {

unsigned swi_of_level(DeferLevel level) {
  switch (level) {
    case DeferLevel::Clock: return SWI_CLOCK;
    case DeferLevel::Bio: return SWI_CAMBIO;
    case DeferLevel::Net: return SWI_NET;
    case DeferLevel::Serial: return SWI_TTY;
  }
  return SWI_NET;
}

}  // namespace

unsigned kernel_priority(unsigned p) {
  if (p < PRI_MIN_REALTIME) return 223 - p;
  if (p < PRI_MIN_KERN) return 127 - (p - PRI_MIN_REALTIME);
  if (p < PRI_MIN_KERN + 32) return 95 - (p - PRI_MIN_KERN);
  if (p < PRI_MIN_TIMESHARE) return 64;
  if (p < PRI_MIN_TIMESHARE + 64) return 63 - (p - PRI_MIN_TIMESHARE);
  return 0;
}

void configure(KernelConfig& config) {
  const FreebsdOptions& o = config.personality.freebsd;
  config.sched.kernel_preemption = o.preemption;
  config.sched.preempt_min_priority = kernel_priority(std::min(o.preempt_thresh, 255u));
}

std::vector<std::string> validate(const KernelConfig& config) {
  std::vector<std::string> errors;
  const FreebsdOptions& o = config.personality.freebsd;
  if (o.preempt_thresh > 255)
    errors.push_back("freebsd: preempt_thresh " + std::to_string(o.preempt_thresh) +
                     " is outside the priority range 0..255");
  if (o.intr_storm_threshold != 0 && config.tick.period == 0)
    errors.push_back("freebsd: intr_storm_threshold needs the tick (the throttle pauses one tick)");
  if (!config.ipl.empty() && config.ipl != minimal_ipl_table(config.platform.plic_max_priority))
    errors.push_back("freebsd: kernel.ipl must be empty (FreeBSD has no spl levels)");
  return errors;
}

Freebsd& of(Kernel& kernel) {
  return static_cast<Freebsd&>(expect_personality(kernel, PersonalityKind::Freebsd));
}

Freebsd::Freebsd(Kernel& kernel, const FreebsdOptions& options)
    : Personality(kernel),
      options_(options),
      nesting_(kernel.config().cpus, 0),
      source_event_(kernel.config().platform.plic_sources, kNoEvent),
      tick_waiters_(std::make_unique<SleepQueue>()) {}

Freebsd::~Freebsd() = default;

IrqHandler Freebsd::wrap_irq(unsigned source, unsigned priority, IrqHandler handler) {
  if (registering_) return handler;
  if (event_of_source(source) != kNoEvent)
    throw std::invalid_argument("attach_irq(" + std::to_string(source) +
                                "): the source already has an intr_event");
  // A neutral hard handler is a filter that always claims the interrupt.
  const EventId ev = new_event("irq" + std::to_string(source) + ":", false, source, priority);
  add_handler(ev, "irq" + std::to_string(source),
              [handler = std::move(handler), source] {
                handler(source);
                return FILTER_HANDLED;
              },
              nullptr, PI_DULL, true);
  if (source < source_event_.size()) source_event_[source] = ev;
  return [this, ev](unsigned) { handle(ev); };
}

void Freebsd::clock_tick(unsigned /*cpu*/) {
  while (Lwp* lwp = tick_waiters_->pop()) kernel_.sched().wakeup(*lwp);
}

void Freebsd::establish(DeferredWork& work) {
  const DeferredSpec& s = work.spec();
  const unsigned l = static_cast<unsigned>(s.level);
  const unsigned pri = swi_of_level(s.level);
  if (level_swi_[l] == kNoEvent)
    level_swi_[l] = new_event("swi" + std::to_string(pri) + ": " + defer_level_name(s.level), true, 0, 0);
  const IntrCookie cookie = add_handler(level_swi_[l], work.name(), {}, &work, PI_SWI(pri), s.mpsafe);
  work.mechanism = [this, cookie](DeferredWork&) { swi_sched(cookie, 0); };
}

void Freebsd::critical_enter() { kernel_.sched().preempt_disable(); }
void Freebsd::critical_exit() { kernel_.sched().preempt_enable(); }

}  // namespace irqlab::kernel::freebsd
