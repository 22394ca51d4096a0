#pragma once
// The pulses of one stimulus line and their generator. The starts are produced in
// increasing order as they are asked for, merging the `at` list, the periodic train and
// the random process, so a line costs the same memory whatever its number of pulses.
#include <cstdint>
#include <optional>
#include <random>
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

// Pulse starts of one line, lowest first. Same seed, same pulses: the random process uses
// mt19937_64 (fully specified by the standard) and its own inverse-CDF draw.
class PulseTrain {
 public:
  PulseTrain(const LineStimulus& spec, std::uint64_t seed);
  // The next pulse start, nullopt once all are out.
  std::optional<Cycle> next();

 private:
  void draw_random();

  std::vector<Cycle> at_;  // sorted
  std::size_t at_next_ = 0;
  std::optional<PeriodicPulses> periodic_;
  unsigned periodic_next_ = 0;
  std::optional<RandomPulses> random_;
  std::mt19937_64 rng_;
  unsigned random_drawn_ = 0;
  Cycle random_sum_ = 0;              // the process so far: start plus the gaps drawn
  std::optional<Cycle> random_head_;  // drawn, not yet handed out
};

// A line's rising and falling edges, from its pulse train: each pulse is high for
// `pulse_cycles` from its start.
class PulsedLine : public LineSource {
 public:
  PulsedLine(const LineStimulus& spec, std::uint64_t seed) : train_(spec, seed), pulse_cycles_(spec.pulse_cycles) {}
  std::optional<LineChange> next_change() override;

 private:
  PulseTrain train_;
  Cycle pulse_cycles_;
  std::optional<Cycle> fall_;  // of the pulse under way
};

// Throws std::invalid_argument naming the line and the two cycles if two pulses of `spec`
// overlap (or leave the line no low cycle between them). Streams: O(1) memory.
void check_pulses(const LineStimulus& spec, std::uint64_t seed);

}  // namespace irqlab::models
