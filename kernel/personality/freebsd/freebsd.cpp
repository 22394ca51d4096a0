#include "personality/freebsd/freebsd.h"

#include <algorithm>
#include <stdexcept>

#include "kernel.h"
#include "sync/sleepq.h"
#include "sync/turnstile.h"

namespace irqlab::kernel::freebsd {

namespace {

bool same_table(const IplTable& a, const IplTable& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i].name != b[i].name || a[i].soft != b[i].soft || a[i].threshold != b[i].threshold)
      return false;
  return true;
}

constexpr unsigned kTypeMask = INTR_TYPE_TTY | INTR_TYPE_BIO | INTR_TYPE_NET | INTR_TYPE_CAM |
                               INTR_TYPE_MISC | INTR_TYPE_CLK | INTR_TYPE_AV;

// The DeferLevel a handler is listed under in the statistics.
DeferLevel level_of_type(unsigned flags) {
  switch (flags & kTypeMask) {
    case INTR_TYPE_NET: return DeferLevel::Net;
    case INTR_TYPE_CLK: return DeferLevel::Clock;
    case INTR_TYPE_TTY:
    case INTR_TYPE_AV: return DeferLevel::Serial;
    default: return DeferLevel::Bio;  // BIO, CAM, MISC
  }
}

DeferLevel level_of_swi(unsigned pri) {
  switch (pri) {
    case SWI_TTY: return DeferLevel::Serial;
    case SWI_NET: return DeferLevel::Net;
    case SWI_CLOCK: return DeferLevel::Clock;
    default: return DeferLevel::Bio;  // CAMBIO, BUSDMA, TQ_FAST, TQ
  }
}

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

unsigned intr_priority(unsigned flags) {
  switch (flags & kTypeMask) {
    case INTR_TYPE_TTY: return PI_TTY;
    case INTR_TYPE_BIO: return PI_DISK;
    case INTR_TYPE_NET: return PI_NET;
    case INTR_TYPE_CAM: return PI_DISK;
    case INTR_TYPE_AV: return PI_AV;
    case INTR_TYPE_CLK: return PI_REALTIME;
    case INTR_TYPE_MISC: return PI_DULL;
    default:
      throw std::invalid_argument("intr_priority: no (single) interrupt type in flags " +
                                  std::to_string(flags));
  }
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
  if (!config.ipl.empty() && !same_table(config.ipl, minimal_ipl_table(config.platform.plic_max_priority)))
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

EventId Freebsd::event_of_source(unsigned source) const {
  return source < source_event_.size() ? source_event_[source] : kNoEvent;
}

EventId Freebsd::new_event(std::string name, bool soft, unsigned source, unsigned plic_priority) {
  Event& ev = events_.emplace_back();
  ev.name = std::move(name);
  ev.soft = soft;
  ev.source = source;
  ev.plic_priority = plic_priority;
  return static_cast<EventId>(events_.size() - 1);
}

void Freebsd::register_source(EventId event, std::vector<unsigned> cpus) {
  const Event& ev = events_[event];
  registering_ = true;
  try {
    kernel_.attach_irq(ev.source, ev.plic_priority, [this, event](unsigned) { handle(event); },
                       std::move(cpus));
  } catch (...) {
    registering_ = false;
    events_.pop_back();
    throw;
  }
  registering_ = false;
  source_event_[ev.source] = event;
}

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

EventId Freebsd::intr_event_create(unsigned source, unsigned plic_priority, std::vector<unsigned> cpus) {
  if (kernel_.started()) throw std::invalid_argument("intr_event_create: after boot");
  if (event_of_source(source) != kNoEvent)
    throw std::invalid_argument("intr_event_create(" + std::to_string(source) + "): event exists");
  const EventId ev = new_event("irq" + std::to_string(source) + ":", false, source, plic_priority);
  register_source(ev, std::move(cpus));
  return ev;
}

IntrCookie Freebsd::bus_setup_intr(unsigned source, unsigned plic_priority, unsigned flags,
                                   DriverFilter filter, DriverIntr handler, std::string name,
                                   std::vector<unsigned> cpus) {
  const std::string who = "bus_setup_intr(" + name + "): ";
  if (kernel_.started()) throw std::invalid_argument(who + "after boot");
  if (!filter && !handler) throw std::invalid_argument(who + "neither a filter nor a handler");
  const unsigned pri = intr_priority(flags);
  const bool mpsafe = (flags & INTR_MPSAFE) != 0;
  EventId ev = event_of_source(source);
  if (ev == kNoEvent) {
    ev = new_event("irq" + std::to_string(source) + ": " + name, false, source, plic_priority);
    register_source(ev, std::move(cpus));
  } else if (events_[ev].soft) {
    throw std::invalid_argument(who + "source event is a swi");
  }
  DeferredWork* work = nullptr;
  if (handler)
    work = &kernel_.deferred_record({name, level_of_type(flags), true, mpsafe, std::move(handler)});
  return add_handler(ev, std::move(name), std::move(filter), work, pri, mpsafe);
}

IntrCookie Freebsd::add_handler(EventId event, std::string name, DriverFilter filter,
                                DeferredWork* work, unsigned pri, bool mpsafe) {
  Event& ev = events_[event];
  const IntrCookie cookie = static_cast<IntrCookie>(handlers_.size());
  Handler& h = handlers_.emplace_back();
  h.name = std::move(name);
  h.event = event;
  h.filter = std::move(filter);
  h.work = work;
  h.pri = pri;
  h.mpsafe = mpsafe;
  // F-1: sorted by priority, FIFO among equals.
  auto it = std::find_if(ev.handlers.begin(), ev.handlers.end(),
                         [&](IntrCookie c) { return handlers_[c].pri > pri; });
  ev.handlers.insert(it, cookie);
  if (work != nullptr) {
    work->set_mechanism_name(ev.soft ? ev.name.substr(0, ev.name.find(':'))
                                     : "ithread/irq" + std::to_string(ev.source));
    if (ev.thread == nullptr) {  // F-2: created with the first ithread handler
      Lwp& t = kernel_.sched().create_softint(
          0, 0, kernel_priority(pri) - band_range(Band::Interrupt).base, ev.name,
          [this, event] { ithread_loop(event); });
      t.bound = false;
      t.softint = !ev.soft;  // THREAD_NO_SLEEPING for hardware ithreads (F-12)
      ev.thread = &t;
    }
  }
  if (ev.thread != nullptr) {  // ithread_update: the best handler's priority
    Lwp& t = *ev.thread;
    t.base_priority = kernel_priority(handlers_[ev.handlers.front()].pri);
    recompute_priority(kernel_, t);
  }
  return cookie;
}

void Freebsd::intr_event_suspend_handler(IntrCookie cookie) { handlers_.at(cookie).suspended = true; }
void Freebsd::intr_event_resume_handler(IntrCookie cookie) { handlers_.at(cookie).suspended = false; }

void Freebsd::handle(EventId event) {
  Event& ev = events_[event];
  if (ev.handlers.empty()) {  // F-7: stray, EINVAL
    ++ev.stats.stray;
    return;
  }
  ++ev.stats.handled;
  const unsigned cpu = kernel_.machine().cpu_id();
  ++nesting_[cpu];
  critical_enter();  // F-3
  bool thread = false;
  for (IntrCookie c : ev.handlers) {
    Handler& h = handlers_[c];
    if (h.suspended) continue;
    if (!h.filter) {
      thread = true;
      continue;
    }
    const int ret = h.filter();
    constexpr int both = FILTER_SCHEDULE_THREAD | FILTER_HANDLED;
    if (!(ret == FILTER_STRAY || ((ret & both) != 0 && (ret & ~both) == 0)))  // F-4
      kernel_.panic("intr_event_handle: " + ev.name + ": filter " + h.name + " returned " +
                    std::to_string(ret) + " (not FILTER_STRAY nor an OR of FILTER_HANDLED and "
                    "FILTER_SCHEDULE_THREAD)");
    if (ret == FILTER_SCHEDULE_THREAD) thread = true;  // F-5: exactly
  }
  if (thread) {
    if (ev.thread == nullptr) kernel_.panic("intr_event_handle: " + ev.name + ": bad stray interrupt");
    // pre_ithread (F-6): mask the source; the claim loop's COMPLETE is the EOI.
    kernel_.plic().set_priority(ev.source, 0);
    ev.masked = true;
    for (IntrCookie c : ev.handlers)
      if (handlers_[c].work != nullptr && !handlers_[c].suspended) handlers_[c].work->raised(ev.it_need);
    schedule_thread(ev);
  }  // else post_filter: the EOI only
  critical_exit();
  --nesting_[cpu];
}

void Freebsd::schedule_thread(Event& ev) {
  ++ev.stats.scheduled;
  ev.it_need = true;  // F-8
  if (!ev.iwait) return;
  ev.iwait = false;
  ++ev.stats.wakeups;
  Lwp& t = *ev.thread;
  t.state = LwpState::Sleeping;  // IWAIT -> runnable through an ordinary wake-up
  kernel_.sched().wakeup(t);
}

void Freebsd::ithread_loop(EventId event) {
  Machine& m = kernel_.machine();
  Lwp& self = kernel_.sched().current();
  for (;;) {
    Event& ev = events_[event];
    DeferredWork* first = nullptr;
    DeferredWork* last = nullptr;
    while (ev.it_need) {  // F-9
      ev.it_need = false;
      execute_handlers(ev, first, last);
    }
    m.set_interrupts_enabled(false);  // thread_lock
    if (!ev.it_need) {
      ev.iwait = true;
      ev.count = 0;
      if (last != nullptr) last->charge_switch(SwitchKind::Full);
      self.state = LwpState::Sleeping;
      kernel_.sched().block();  // mi_switch(SW_VOL | SWT_IWAIT)
    }
    m.set_interrupts_enabled(true);
  }
}

void Freebsd::execute_handlers(Event& ev, DeferredWork*& first, DeferredWork*& last) {
  ++ev.stats.passes;
  BigLock& giant = kernel_.big_lock();
  const std::vector<IntrCookie> list = ev.handlers;  // swi_add may add while a handler blocks
  for (IntrCookie c : list) {
    Handler& h = handlers_[c];
    if (h.work == nullptr || h.suspended) continue;  // filter-only, IH_SUSP
    if (ev.soft) {  // F-10: cmpset(ih_need, 1, 0)
      if (!h.need) continue;
      h.need = false;
    }
    if (!h.mpsafe) giant.enter();  // F-11
    if (first == nullptr) {
      first = h.work;
      first->charge_switch(SwitchKind::Full);  // the switch into the thread
    }
    last = h.work;
    h.work->run();
    if (!h.mpsafe) giant.exit();
  }
  if (ev.soft) return;
  if (options_.intr_storm_threshold != 0 && ev.count >= options_.intr_storm_threshold) {  // F-13
    ++ev.stats.storm_pauses;
    pause_tick();
  } else {
    ++ev.count;
  }
  if (ev.masked) {  // post_ithread (F-6)
    ev.masked = false;
    kernel_.plic().set_priority(ev.source, ev.plic_priority);
  }
}

void Freebsd::pause_tick() {
  if (kernel_.config().tick.period == 0) kernel_.panic("pause: no tick to wait for");
  tick_waiters_->enqueue(kernel_.sched().current());
  kernel_.sched().block();
}

void Freebsd::clock_tick(unsigned /*cpu*/) {
  while (Lwp* lwp = tick_waiters_->pop()) kernel_.sched().wakeup(*lwp);
}

IntrCookie Freebsd::swi_add(EventId* eventp, std::string name, DriverIntr handler, unsigned pri,
                            unsigned flags) {
  const std::string who = "swi_add(" + name + "): ";
  if (PI_SWI(pri) > 255) throw std::invalid_argument(who + "priority " + std::to_string(pri));
  EventId ev = kNoEvent;
  if (eventp != nullptr && *eventp != kNoEvent) {
    if (*eventp >= events_.size() || !events_[*eventp].soft)
      throw std::invalid_argument(who + "not a swi event (EINVAL)");
    ev = *eventp;
  }
  const bool mpsafe = (flags & INTR_MPSAFE) != 0;
  DeferredWork& work = kernel_.deferred_record({name, level_of_swi(pri), true, mpsafe, std::move(handler)});
  if (ev == kNoEvent) {
    ev = new_event("swi" + std::to_string(pri) + ": " + name, true, 0, 0);
    if (eventp != nullptr) *eventp = ev;
  }
  const IntrCookie cookie = add_handler(ev, std::move(name), {}, &work, PI_SWI(pri), mpsafe);
  work.mechanism = [this, cookie](DeferredWork&) { swi_sched(cookie, 0); };
  return cookie;
}

void Freebsd::swi_sched(IntrCookie cookie, unsigned flags) {
  if (cookie >= handlers_.size() || !events_[handlers_[cookie].event].soft)
    kernel_.panic("swi_sched: " + std::to_string(cookie) + " is not a swi handler");
  Handler& h = handlers_[cookie];
  h.work->raised(h.need);
  h.need = true;  // F-14
  if ((flags & SWI_DELAY) == 0) schedule_thread(events_[h.event]);
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
