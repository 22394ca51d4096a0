// Drivers' bottom halves in their source's ithread (freebsd.h, "Bottom halves"): a
// driver whose filter schedules deferred processing gets it run by the ithread of the
// same intr_event, as bus_setup_intr(filter, handler) drivers do.
#include <stdexcept>

#include "kernel.h"
#include "personality/freebsd/freebsd.h"

namespace irqlab::kernel::freebsd {

namespace {

// The interrupt type a bottom half's level stands for (intr_priority's argument).
unsigned type_of_level(DeferLevel level) {
  switch (level) {
    case DeferLevel::Clock:
      return INTR_TYPE_CLK;
    case DeferLevel::Bio:
      return INTR_TYPE_BIO;
    case DeferLevel::Net:
      return INTR_TYPE_NET;
    case DeferLevel::Serial:
      return INTR_TYPE_TTY;
  }
  return INTR_TYPE_MISC;
}

}  // namespace

// Host side or boot (a driver's boot_cpu): may create the ithread.
void Freebsd::establish_bottom_half(DeferredWork& work) {
  const DeferredSpec& s = work.spec();
  const std::string who = "establish_deferred(" + work.name() + "): ";
  if (s.source >= source_event_.size()) throw std::invalid_argument(who + "no such source");
  const unsigned pri = intr_priority(type_of_level(s.level));
  EventId ev = event_of_source(s.source);
  IntrCookie cookie = 0;
  if (ev == kNoEvent) {  // a driver's own hard handler is the filter: an event without one
    ev = new_event("irq" + std::to_string(s.source) + ": " + work.name(), false, s.source, 0);
    source_event_[s.source] = ev;
    cookie = add_handler(ev, work.name(), {}, nullptr, pri, s.mpsafe);
  } else {  // attach_irq's filter: its handler gets the ithread part
    const Event& e = events_[ev];
    if (e.handlers.size() != 1 || handlers_[e.handlers.front()].work != nullptr ||
        !handlers_[e.handlers.front()].filter)
      throw std::invalid_argument(who + "source " + std::to_string(s.source) +
                                  " already has an ithread handler (one bottom half per source)");
    cookie = e.handlers.front();
    Handler& h = handlers_[cookie];
    h.pri = pri;
    h.mpsafe = s.mpsafe;
  }
  attach_work(ev, cookie, work);
  work.mechanism = [this, ev](DeferredWork& w) { schedule_bottom_half(ev, w); };
}

// Any context: from the event's filter, its hard handler or a thread.
void Freebsd::schedule_bottom_half(EventId event, DeferredWork& work) {
  Event& ev = events_[event];
  if (filtering_[kernel_.machine().cpu_id()] == event) {  // the filter returns SCHEDULE_THREAD
    ev.thread_requested = true;
    return;
  }
  if (kernel_.cpu_state().hard_depth > 0) {  // a driver's own filter: what handle() does
    if (ev.plic_priority == 0) {             // the source's priority, for post_ithread's unmask
      for (const IrqRequest& r : kernel_.irq_requests())
        if (r.source == ev.source) ev.plic_priority = r.priority;
      if (ev.plic_priority == 0)
        kernel_.panic("bottom half " + work.name() + ": its source is not routed");
    }
    pre_ithread_schedule(ev);
    return;
  }
  work.raised(ev.it_need);  // from thread context: intr_event_schedule_thread only
  schedule_thread(ev);
}

}  // namespace irqlab::kernel::freebsd
