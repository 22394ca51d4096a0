#include "stimulus/stimulus.h"

namespace irqlab::models {

namespace {

// A line's rising and falling edges, from its pulse train.
class PulsedLine : public LineSource {
 public:
  PulsedLine(const LineStimulus& spec, std::uint64_t seed) : train_(spec, seed), pulse_cycles_(spec.pulse_cycles) {}

  std::optional<LineChange> next_change() override {
    if (fall_) {
      const LineChange change{*fall_, false};
      fall_.reset();
      return change;
    }
    const std::optional<Cycle> start = train_.next();
    if (!start) return std::nullopt;
    fall_ = *start + pulse_cycles_;
    return LineChange{*start, true};
  }

 private:
  PulseTrain train_;
  Cycle pulse_cycles_;
  std::optional<Cycle> fall_;  // of the pulse under way
};

}  // namespace

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
