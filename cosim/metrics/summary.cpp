#include "metrics/summary.h"

#include <algorithm>
#include <numeric>

namespace irqlab::cosim {

namespace {

std::uint64_t nearest_rank(const std::vector<std::uint64_t>& sorted, unsigned percent) {
  const std::size_t n = sorted.size();
  const std::size_t rank = (n * percent + 99) / 100;  // ceil(p/100 * n), at least 1
  return sorted[std::max<std::size_t>(rank, 1) - 1];
}

}  // namespace

Summary summarize(std::vector<std::uint64_t> values) {
  Summary s;
  if (values.empty()) return s;
  std::sort(values.begin(), values.end());
  s.count = values.size();
  s.min = values.front();
  s.max = values.back();
  s.mean = static_cast<double>(std::accumulate(values.begin(), values.end(), std::uint64_t{0})) /
           static_cast<double>(values.size());
  s.p50 = nearest_rank(values, 50);
  s.p99 = nearest_rank(values, 99);
  return s;
}

}  // namespace irqlab::cosim
