#pragma once
// The timer's free-running counters, computed instead of clocked.
//
// While the SoC is quiescent (rtl/timer/timer.sv, "Quiescence") the only state that
// changes is each active hart's prescale counter and mtime, by a closed-form law
// (timer_law.h). This reads those registers from the Verilated SoC, tells how many cycles
// may pass before a compare match changes INTR_STATE, and moves the counters k cycles
// ahead at once, so a skipped stretch costs the same whatever its length.
#include "machine/machine.h"
#include "rtl/timer_law.h"

class Virqlab_cosim_top___024root;

namespace irqlab::cosim {

using kernel::Cycle;

// The law applied to every hart of the Verilated timer (u_soc.u_timer).
class TimerCounters {
 public:
  // `harts`: the timer's NumHarts in the Verilated SoC.
  TimerCounters(Virqlab_cosim_top___024root& root, unsigned harts) : root_(root), harts_(harts) {}

  Cycle cycles_to_match() const;
  void advance(Cycle k);

 private:
  TimerHartState read(unsigned hart) const;
  void write_counters(unsigned hart, const TimerHartState& state);

  Virqlab_cosim_top___024root& root_;
  unsigned harts_;
};

}  // namespace irqlab::cosim
