#include "results/results_sink.h"

#include <algorithm>
#include <string>

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
  if (s.nic.present) out.push_back({soc::nic_source, "nic", "device", s.nic.priority, {}});
  if (s.crypto.present)
    out.push_back({soc::crypto_source, "crypto", "device", s.crypto.priority, {}});
  for (SourceReport& r : out) r.latency.source = r.source;
  for (const SourceLatency& l : metrics.sources())
    for (SourceReport& r : out)
      if (r.source == l.source) r.latency = l;
  return out;
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
  write_results_json(report, info_->out_dir / "results.json");
  if (print_table_) print_summary(report, stdout);
}

}  // namespace irqlab::cosim
