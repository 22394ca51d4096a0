// The exact histogram against a direct computation on the sorted values: the
// nearest-rank percentile of docs/results-schema.md found by scanning ranks.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

#include "metrics/histogram.h"
#include "percentile_by_scan.h"

namespace irqlab::cosim {
namespace {

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

}  // namespace
}  // namespace irqlab::cosim
