#include "stimulus/pulse_train.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace irqlab::models {

namespace {

// Uniform in [0, 1) from the top 53 bits, then the exponential inverse CDF.
Cycle exponential_gap(std::mt19937_64& rng, double mean) {
  const double u = static_cast<double>(rng() >> 11) * 0x1.0p-53;
  return static_cast<Cycle>(std::floor(-mean * std::log1p(-u)));
}

}  // namespace

PulseTrain::PulseTrain(const LineStimulus& spec, std::uint64_t seed)
    : at_(spec.at),
      periodic_(spec.periodic),
      random_(spec.random),
      rng_(seed ^ (0x9E3779B97F4A7C15ULL * (spec.line + 1))) {
  std::sort(at_.begin(), at_.end());
  if (random_) random_sum_ = random_->start;
  draw_random();
}

void PulseTrain::draw_random() {
  random_head_.reset();
  if (!random_ || random_drawn_ == random_->count) return;
  random_sum_ += random_->min_gap + exponential_gap(rng_, random_->mean_gap);
  ++random_drawn_;
  random_head_ = random_sum_;
}

std::optional<Cycle> PulseTrain::next() {
  // Each stream is sorted on its own; the smallest head is the next start.
  enum class Stream { At, Periodic, Random } from = Stream::At;
  std::optional<Cycle> best;
  const auto offer = [&](std::optional<Cycle> head, Stream stream) {
    if (head && (!best || *head < *best)) {
      best = head;
      from = stream;
    }
  };
  if (at_next_ < at_.size()) offer(at_[at_next_], Stream::At);
  if (periodic_ && periodic_next_ < periodic_->count)
    offer(periodic_->start + periodic_next_ * periodic_->period, Stream::Periodic);
  offer(random_head_, Stream::Random);
  if (!best) return std::nullopt;
  switch (from) {
    case Stream::At: ++at_next_; break;
    case Stream::Periodic: ++periodic_next_; break;
    case Stream::Random: draw_random(); break;
  }
  return best;
}

std::optional<LineChange> PulsedLine::next_change() {
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

void check_pulses(const LineStimulus& spec, std::uint64_t seed) {
  const std::string line = "stimulus on line " + std::to_string(spec.line);
  if (spec.pulse_cycles == 0) throw std::invalid_argument(line + ": pulse_cycles must be at least 1");
  PulseTrain train(spec, seed);
  std::optional<Cycle> previous;
  while (const std::optional<Cycle> start = train.next()) {
    if (previous && *start <= *previous + spec.pulse_cycles)
      throw std::invalid_argument(line + ": pulses at cycles " + std::to_string(*previous) + " and " +
                                  std::to_string(*start) + " overlap (pulse_cycles " +
                                  std::to_string(spec.pulse_cycles) + ")");
    previous = start;
  }
}

}  // namespace irqlab::models
