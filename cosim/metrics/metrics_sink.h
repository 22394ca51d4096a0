#pragma once
// The latency metrics as a run sink: from begin() on, every timed sample goes to
// samples.jsonl as it happens (results/samples_file.h) and into the histograms that
// results.json summarises (metrics/latency_metrics.h). end() closes the samples file; a
// failed write fails the run. Always on.
#include <optional>

#include "metrics/latency_metrics.h"
#include "results/samples_file.h"
#include "run/run_sink.h"

namespace irqlab::cosim {

class MetricsSink : public RunSink {
 public:
  // Creates samples.jsonl in the run's directory; throws when it cannot.
  void begin(const RunInfo& info) override {
    samples_.emplace(info.out_dir / kSamplesFileName, info.scenario);
    metrics_.emplace(*samples_);
  }
  void record(const kernel::TraceEvent& event) override { metrics_->record(event); }
  void end(RunSummary& summary) override {
    if (!samples_->close()) summary.fail(std::string("cannot write ") + kSamplesFileName);
  }

  // The figures so far; valid after begin().
  const LatencyMetrics& metrics() const { return *metrics_; }

 private:
  std::optional<SamplesFile> samples_;
  std::optional<LatencyMetrics> metrics_;
};

}  // namespace irqlab::cosim
