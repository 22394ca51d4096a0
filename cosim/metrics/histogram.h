#pragma once
// An exact histogram of cycle counts. Values below kDenseBound are counted in a vector
// indexed by the value (grown lazily to the largest such value seen); values at or above
// it in a map with one node per distinct value. Memory is therefore bounded by the
// values' spread, not by how many there are, and reaches that bound early in a run: a
// long run's histograms hold the same vectors as a short run's, where a map of every
// distinct value kept growing with each new value for a long time (issue 7 item 5).
// Every figure below is exact.
#include <cstdint>
#include <map>
#include <vector>

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

// Values below this are counted densely. Chosen from the soak workload's figures
// (tools/soak/soak.yaml; docs/reliability.md, Soak): interrupt latencies are tens to a few
// thousand cycles, but the IPsec path's stage and end-to-end figures, deferred-work latency
// and lock waits spread over 0..~28,000 cycles, one new distinct value per packet for
// tens of thousands of packets; those are what made peak RSS grow with the run. A dense
// vector costs 8 bytes per value up to the largest value seen (at most 256 KiB at this
// bound), against about 64 bytes per distinct value in a map node, so it wins as soon as
// one value in eight of the range occurs. Values past 2^15 are rare tails: the map.
inline constexpr std::uint64_t kDenseBound = std::uint64_t{1} << 15;

// One object per figure; used from the simulator's one thread (no locking).
class CycleHistogram {
 public:
  void add(std::uint64_t value);
  std::uint64_t count() const { return count_; }
  // All zero when empty. Percentiles use the nearest-rank method: the value at rank
  // ceil(p/100 * n).
  Summary summary() const;
  // The exact distribution: calls visit(value, times it was added) once per distinct
  // value, ascending.
  template <typename Visit>
  void for_each_value(Visit&& visit) const {
    for (std::uint64_t value = 0; value < dense_.size(); ++value)
      if (dense_[value] != 0) visit(value, dense_[value]);
    for (const auto& [value, n] : sparse_) visit(value, n);
  }

 private:
  // The value at the nearest rank of `per_mille` / 1000.
  std::uint64_t nearest_rank(unsigned per_mille) const;

  std::vector<std::uint64_t> dense_;               // [value] -> times added, value < kDenseBound
  std::map<std::uint64_t, std::uint64_t> sparse_;  // value >= kDenseBound -> times added
  std::uint64_t count_ = 0;
  std::uint64_t sum_ = 0;
  std::uint64_t min_ = 0;
  std::uint64_t max_ = 0;
};

}  // namespace irqlab::cosim
