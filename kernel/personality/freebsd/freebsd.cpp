#include "personality/freebsd/freebsd.h"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "kernel.h"
#include "personality/registry.h"
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

namespace {

FreebsdOptions options_of(const KernelConfig& config) {
  return read_options(option_fields(), config.personality.options_of(kName));
}

void configure(KernelConfig& config) {
  const FreebsdOptions o = options_of(config);
  config.sched.kernel_preemption = o.preemption;
  config.sched.preempt_min_priority = kernel_priority(std::min(o.preempt_thresh, 255u));
}

std::vector<std::string> validate(const KernelConfig& config) {
  std::vector<std::string> errors;
  const FreebsdOptions o = options_of(config);
  if (o.intr_storm_threshold != 0 && config.tick.period == 0)
    errors.push_back("freebsd: intr_storm_threshold needs the tick (the throttle pauses one tick)");
  if (!config.ipl.empty() && config.ipl != minimal_ipl_table(config.platform.plic_max_priority))
    errors.push_back("freebsd: kernel.ipl must be empty (FreeBSD has no spl levels)");
  return errors;
}

const PersonalityRegistration kRegistration{{
    .name = std::string(kName),
    .summary = "FreeBSD: interrupt filters, ithreads and swi threads under ULE",
    .options = option_schema(option_fields()),
    .costs = {},
    .configure = configure,
    .validate = validate,
    .make = [](Kernel& kernel) -> std::unique_ptr<Personality> {
      return std::make_unique<Freebsd>(kernel, options_of(kernel.config()));
    },
}};

}  // namespace

std::span<const OptionField<FreebsdOptions>> option_fields() {
  static constexpr OptionField<FreebsdOptions> fields[] = {
      {"preemption", &FreebsdOptions::preemption, 0, 1, "",
       "options PREEMPTION (F-16..F-18): a good enough woken thread preempts kernel code"},
      {"preempt_thresh", &FreebsdOptions::preempt_thresh, 0, 255, "FreeBSD priority",
       "kern.sched.preempt_thresh (F-15): only threads at or better than it preempt kernel code"},
      {"intr_storm_threshold", &FreebsdOptions::intr_storm_threshold, 0, 1'000'000, "interrupts",
       "hw.intr_storm_threshold (F-13): throttle an ithread after this many; 0 = off; needs the "
       "tick"},
      {"netisr_direct", &FreebsdOptions::netisr_direct, 0, 1, "",
       "net.isr.direct (FreeBSD 7): netisr_dispatch runs Net-level work in the caller; 0: queued "
       "to swi net"},
      {"crypto_cbimm", &FreebsdOptions::crypto_cbimm, 0, 1, "",
       "crypto callbacks in crypto_done's context (CRYPTO_F_CBIMM) instead of the crypto returns "
       "thread"},
  };
  return fields;
}

PersonalityConfig selected(const FreebsdOptions& options) {
  return {std::string(kName), {{std::string(kName), write_options(option_fields(), options)}}};
}

Freebsd& of(Kernel& kernel) {
  return static_cast<Freebsd&>(expect_personality(kernel, kName));
}

Freebsd::Freebsd(Kernel& kernel, const FreebsdOptions& options)
    : Personality(kernel),
      options_(options),
      nesting_(kernel.config().cpus, 0),
      filtering_(kernel.config().cpus, kNoEvent),
      source_event_(kernel.config().platform.plic_sources, kNoEvent),
      tick_waiters_(std::make_unique<SleepQueue>()) {}

Freebsd::~Freebsd() = default;

IrqHandler Freebsd::wrap_irq(unsigned source, unsigned priority, IrqHandler handler) {
  if (registering_) return handler;
  EventId ev = event_of_source(source);
  // An event a bottom half made before its source's handler came (bottom_half.cpp): one
  // handler, no filter yet, no PLIC priority known.
  const bool bottom_half_first = ev != kNoEvent && events_[ev].plic_priority == 0 &&
                                 events_[ev].handlers.size() == 1 &&
                                 !handlers_[events_[ev].handlers.front()].filter;
  if (ev != kNoEvent && !bottom_half_first)
    throw std::invalid_argument("attach_irq(" + std::to_string(source) +
                                "): the source already has an intr_event");
  // A neutral hard handler is a filter that always claims the interrupt, and asks for
  // the ithread when it scheduled its source's bottom half (schedule_bottom_half).
  if (ev == kNoEvent) ev = new_event("irq" + std::to_string(source) + ":", false, source, priority);
  DriverFilter filter = [this, ev, handler = std::move(handler), source] {
    handler(source);
    return std::exchange(events_[ev].thread_requested, false) ? FILTER_SCHEDULE_THREAD
                                                              : FILTER_HANDLED;
  };
  if (bottom_half_first) {
    events_[ev].plic_priority = priority;
    handlers_[events_[ev].handlers.front()].filter = std::move(filter);
  } else {
    add_handler(ev, "irq" + std::to_string(source), std::move(filter), nullptr, PI_DULL, true);
  }
  if (source < source_event_.size()) source_event_[source] = ev;
  return [this, ev](unsigned) { handle(ev); };
}

void Freebsd::clock_tick(unsigned /*cpu*/) {
  while (Lwp* lwp = tick_waiters_->pop()) kernel_.sched().wakeup(*lwp);
}

CryptoCallbackMode Freebsd::crypto_callback_default() const {
  return options_.crypto_cbimm ? CryptoCallbackMode::Immediate : CryptoCallbackMode::Thread;
}

bool Freebsd::dispatches_directly(const DeferredWork& work) const {
  return options_.netisr_direct && work.spec().level == DeferLevel::Net;
}

void Freebsd::establish(DeferredWork& work) {
  const DeferredSpec& s = work.spec();
  if (s.bottom_half != BottomHalf::No && s.source != 0) return establish_bottom_half(work);
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
