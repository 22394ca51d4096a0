#pragma once
// The NIC's moderation timers (ITR, RDTR, RADV), computed instead of clocked while the SoC
// is quiescent.
//
// A running interval keeps the NIC quiescent while it only counts (rtl/nic/nic.sv,
// "Quiescence"): this reads the three timers from the Verilated SoC, tells how many cycles
// may pass before the first expiry, and moves their accumulators k cycles ahead at once
// (nic_interval_law.h), so an ITR interval of 128 µs costs one jump, not 12 800 evaluated
// cycles at 100 MHz. Called by the RTL domain between evaluations only.
#include <array>

#include "machine/machine.h"
#include "rtl/nic_interval_law.h"

class Virqlab_cosim_top___024root;

namespace irqlab::cosim {

using kernel::Cycle;

class NicIntervalTimers {
 public:
  // period_ps: the clock period strapped on the NIC (nic_clk_period_ps_i).
  NicIntervalTimers(Virqlab_cosim_top___024root& root, std::uint64_t period_ps)
      : root_(root), period_ps_(period_ps) {}

  // Cycles until the first running timer expires; kNoExpiry when none runs.
  Cycle cycles_to_expiry() const;
  // The running timers' accumulators after k more edges (k <= cycles_to_expiry()).
  void advance(Cycle k);

 private:
  enum Timer : unsigned { kItr, kRdtr, kRadv, kTimers };
  NicIntervalState read(Timer t) const;

  Virqlab_cosim_top___024root& root_;
  std::uint64_t period_ps_;
};

}  // namespace irqlab::cosim
