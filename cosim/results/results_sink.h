#pragma once
// results.json and the console table as a run sink: at end() it gathers the run's record
// (results/run_report.h) from the scenario, the latency metrics and the run summary, and
// writes it. From the stream itself it takes which source each deferred work serves
// (AnnounceDeferred), to put a work's T3 - T0 beside its counters. It checks the
// scenario's expectations on the document before writing it (expect/evaluate.h) and fails
// the run when one fails. Always on.
#include <cstdint>
#include <map>
#include <optional>

#include "ipsec/ipsec_sink.h"
#include "metrics/metrics_sink.h"
#include "nic/nic_sink.h"
#include "results/run_report.h"
#include "run/run_sink.h"

namespace irqlab::cosim {

class ResultsSink : public RunSink {
 public:
  // `metrics`, `nic` when the scenario has a NIC and `ipsec` when it has a crypto engine
  // (else null) must come before this sink in the run's list (their end() closes the
  // samples and takes the NIC's and the IPsec path's figures).
  ResultsSink(const MetricsSink& metrics, const NicSink* nic, const IpsecSink* ipsec,
              bool print_table)
      : metrics_(metrics), nic_(nic), ipsec_(ipsec), print_table_(print_table) {}
  void begin(const RunInfo& info) override { info_.emplace(info); }
  void record(const kernel::TraceEvent& event) override {
    if (event.kind == kernel::TraceKind::AnnounceDeferred && event.arg2 != 0)
      deferred_source_[event.arg] = event.arg2;
  }
  // Checks the expectations, writes results.json (throws when it cannot) and, if asked,
  // prints the table.
  void end(RunSummary& summary) override;

 private:
  const MetricsSink& metrics_;
  const NicSink* nic_;
  const IpsecSink* ipsec_;
  bool print_table_;
  std::optional<RunInfo> info_;
  std::map<std::uint32_t, unsigned> deferred_source_;
};

}  // namespace irqlab::cosim
