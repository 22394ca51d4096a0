#pragma once
// The law of the NIC's moderation timers while they only count (rtl/nic/
// nic_interval_timer.sv, "Quiescence and the counting law"), with no simulator inside: how
// many cycles until a running interval expires, and its accumulator k cycles on.
// tests/rtl/nic_test checks it against the clocked RTL.
#include <cstdint>
#include <limits>

namespace irqlab::cosim {

// One interval timer (ITR, RDTR or RADV) as the RTL holds it.
struct NicIntervalState {
  bool running = false;
  std::uint64_t elapsed_ps = 0;   // elapsed_q: picoseconds measured since the start
  std::uint64_t interval_ps = 0;  // units × unit (256 ns or 1.024 µs)
};

inline constexpr std::uint64_t kNoExpiry = std::numeric_limits<std::uint64_t>::max();

// Cycles from now until the cycle in which the running interval expires (the first with
// elapsed >= interval; 0 if that holds now); kNoExpiry when the timer is idle.
// Any context; period_ps > 0.
constexpr std::uint64_t cycles_to_expiry(const NicIntervalState& timer, std::uint64_t period_ps) {
  if (!timer.running) return kNoExpiry;
  if (timer.elapsed_ps >= timer.interval_ps) return 0;
  return (timer.interval_ps - timer.elapsed_ps + period_ps - 1) / period_ps;
}

// The accumulator after k more rising edges on which the timer only counts (k no more than
// cycles_to_expiry: the expiry cycle's edge stops it). Any context.
constexpr void advance_interval(NicIntervalState& timer, std::uint64_t k, std::uint64_t period_ps) {
  if (timer.running) timer.elapsed_ps += k * period_ps;
}

}  // namespace irqlab::cosim
