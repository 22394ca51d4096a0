#include "metrics/histogram.h"

#include <algorithm>

namespace irqlab::cosim {

void CycleHistogram::add(std::uint64_t value) {
  ++counts_[value];
  ++count_;
  sum_ += value;
}

std::uint64_t CycleHistogram::nearest_rank(unsigned per_mille) const {
  const std::uint64_t rank = std::max<std::uint64_t>((count_ * per_mille + 999) / 1000, 1);  // ceil(p/1000 * n)
  std::uint64_t below = 0;
  for (const auto& [value, n] : counts_) {
    below += n;
    if (below >= rank) return value;
  }
  return counts_.rbegin()->first;
}

Summary CycleHistogram::summary() const {
  Summary s;
  if (count_ == 0) return s;
  s.count = count_;
  s.min = counts_.begin()->first;
  s.max = counts_.rbegin()->first;
  s.mean = static_cast<double>(sum_) / static_cast<double>(count_);
  s.p50 = nearest_rank(500);
  s.p90 = nearest_rank(900);
  s.p99 = nearest_rank(990);
  s.p99_9 = nearest_rank(999);
  return s;
}

}  // namespace irqlab::cosim
