#pragma once
// The nearest-rank percentile of docs/results-schema.md, found the simple way: scanning the
// sorted values for the smallest one whose 1-based rank r has r/n >= per_mille/1000. Tests
// compare irqlab's histograms and summaries with it.
#include <cstdint>
#include <vector>

namespace irqlab::test {

inline std::uint64_t percentile_by_scan(const std::vector<std::uint64_t>& sorted, unsigned per_mille) {
  const std::uint64_t n = sorted.size();
  for (std::uint64_t r = 1; r <= n; ++r)
    if (r * 1000 >= per_mille * n) return sorted[r - 1];
  return sorted.back();
}

}  // namespace irqlab::test
