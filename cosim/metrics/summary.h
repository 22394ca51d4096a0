#pragma once
// Count, min, mean, nearest-rank p50/p99 and max of a set of cycle counts.
#include <cstdint>
#include <vector>

namespace irqlab::cosim {

struct Summary {
  std::uint64_t count = 0;
  std::uint64_t min = 0;
  double mean = 0;
  std::uint64_t p50 = 0;
  std::uint64_t p99 = 0;
  std::uint64_t max = 0;
};

// Percentiles use the nearest-rank method: the value at rank ceil(p/100 * n).
Summary summarize(std::vector<std::uint64_t> values);

}  // namespace irqlab::cosim
