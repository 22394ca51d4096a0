#pragma once
// The latency metrics as a run sink: from begin() on, every timed sample goes to
// samples.jsonl once complete (results/samples_file.h) and into the histograms that
// results.json summarises (metrics/latency_metrics.h). end() hands on the samples still in
// flight, closes the samples file and writes the cyclictest-format histograms
// (metrics/cyclictest_histogram.h); a failed write fails the run. Always on.
#include <optional>

#include "metrics/latency_metrics.h"
#include "results/samples_file.h"
#include "run/run_sink.h"

namespace irqlab::cosim {

inline constexpr const char* kCyclictestCyclesFileName = "latency-histogram.txt";
inline constexpr const char* kCyclictestMicrosecondsFileName = "latency-histogram-us.txt";

class MetricsSink : public RunSink {
 public:
  // Creates samples.jsonl in the run's directory; throws when it cannot.
  void begin(const RunInfo& info) override;
  void record(const kernel::TraceEvent& event) override { metrics_->record(event); }
  void end(RunSummary& summary) override;

  // The figures so far; valid after begin() (complete after end()).
  const LatencyMetrics& metrics() const { return *metrics_; }

 private:
  std::optional<RunInfo> info_;
  std::optional<SamplesFile> samples_;
  std::optional<LatencyMetrics> metrics_;
};

}  // namespace irqlab::cosim
