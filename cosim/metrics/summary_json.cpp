#include "metrics/summary_json.h"

namespace irqlab::cosim {

nlohmann::ordered_json summary_json(const CycleHistogram& histogram) {
  const Summary s = histogram.summary();
  return {{"count", s.count}, {"min", s.min}, {"mean", s.mean},   {"p50", s.p50},
          {"p90", s.p90},     {"p99", s.p99}, {"p99_9", s.p99_9}, {"max", s.max}};
}

nlohmann::ordered_json summary_with_distribution_json(const CycleHistogram& histogram) {
  nlohmann::ordered_json summary = summary_json(histogram);
  nlohmann::ordered_json distribution = nlohmann::ordered_json::array();
  histogram.for_each_value([&](std::uint64_t value, std::uint64_t count) {
    distribution.push_back({value, count});
  });
  summary["distribution"] = std::move(distribution);
  return summary;
}

}  // namespace irqlab::cosim
