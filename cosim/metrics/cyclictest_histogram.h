#pragma once
// The run's interrupt latency (T2 - T0 of every sample, by the hart whose handler served
// it) as rt-tests' cyclictest writes its histogram (`cyclictest -h N`), so tools that read
// cyclictest output read irqlab's unchanged: "# Histogram", one row per bucket
// ("%06d " then one "%06lu" count per hart, tab-separated), then "# Total:" (samples in
// buckets, "%09llu" per hart), "# Min Latencies:", "# Avg Latencies:", "# Max Latencies:"
// and "# Histogram Overflows:" (" %05lu" per hart). docs/results-schema.md describes it.
//
// Bucket rule: in cycles, a sample of v cycles is in bucket v; in microseconds, in bucket
// floor(v * clock_period_ps / 10^6) (cyclictest truncates to whole microseconds too).
// Rows run from 0 to the largest bucket of the run, at most kCyclictestRows rows; a sample
// beyond them is an overflow (counted, not in a row). Min, max and avg are in the file's
// unit over every sample, overflows included; avg is the truncated mean of the samples'
// unit values, as cyclictest's; a hart without samples shows 0.
//
// Pure functions of the exact histograms; called once at the end of a run.
#include <cstdint>
#include <span>
#include <string>

#include "metrics/histogram.h"

namespace irqlab::cosim {

inline constexpr std::uint64_t kCyclictestRows = 100000;

enum class CyclictestUnit { Cycles, Microseconds };

// `per_hart`: T2 - T0 in cycles, one histogram per hart of the run, in hart order.
std::string cyclictest_histogram(std::span<const CycleHistogram> per_hart, CyclictestUnit unit,
                                 std::uint64_t clock_period_ps);

}  // namespace irqlab::cosim
