#include "sync/lazy_clock.h"

#include <algorithm>
#include <stdexcept>

#include "rtl/rtl_assertions.h"

namespace irqlab::cosim {

using sc_core::SC_ZERO_TIME;

LazyClock::LazyClock(const sc_core::sc_module_name& name, RtlDomain& rtl, sc_core::sc_time period,
                     unsigned harts, Cycle end_cycle)
    : sc_module(name), rtl_(rtl), period_(period), end_cycle_(end_cycle), clients_(harts) {
  if (harts > soc::kMaxHarts)
    throw std::invalid_argument("the SoC has " + std::to_string(soc::kMaxHarts) +
                                " interrupt contexts; " + std::to_string(harts) + " harts asked");
  SC_THREAD(rtl_stepper);
}

Cycle LazyClock::now() const {
  return static_cast<Cycle>(sc_core::sc_time_stamp() / period_);
}

Cycle LazyClock::horizon(unsigned self) const {
  Cycle h = kNever;
  for (unsigned i = 0; i < clients_.size(); ++i)
    if (i != self) h = std::min(h, clients_[i].next_touch);
  return h;
}

void LazyClock::set_next_touch(unsigned hart, Cycle at) {
  clients_[hart].next_touch = at;
  progress_.notify(SC_ZERO_TIME);
}

// Called by whoever stepped the RTL, right after the step (invariant 2).
void LazyClock::cut_watchers() {
  unsigned high = rtl_.irq_lines() & watch_mask_;
  if (high == 0) return;
  const Cycle t = rtl_.cycle();
  watch_mask_ &= ~high;
  while (high != 0) {
    const unsigned h = static_cast<unsigned>(__builtin_ctz(high));
    high &= high - 1;
    Client& c = clients_[h];
    const Cycle at = c.boundaries != nullptr ? c.boundaries->at_or_after(t) : t;
    if (at < c.deadline) unblock(h, at, c.wake);
  }
}

void LazyClock::run_rtl_to(Cycle target) {
  while (rtl_.cycle() < target) {
    rtl_.run_until(target, watch_mask_);
    cut_watchers();
  }
}

void LazyClock::sync(unsigned hart) {
  const Cycle t = now();
  if (rtl_.cycle() > t) throw std::logic_error("RTL ran ahead of a running hart");
  clients_[hart].next_touch = t;
  run_rtl_to(t);
}

void LazyClock::step(unsigned hart) {
  // The hart drives the RTL's current cycle; it waits while another hart may still
  // act in that cycle.
  clients_[hart].next_touch = rtl_.cycle();
  while (horizon(hart) <= rtl_.cycle()) sc_core::wait(progress_);
  rtl_.step();
  cut_watchers();
  clients_[hart].next_touch = rtl_.cycle();
}

void LazyClock::block(unsigned hart) { set_next_touch(hart, kNever); }

void LazyClock::unblock(unsigned hart, Cycle at, sc_core::sc_event& event) {
  const Cycle t = now();
  if (at < t) throw std::logic_error("hart woken in the past");
  set_next_touch(hart, at);
  event.notify((at - t) * period_);  // an earlier notification overrides a pending later one
}

void LazyClock::advance(unsigned hart, Cycle n) {
  if (n > 0) {
    set_next_touch(hart, now() + n);
    sc_core::wait(n * period_);
  }
  sync(hart);
}

void LazyClock::watch(unsigned hart, Cycle deadline, models::InstructionBoundaries* boundaries) {
  Client& c = clients_[hart];
  c.deadline = deadline;
  c.boundaries = boundaries;
  watch_mask_ |= 1U << hart;
  set_next_touch(hart, deadline);
  if (deadline != kNever) c.wake.notify((deadline - now()) * period_);
  sc_core::wait(c.wake);
  watch_mask_ &= ~(1U << hart);  // woken at its deadline while still watching
  c.boundaries = nullptr;
  sync(hart);
}

Cycle LazyClock::advance_interruptible(unsigned hart, Cycle n, models::InstructionBoundaries& boundaries) {
  const Cycle start = now();
  if (n == 0 || irq_line(hart)) return 0;
  boundaries.begin(start);
  watch(hart, start + n, &boundaries);
  return now() - start;
}

bool LazyClock::irq_line(unsigned hart) {
  sync(hart);
  return rtl_.irq_line(hart);
}

void LazyClock::wait_irq(unsigned hart) {
  if (irq_line(hart)) return;
  watch(hart, kNever, nullptr);
}

void LazyClock::rtl_stepper() {
  try {
    for (;;) {
      while (watch_mask_ != 0) {
        const Cycle limit = std::min(horizon(kNoHart), end_cycle_);
        if (rtl_.cycle() >= limit) break;
        rtl_.run_until(limit, watch_mask_);
        cut_watchers();
      }
      sc_core::wait(progress_);
    }
  } catch (const RtlAssertionFailure& e) {
    failure_ = e.what();
    sc_core::sc_stop();
  }
  sc_core::wait();  // stopped for good
}

}  // namespace irqlab::cosim
