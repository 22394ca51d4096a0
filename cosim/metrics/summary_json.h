#pragma once
// A histogram as results.json's summary object (docs/results-schema.md): count, min, mean,
// p50, p90, p99, p99_9 (nearest rank), max and, for the statistics that carry it,
// `distribution`: [[value, count], ...] ascending, the exact histogram itself.
// Called when results.json is written.
#include <nlohmann/json.hpp>

#include "metrics/histogram.h"

namespace irqlab::cosim {

nlohmann::ordered_json summary_json(const CycleHistogram& histogram);
nlohmann::ordered_json summary_with_distribution_json(const CycleHistogram& histogram);

}  // namespace irqlab::cosim
