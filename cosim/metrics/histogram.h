#pragma once
// An exact histogram of cycle counts: one counter per distinct value, so memory grows
// with the spread of the values, not with how many there are, and every figure below
// is exact.
#include <cstdint>
#include <map>

namespace irqlab::cosim {

struct Summary {
  std::uint64_t count = 0;
  std::uint64_t min = 0;
  double mean = 0;
  std::uint64_t p50 = 0;
  std::uint64_t p90 = 0;
  std::uint64_t p99 = 0;
  std::uint64_t p99_9 = 0;
  std::uint64_t max = 0;
};

class CycleHistogram {
 public:
  void add(std::uint64_t value);
  std::uint64_t count() const { return count_; }
  // All zero when empty. Percentiles use the nearest-rank method: the value at rank
  // ceil(p/100 * n).
  Summary summary() const;
  // value -> how many times it was added, ascending: the exact distribution.
  const std::map<std::uint64_t, std::uint64_t>& counts() const { return counts_; }

 private:
  // The value at the nearest rank of `per_mille` / 1000.
  std::uint64_t nearest_rank(unsigned per_mille) const;

  std::map<std::uint64_t, std::uint64_t> counts_;  // value -> how many times it was added
  std::uint64_t count_ = 0;
  std::uint64_t sum_ = 0;
};

}  // namespace irqlab::cosim
