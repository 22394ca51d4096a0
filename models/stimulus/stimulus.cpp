#include "stimulus/stimulus.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>

namespace irqlab::models {

namespace {

// Uniform in [0, 1) from the top 53 bits, then the exponential inverse CDF.
Cycle exponential_gap(std::mt19937_64& rng, double mean) {
  const double u = static_cast<double>(rng() >> 11) * 0x1.0p-53;
  return static_cast<Cycle>(std::floor(-mean * std::log1p(-u)));
}

}  // namespace

std::vector<Cycle> Stimulus::pulse_starts(const LineStimulus& spec, std::uint64_t seed) {
  std::vector<Cycle> starts = spec.at;
  if (spec.periodic) {
    for (unsigned i = 0; i < spec.periodic->count; ++i)
      starts.push_back(spec.periodic->start + i * spec.periodic->period);
  }
  if (spec.random) {
    std::mt19937_64 rng(seed ^ (0x9E3779B97F4A7C15ULL * (spec.line + 1)));
    Cycle t = spec.random->start;
    for (unsigned i = 0; i < spec.random->count; ++i) {
      t += spec.random->min_gap + exponential_gap(rng, spec.random->mean_gap);
      starts.push_back(t);
    }
  }
  std::sort(starts.begin(), starts.end());
  for (std::size_t i = 1; i < starts.size(); ++i) {
    if (starts[i] <= starts[i - 1] + spec.pulse_cycles)
      throw std::invalid_argument("stimulus on line " + std::to_string(spec.line) +
                                  ": pulses at cycles " + std::to_string(starts[i - 1]) +
                                  " and " + std::to_string(starts[i]) +
                                  " overlap (pulse_cycles " +
                                  std::to_string(spec.pulse_cycles) + ")");
  }
  return starts;
}

Stimulus::Stimulus(const sc_core::sc_module_name& name, const std::vector<LineStimulus>& lines,
                   std::uint64_t seed, IrqLineSchedule& schedule)
    : sc_module(name) {
  for (const LineStimulus& spec : lines) {
    if (spec.pulse_cycles == 0)
      throw std::invalid_argument("stimulus on line " + std::to_string(spec.line) +
                                  ": pulse_cycles must be at least 1");
    std::vector<Cycle> starts = pulse_starts(spec, seed);
    for (Cycle t : starts) {
      schedule.schedule_line(t, spec.line, true);
      schedule.schedule_line(t + spec.pulse_cycles, spec.line, false);
    }
    pulses_.emplace_back(spec.line, std::move(starts));
  }
}

const std::vector<Cycle>& Stimulus::pulses(unsigned line) const {
  static const std::vector<Cycle> none;
  for (const auto& [l, starts] : pulses_)
    if (l == line) return starts;
  return none;
}

}  // namespace irqlab::models
