#include "stimulus/stimulus.h"

namespace irqlab::models {

Stimulus::Stimulus(const sc_core::sc_module_name& name, const std::vector<LineStimulus>& lines,
                   std::uint64_t seed, IrqLineSchedule& schedule)
    : sc_module(name) {
  // A first pass that generates and discards; the run generates the same pulses again.
  for (const LineStimulus& spec : lines) check_pulses(spec, seed);
  for (const LineStimulus& spec : lines) {
    lines_.push_back(std::make_unique<PulsedLine>(spec, seed));
    schedule.attach_line(spec.line, *lines_.back());
  }
}

}  // namespace irqlab::models
