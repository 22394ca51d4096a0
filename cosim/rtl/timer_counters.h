#pragma once
// The timer's free-running counters, computed instead of clocked.
//
// While the SoC is quiescent (rtl/timer/timer.sv, "Quiescence") the only state that
// changes is each active hart's prescale counter and mtime, by a closed-form law. This
// reads those registers from the Verilated model, tells how many cycles may pass before a
// compare match changes INTR_STATE, and moves the counters k cycles ahead at once, so a
// skipped stretch costs the same whatever its length.
#include <cstdint>
#include <limits>

#include "machine/machine.h"

class Virqlab_cosim_top___024root;

namespace irqlab::cosim {

using kernel::Cycle;

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

inline constexpr Cycle kNoMatch = std::numeric_limits<Cycle>::max();

// Cycles from now until the first cycle in which mtime >= mtimecmp while INTR_STATE is
// clear (0 if that holds now); kNoMatch if it never comes on its own.
Cycle cycles_to_match(const TimerHartState& hart);

// The counters after k more rising edges.
void advance_counters(TimerHartState& hart, Cycle k);

// The law applied to every hart of the Verilated timer (u_soc.u_timer).
class TimerCounters {
 public:
  static constexpr unsigned kHarts = 4;

  explicit TimerCounters(Virqlab_cosim_top___024root& root) : root_(root) {}

  Cycle cycles_to_match() const;
  void advance(Cycle k);

 private:
  TimerHartState read(unsigned hart) const;
  void write_counters(unsigned hart, const TimerHartState& state);

  Virqlab_cosim_top___024root& root_;
};

}  // namespace irqlab::cosim
