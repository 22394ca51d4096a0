#include "metrics/histogram.h"

#include <algorithm>

namespace irqlab::cosim {

namespace {

// Dense storage grows in steps of this many values, reserved exactly, so a vector holds
// at most one step beyond the largest value seen (the default doubling could hold twice).
constexpr std::uint64_t kDenseGrowthStep = 1024;

}  // namespace

void CycleHistogram::add(std::uint64_t value) {
  if (value < kDenseBound) {
    if (value >= dense_.size()) {
      const std::uint64_t size =
          std::min(kDenseBound, (value / kDenseGrowthStep + 1) * kDenseGrowthStep);
      dense_.reserve(size);
      dense_.resize(size);
    }
    ++dense_[value];
  } else {
    ++sparse_[value];
  }
  min_ = count_ == 0 ? value : std::min(min_, value);
  max_ = count_ == 0 ? value : std::max(max_, value);
  ++count_;
  sum_ += value;
}

std::uint64_t CycleHistogram::nearest_rank(unsigned per_mille) const {
  const std::uint64_t rank = std::max<std::uint64_t>((count_ * per_mille + 999) / 1000, 1);  // ceil(p/1000 * n)
  std::uint64_t below = 0;
  for (std::uint64_t value = min_; value < dense_.size(); ++value) {
    below += dense_[value];
    if (below >= rank) return value;
  }
  for (const auto& [value, n] : sparse_) {
    below += n;
    if (below >= rank) return value;
  }
  return max_;
}

Summary CycleHistogram::summary() const {
  Summary s;
  if (count_ == 0) return s;
  s.count = count_;
  s.min = min_;
  s.max = max_;
  s.mean = static_cast<double>(sum_) / static_cast<double>(count_);
  s.p50 = nearest_rank(500);
  s.p90 = nearest_rank(900);
  s.p99 = nearest_rank(990);
  s.p99_9 = nearest_rank(999);
  return s;
}

}  // namespace irqlab::cosim
