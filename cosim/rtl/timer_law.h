#pragma once
// The law of the timer's free-running counters (rtl/timer/timer.sv, "Quiescence"), with no
// simulator inside: how many cycles until a compare match, and the counters k cycles on.
// tests/rtl/timer_test checks it against the clocked RTL.
#include <cstdint>
#include <limits>

namespace irqlab::cosim {

// One hart's timer state, as the RTL holds it.
struct TimerHartState {
  bool active = false;
  bool intr_state = false;
  std::uint64_t prescale = 0;
  std::uint64_t step = 1;
  std::uint64_t count = 0;
  std::uint64_t mtime = 0;
  std::uint64_t mtimecmp = 0;
};

inline constexpr std::uint64_t kNoMatch = std::numeric_limits<std::uint64_t>::max();

// Cycles from now until the first cycle in which mtime >= mtimecmp while INTR_STATE is
// clear (0 if that holds now); kNoMatch if it never comes on its own.
std::uint64_t cycles_to_match(const TimerHartState& hart);

// The counters after k more rising edges.
void advance_counters(TimerHartState& hart, std::uint64_t k);

}  // namespace irqlab::cosim
