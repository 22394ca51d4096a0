#include "sync/lazy_clock.h"

#include <algorithm>
#include <stdexcept>

namespace irqlab::cosim {

using sc_core::SC_ZERO_TIME;

LazyClock::LazyClock(const sc_core::sc_module_name& name, RtlDomain& rtl, sc_core::sc_time period,
                     unsigned harts, Cycle end_cycle)
    : sc_module(name), rtl_(rtl), period_(period), end_cycle_(end_cycle),
      next_touch_(harts, 0), wake_(harts) {
  if (harts > RtlDomain::kMaxHarts)
    throw std::invalid_argument("the SoC has " + std::to_string(RtlDomain::kMaxHarts) +
                                " interrupt contexts; " + std::to_string(harts) + " harts asked");
  SC_THREAD(idle_stepper);
}

Cycle LazyClock::now() const {
  return static_cast<Cycle>(sc_core::sc_time_stamp() / period_);
}

Cycle LazyClock::horizon(unsigned self) const {
  Cycle h = kNever;
  for (unsigned i = 0; i < next_touch_.size(); ++i)
    if (i != self) h = std::min(h, next_touch_[i]);
  return h;
}

void LazyClock::set_next_touch(unsigned hart, Cycle at) {
  next_touch_[hart] = at;
  progress_.notify(SC_ZERO_TIME);
}

void LazyClock::step_one() {
  rtl_.step();
  if (idle_mask_ == 0) return;
  const Cycle t = rtl_.cycle();
  for (unsigned h = 0; h < next_touch_.size(); ++h) {
    if ((idle_mask_ >> h & 1U) == 0 || !rtl_.irq_line(h)) continue;
    idle_mask_ &= ~(1U << h);
    unblock(h, t, wake_[h]);
  }
}

void LazyClock::sync(unsigned hart) {
  const Cycle t = now();
  if (rtl_.cycle() > t) throw std::logic_error("RTL ran ahead of a running hart");
  next_touch_[hart] = t;
  while (rtl_.cycle() < t) step_one();
}

void LazyClock::step(unsigned hart) {
  // The hart drives the RTL's current cycle; it waits while another hart may still
  // act in that cycle.
  next_touch_[hart] = rtl_.cycle();
  while (horizon(hart) <= rtl_.cycle()) sc_core::wait(progress_);
  step_one();
  next_touch_[hart] = rtl_.cycle();
}

void LazyClock::block(unsigned hart) { set_next_touch(hart, kNever); }

void LazyClock::unblock(unsigned hart, Cycle at, sc_core::sc_event& event) {
  const Cycle t = now();
  if (at < t) throw std::logic_error("hart woken in the past");
  set_next_touch(hart, at);
  event.notify((at - t) * period_);
}

void LazyClock::advance(unsigned hart, Cycle n) {
  if (n > 0) {
    set_next_touch(hart, now() + n);
    sc_core::wait(n * period_);
  }
  sync(hart);
}

bool LazyClock::irq_line(unsigned hart) {
  sync(hart);
  return rtl_.irq_line(hart);
}

void LazyClock::wait_irq(unsigned hart) {
  if (irq_line(hart)) return;
  idle_mask_ |= 1U << hart;
  block(hart);
  sc_core::wait(wake_[hart]);
  sync(hart);
}

void LazyClock::idle_stepper() {
  for (;;) {
    while (idle_mask_ != 0) {
      const Cycle limit = std::min(horizon(kNoHart), end_cycle_);
      if (rtl_.cycle() >= limit) break;
      step_one();
    }
    sc_core::wait(progress_);
  }
}

}  // namespace irqlab::cosim
