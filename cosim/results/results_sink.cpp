#include "results/results_sink.h"

#include <algorithm>
#include <spdlog/spdlog.h>
#include <string>

#include "expect/evaluate.h"
#include "rtl/rtl_configuration.h"
#include "run/sink_registry.h"
#include "soc_map.h"

namespace irqlab::cosim {

namespace {

std::vector<SourceReport> source_reports(const Scenario& s, const LatencyMetrics& metrics) {
  std::vector<SourceReport> out;
  for (unsigned h = 0; h < s.harts && s.tick.period != 0; ++h)
    out.push_back(
        {soc::timer_source(h), "timer" + std::to_string(h), "timer", s.tick.priority, {}});
  for (const InjectedSource& src : s.sources)
    out.push_back({src.irq.source, src.name, "injected", src.irq.priority, {}});
  if (s.nic.present) out.push_back({built_rtl().nic_source, "nic", "device", s.nic.priority, {}});
  if (s.crypto.present)
    out.push_back({built_rtl().crypto_source, "crypto", "device", s.crypto.priority, {}});
  for (SourceReport& r : out) r.latency.source = r.source;
  for (const SourceLatency& l : metrics.sources())
    for (SourceReport& r : out)
      if (r.source == l.source) r.latency = l;
  return out;
}

// The scenario's expectations checked on `doc`, for a run that completed (an interrupted
// or failed run's figures stop where it stopped, and it fails already). One that fails
// fails the run: in `summary` (the exit status), `report` (the table) and `doc`.
void check_expectations(const Scenario& s, RunSummary& summary, RunReport& report,
                        nlohmann::ordered_json& doc) {
  if (!s.expectations || !summary.ok) return;
  const expect::Verdict verdict =
      expect::evaluate_expectations(*s.expectations, s.personality.name, doc);
  doc["expectations"] = verdict.section;
  for (const std::string& failure : verdict.failures)
    spdlog::error("expectation failed: {}", failure);
  const std::size_t checked = verdict.passed + verdict.failed;
  if (verdict.failed == 0) {
    spdlog::info("{} of {} expectations passed", verdict.passed, checked);
    return;
  }
  summary.fail(std::to_string(verdict.failed) + " of " + std::to_string(checked) +
               " expectations failed: " + verdict.failures.front());
  report.ok = summary.ok;
  report.error = summary.error;
  doc["status"] = summary.status_name();
  doc["error"] = *summary.error;
}

}  // namespace

void ResultsSink::end(RunSummary& summary) {
  RunReport report;
  report.scenario = &info_->scenario;
  report.ok = summary.ok;
  report.interrupted = summary.interrupted;
  report.error = summary.error;
  report.run_id = info_->run_id;
  report.samples_file = kSamplesFileName;
  report.simulated_cycles = summary.simulated_cycles;
  report.sources = source_reports(info_->scenario, metrics_.metrics());
  report.kernel = summary.kernel;
  report.deadlock = summary.deadlock;
  report.deferred_source = deferred_source_;
  const LatencyMetrics& metrics = metrics_.metrics();
  report.unhandled = metrics.unhandled();
  report.latency_per_hart.assign(
      metrics.latency_per_hart().begin(),
      metrics.latency_per_hart().begin() +
          std::min<std::size_t>(report.kernel.cpus.size(), soc::kMaxHarts));
  report.deferred_latency = metrics.deferred_latency();
  report.lock_blocked = metrics.lock_blocked();
  if (nic_ != nullptr) report.nic = nic_->report();
  if (ipsec_ != nullptr) report.ipsec = ipsec_->report();
  nlohmann::ordered_json doc = results_json(report);
  check_expectations(info_->scenario, summary, report, doc);
  write_results_json(doc, info_->out_dir / "results.json");
  if (print_table_) print_summary(report, stdout);
}

namespace {
// Always on; after the metrics, the NIC's and the IPsec path's sinks, whose figures it reads.
const SinkRegistration kResultsSink{
    "results", 400, [](const SinkContext& c) -> std::unique_ptr<RunSink> {
      return std::make_unique<ResultsSink>(c.required<MetricsSink>(), c.built<NicSink>(),
                                           c.built<IpsecSink>(), c.options.print_table);
    }};
}  // namespace

}  // namespace irqlab::cosim
