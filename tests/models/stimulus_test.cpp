// The stimulus generator (models/stimulus/pulse_train.h) against the simple computation
// it replaces: every start of the three streams in one vector, sorted.
#include "stimulus/stimulus.h"

#include <algorithm>
#include <cmath>
#include <gtest/gtest.h>
#include <random>

namespace irqlab::models {
namespace stimulus_test {

std::vector<Cycle> all_starts_sorted(const LineStimulus& spec, std::uint64_t seed) {
  std::vector<Cycle> starts = spec.at;
  if (spec.periodic)
    for (unsigned i = 0; i < spec.periodic->count; ++i)
      starts.push_back(spec.periodic->start + Cycle{i} * spec.periodic->period);
  if (spec.random) {
    std::mt19937_64 rng(seed ^ (0x9E3779B97F4A7C15ULL * (spec.line + 1)));
    Cycle t = spec.random->start;
    for (unsigned i = 0; i < spec.random->count; ++i) {
      const double u = static_cast<double>(rng() >> 11) * 0x1.0p-53;
      t += spec.random->min_gap + static_cast<Cycle>(std::floor(-spec.random->mean_gap * std::log1p(-u)));
      starts.push_back(t);
    }
  }
  std::sort(starts.begin(), starts.end());
  return starts;
}

std::vector<Cycle> generated(const LineStimulus& spec, std::uint64_t seed) {
  PulseTrain train(spec, seed);
  std::vector<Cycle> starts;
  while (const std::optional<Cycle> start = train.next()) starts.push_back(*start);
  return starts;
}

LineStimulus spec(unsigned line, std::vector<Cycle> at, std::optional<PeriodicPulses> periodic,
                  std::optional<RandomPulses> random, Cycle pulse_cycles = 1) {
  return {line, std::move(at), periodic, random, pulse_cycles};
}

TEST(PulseTrain, EqualsTheSortedStreams) {
  const std::vector<LineStimulus> specs = {
      spec(0, {}, std::nullopt, std::nullopt),
      spec(1, {40020, 40000, 120000, 40010}, std::nullopt, std::nullopt),  // unsorted, as a user may write it
      spec(2, {}, PeriodicPulses{5000, 7919, 24}, std::nullopt),
      spec(3, {}, std::nullopt, RandomPulses{3000, 6000, 2, 500}),
      spec(8, {7, 1'000'000}, PeriodicPulses{13, 997, 300}, RandomPulses{0, 1500, 3, 400}, 2),
  };
  for (const std::uint64_t seed : {0ULL, 1ULL, 0xDEADBEEFULL})
    for (const LineStimulus& s : specs)
      EXPECT_EQ(generated(s, seed), all_starts_sorted(s, seed)) << "line " << s.line << ", seed " << seed;
}

TEST(PulseTrain, RandomDependsOnSeedAndLine) {
  const LineStimulus a = spec(3, {}, std::nullopt, RandomPulses{0, 6000, 2, 50});
  LineStimulus b = a;
  b.line = 4;
  EXPECT_NE(generated(a, 1), generated(a, 2));
  EXPECT_NE(generated(a, 1), generated(b, 1));
}

TEST(PulseTrain, OverlapsAreRefusedNamingTheLineAndBothCycles) {
  // Periodic 100, 200, ... and the `at` pulse 150 with pulse_cycles 50: 150 <= 100 + 50 leaves
  // the line no low cycle; with 49 it does.
  const LineStimulus s = spec(5, {150}, PeriodicPulses{100, 100, 5}, std::nullopt, 50);
  try {
    check_pulses(s, 1);
    FAIL() << "no error";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "stimulus on line 5: pulses at cycles 100 and 150 overlap (pulse_cycles 50)");
  }
  EXPECT_NO_THROW(check_pulses(spec(5, {150}, PeriodicPulses{100, 100, 5}, std::nullopt, 49), 1));
}

// Records what the stimulus hands over.
struct RecordingSchedule : IrqLineSchedule {
  void attach_line(unsigned line, LineSource& source) override {
    while (const std::optional<LineChange> c = source.next_change()) changes.emplace_back(line, *c);
  }
  std::vector<std::pair<unsigned, LineChange>> changes;
};

TEST(Stimulus, AnOverlapOnAnyLineFailsBeforeAnyLineIsAttached) {
  RecordingSchedule schedule;
  const std::vector<LineStimulus> lines = {spec(0, {10}, std::nullopt, std::nullopt),
                                           spec(1, {10, 11}, std::nullopt, std::nullopt)};
  EXPECT_THROW(Stimulus("stimulus", lines, 1, schedule), std::invalid_argument);
  EXPECT_TRUE(schedule.changes.empty());
}

TEST(Stimulus, EachPulseRisesAtItsStartAndFallsPulseCyclesLater) {
  RecordingSchedule schedule;
  Stimulus stimulus("stimulus", {spec(2, {100, 10}, std::nullopt, std::nullopt, 3)}, 1, schedule);
  ASSERT_EQ(schedule.changes.size(), 4U);
  const std::vector<std::pair<Cycle, bool>> expected = {{10, true}, {13, false}, {100, true}, {103, false}};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(schedule.changes[i].first, 2U);
    EXPECT_EQ(schedule.changes[i].second.at, expected[i].first);
    EXPECT_EQ(schedule.changes[i].second.level, expected[i].second);
  }
}

}  // namespace stimulus_test
}  // namespace irqlab::models
