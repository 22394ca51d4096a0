// The exact histogram against a direct computation on the sorted values: the
// nearest-rank percentile of docs/results-schema.md found by scanning ranks.
#include "metrics/histogram.h"

#include <algorithm>
#include <gtest/gtest.h>
#include <random>
#include <utility>
#include <vector>

#include "percentile_by_scan.h"

namespace irqlab::cosim {
namespace histogram_test {

using test::percentile_by_scan;

void expect_matches(const std::vector<std::uint64_t>& values) {
  CycleHistogram h;
  for (std::uint64_t v : values) h.add(v);
  std::vector<std::uint64_t> sorted = values;
  std::sort(sorted.begin(), sorted.end());
  std::uint64_t sum = 0;
  for (std::uint64_t v : sorted) sum += v;

  const Summary s = h.summary();
  EXPECT_EQ(h.count(), sorted.size());
  EXPECT_EQ(s.count, sorted.size());
  EXPECT_EQ(s.min, sorted.front());
  EXPECT_EQ(s.max, sorted.back());
  EXPECT_DOUBLE_EQ(s.mean, static_cast<double>(sum) / static_cast<double>(sorted.size()));
  EXPECT_EQ(s.p50, percentile_by_scan(sorted, 500));
  EXPECT_EQ(s.p90, percentile_by_scan(sorted, 900));
  EXPECT_EQ(s.p99, percentile_by_scan(sorted, 990));
  EXPECT_EQ(s.p99_9, percentile_by_scan(sorted, 999));

  // The distribution: the sorted values' runs of equal values, in order.
  std::vector<std::pair<std::uint64_t, std::uint64_t>> runs;
  for (std::uint64_t v : sorted) {
    if (runs.empty() || runs.back().first != v) runs.emplace_back(v, 0);
    ++runs.back().second;
  }
  std::vector<std::pair<std::uint64_t, std::uint64_t>> visited;
  h.for_each_value([&](std::uint64_t value, std::uint64_t n) { visited.emplace_back(value, n); });
  EXPECT_EQ(visited, runs);
}

TEST(CycleHistogram, EmptyIsAllZero) {
  const Summary s = CycleHistogram().summary();
  EXPECT_EQ(s.count, 0U);
  EXPECT_EQ(s.min, 0U);
  EXPECT_EQ(s.mean, 0.0);
  EXPECT_EQ(s.p50, 0U);
  EXPECT_EQ(s.p99_9, 0U);
  EXPECT_EQ(s.max, 0U);
}

TEST(CycleHistogram, HandPickedRanks) {
  // n = 10: p50 is rank 5, p90 rank 9, p99 and p99.9 rank 10.
  CycleHistogram h;
  for (std::uint64_t v : {7, 3, 9, 1, 5, 10, 2, 8, 4, 6}) h.add(v);
  const Summary s = h.summary();
  EXPECT_EQ(s.p50, 5U);
  EXPECT_EQ(s.p90, 9U);
  EXPECT_EQ(s.p99, 10U);
  EXPECT_EQ(s.p99_9, 10U);
  EXPECT_DOUBLE_EQ(s.mean, 5.5);
}

TEST(CycleHistogram, SmallSetsOfEverySize) {
  std::mt19937_64 random(1);
  for (std::size_t n = 1; n <= 64; ++n) {
    SCOPED_TRACE(n);
    std::vector<std::uint64_t> values(n);
    for (std::uint64_t& v : values) v = 50 + random() % 20;  // many repeats
    expect_matches(values);
  }
}

TEST(CycleHistogram, LargeSetsOfLatencyLikeValues) {
  std::mt19937_64 random(2);
  std::vector<std::uint64_t> narrow(100000), wide(100000), tail(100001);
  for (std::uint64_t& v : narrow) v = 58 + random() % 400;
  for (std::uint64_t& v : wide) v = random() % 10'000'000;
  for (std::uint64_t& v : tail) v = 58 + (random() % 1000 == 0 ? random() % 1'000'000 : random() % 100);
  expect_matches(narrow);
  expect_matches(wide);
  expect_matches(tail);
}

// Values on both sides of the dense bound and on it, mixed in one histogram, so ranks
// and the distribution cross from the dense counters to the map.
TEST(CycleHistogram, ValuesBelowAtAndAboveTheDenseBound) {
  std::mt19937_64 random(3);
  const std::vector<std::uint64_t> edge = {0, 1, kDenseBound - 1, kDenseBound, kDenseBound + 1};
  std::vector<std::uint64_t> values;
  for (int i = 0; i < 20000; ++i) {
    switch (random() % 4) {
      case 0:
        values.push_back(edge[random() % edge.size()]);
        break;
      case 1:
        values.push_back(random() % kDenseBound);
        break;
      case 2:
        values.push_back(kDenseBound + random() % 100000);
        break;
      default:
        values.push_back(random());
        break;  // anywhere in 64 bits, mostly far above
    }
  }
  expect_matches(values);
  expect_matches({kDenseBound});
  expect_matches({kDenseBound - 1});
  expect_matches({kDenseBound + 7, kDenseBound + 7, 3});
  // Every value at or above the bound: the ranks come from the map alone.
  std::vector<std::uint64_t> above(1000);
  for (std::uint64_t& v : above) v = kDenseBound + random() % 5000;
  expect_matches(above);
}

// Ten million samples, most of them on a few values (counters far past 2^16), with a
// tail above the bound.
TEST(CycleHistogram, ALargeCount) {
  std::mt19937_64 random(4);
  std::vector<std::uint64_t> values(10'000'000);
  for (std::uint64_t& v : values)
    v = random() % 100 == 0 ? kDenseBound + random() % 50000 : 58 + random() % 8;
  expect_matches(values);
}

}  // namespace histogram_test
}  // namespace irqlab::cosim
