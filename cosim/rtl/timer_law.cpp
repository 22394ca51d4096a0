#include "rtl/timer_law.h"

namespace irqlab::cosim {

namespace {

// Edges until the first tick's increment: a tick happens in every cycle where
// count >= prescale, and the increment lands at the edge that ends it.
std::uint64_t edges_to_first_tick(const TimerHartState& h) {
  return h.count >= h.prescale ? 1 : h.prescale - h.count + 1;
}

}  // namespace

std::uint64_t cycles_to_match(const TimerHartState& h) {
  if (h.intr_state) return kNoMatch;  // a match changes nothing while the state is set
  if (h.mtime >= h.mtimecmp) return 0;
  if (!h.active || h.step == 0) return kNoMatch;
  const unsigned __int128 ticks = (static_cast<unsigned __int128>(h.mtimecmp - h.mtime) + h.step - 1) / h.step;
  const unsigned __int128 edges = edges_to_first_tick(h) + (ticks - 1) * (h.prescale + 1);
  return edges >= kNoMatch ? kNoMatch : static_cast<std::uint64_t>(edges);
}

void advance_counters(TimerHartState& h, std::uint64_t k) {
  if (k == 0) return;
  if (!h.active) {
    h.count = 0;
    return;
  }
  const std::uint64_t first = edges_to_first_tick(h);
  if (k < first) {
    h.count += k;
    return;
  }
  const std::uint64_t ticks = 1 + (k - first) / (h.prescale + 1);
  h.count = (k - first) % (h.prescale + 1);
  h.mtime += ticks * h.step;
}

}  // namespace irqlab::cosim
