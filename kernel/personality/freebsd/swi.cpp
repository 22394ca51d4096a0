#include "personality/freebsd/freebsd.h"

#include <stdexcept>

#include "kernel.h"

namespace irqlab::kernel::freebsd {

namespace {

DeferLevel level_of_swi(unsigned pri) {
  switch (pri) {
    case SWI_TTY: return DeferLevel::Serial;
    case SWI_NET: return DeferLevel::Net;
    case SWI_CLOCK: return DeferLevel::Clock;
    default: return DeferLevel::Bio;  // CAMBIO, BUSDMA, TQ_FAST, TQ
  }
}

}  // namespace

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

}  // namespace irqlab::kernel::freebsd
