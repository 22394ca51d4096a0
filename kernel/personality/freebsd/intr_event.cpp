#include "personality/freebsd/freebsd.h"

#include <algorithm>
#include <stdexcept>

#include "kernel.h"

namespace irqlab::kernel::freebsd {

namespace {

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

}  // namespace

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
  h.pri = pri;
  h.mpsafe = mpsafe;
  // F-1: sorted by priority, FIFO among equals.
  auto it = std::find_if(ev.handlers.begin(), ev.handlers.end(),
                         [&](IntrCookie c) { return handlers_[c].pri > pri; });
  ev.handlers.insert(it, cookie);
  if (work != nullptr) attach_work(event, cookie, *work);
  return cookie;
}

void Freebsd::attach_work(EventId event, IntrCookie cookie, DeferredWork& work) {
  Event& ev = events_[event];
  handlers_[cookie].work = &work;
  work.set_mechanism_name(ev.soft ? ev.name.substr(0, ev.name.find(':'))
                                  : "ithread/irq" + std::to_string(ev.source));
  if (ev.thread == nullptr) {  // F-2: created with the first ithread handler
    Lwp& t = kernel_.sched().create_softint(
        0, 0, kernel_priority(handlers_[cookie].pri) - band_range(Band::Interrupt).base, ev.name,
        [this, event] { ithread_loop(event); });
    t.bound = false;
    t.softint = !ev.soft;  // THREAD_NO_SLEEPING for hardware ithreads (F-12)
    ev.thread = &t;
  }
  Lwp& t = *ev.thread;  // ithread_update: the best handler's priority
  t.base_priority = kernel_priority(handlers_[ev.handlers.front()].pri);
  recompute_priority(kernel_, t);
}

void Freebsd::pre_ithread_schedule(Event& ev) {
  if (ev.thread == nullptr)
    kernel_.panic("intr_event_handle: " + ev.name + ": bad stray interrupt");
  // pre_ithread (F-6): mask the source; the claim loop's COMPLETE is the EOI. (Masked
  // already only when another source's handler scheduled this event's bottom half.)
  if (!ev.masked) {
    kernel_.plic().set_priority(ev.source, 0);
    ev.masked = true;
  }
  for (IntrCookie c : ev.handlers)
    if (handlers_[c].work != nullptr && !handlers_[c].suspended)
      handlers_[c].work->raised(ev.it_need);
  schedule_thread(ev);
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
  filtering_[cpu] = event;
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
  filtering_[cpu] = kNoEvent;
  if (thread) pre_ithread_schedule(ev);
  // else post_filter: the EOI only
  critical_exit();
  --nesting_[cpu];
}

}  // namespace irqlab::kernel::freebsd
