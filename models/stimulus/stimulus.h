#pragma once
// Interrupt stimulus: drives spare interrupt-controller source lines with pulses at
// given cycles, periodically, or as a seeded random (Poisson) process.
//
// Each line is handed to the line owner as a source of changes it pulls as the run goes,
// so the RTL sees each edge at its exact cycle without any SystemC process waking per
// pulse, and memory does not grow with the number of pulses (stimulus/pulse_train.h).
#include <cstdint>
#include <memory>
#include <systemc>
#include <vector>

#include "stimulus/irq_line_schedule.h"
#include "stimulus/pulse_train.h"

namespace irqlab::models {

class Stimulus : public sc_core::sc_module {
 public:
  // Checks every line first, so overlapping pulses fail before anything runs
  // (std::invalid_argument naming the line and the two cycles), then attaches the lines.
  Stimulus(const sc_core::sc_module_name& name, const std::vector<LineStimulus>& lines,
           std::uint64_t seed, IrqLineSchedule& schedule);

 private:
  std::vector<std::unique_ptr<LineSource>> lines_;
};

}  // namespace irqlab::models
