#pragma once
// Interrupt stimulus: drives spare interrupt-controller source lines with pulses at
// given cycles, periodically, or as a seeded random (Poisson) process.
//
// The pulses are computed when the model is built and handed to the line owner as a
// schedule, so the RTL sees each edge at its exact cycle without any SystemC process
// waking per pulse. Same seed, same pulses: the random process uses mt19937_64 (fully
// specified by the standard) and its own inverse-CDF draw.
#include <cstdint>
#include <optional>
#include <string>
#include <systemc>
#include <vector>

#include "machine/machine.h"
#include "stimulus/irq_line_schedule.h"

namespace irqlab::models {

using kernel::Cycle;

struct PeriodicPulses {
  Cycle start = 0;
  Cycle period = 0;
  unsigned count = 0;
};

struct RandomPulses {
  Cycle start = 0;
  double mean_gap = 0;  // mean of the exponential gap between pulses, in cycles
  Cycle min_gap = 0;    // added to every gap
  unsigned count = 0;
};

struct LineStimulus {
  unsigned line = 0;
  std::vector<Cycle> at;
  std::optional<PeriodicPulses> periodic;
  std::optional<RandomPulses> random;
  Cycle pulse_cycles = 1;  // how long the line stays high per pulse
};

class Stimulus : public sc_core::sc_module {
 public:
  // Throws std::invalid_argument naming the line when pulses would overlap.
  Stimulus(const sc_core::sc_module_name& name, const std::vector<LineStimulus>& lines,
           std::uint64_t seed, IrqLineSchedule& schedule);

  // Rising edges generated for `line`, in order.
  const std::vector<Cycle>& pulses(unsigned line) const;

  static std::vector<Cycle> pulse_starts(const LineStimulus& spec, std::uint64_t seed);

 private:
  std::vector<std::pair<unsigned, std::vector<Cycle>>> pulses_;
};

}  // namespace irqlab::models
