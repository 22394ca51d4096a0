#include "metrics/metrics_sink.h"

#include <algorithm>
#include <span>
#include <stdexcept>

#include "metrics/cyclictest_histogram.h"
#include "output/atomic_file.h"
#include "run/sink_registry.h"

namespace irqlab::cosim {

void MetricsSink::begin(const RunInfo& info) {
  info_.emplace(info);
  samples_.emplace(info.out_dir / kSamplesFileName, info.scenario);
  metrics_.emplace(*samples_);
}

void MetricsSink::end(RunSummary& summary) {
  metrics_->finish();
  if (!samples_->close()) summary.fail(std::string("cannot write ") + kSamplesFileName);
  const Scenario& scenario = info_->scenario;
  const std::span<const CycleHistogram> harts(
      metrics_->latency_per_hart().data(), std::min<std::size_t>(scenario.harts, soc::kMaxHarts));
  try {
    write_file_atomically(
        info_->out_dir / kCyclictestCyclesFileName,
        cyclictest_histogram(harts, CyclictestUnit::Cycles, scenario.clock_period_ps));
    write_file_atomically(
        info_->out_dir / kCyclictestMicrosecondsFileName,
        cyclictest_histogram(harts, CyclictestUnit::Microseconds, scenario.clock_period_ps));
  } catch (const std::runtime_error& e) {
    summary.fail(e.what());
  }
}

namespace {
// Always on: the results and the waves' view read its figures at end().
const SinkRegistration kMetricsSink{
    "metrics", 100,
    [](const SinkContext&) -> std::unique_ptr<RunSink> { return std::make_unique<MetricsSink>(); }};
}  // namespace

}  // namespace irqlab::cosim
