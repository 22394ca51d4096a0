#pragma once
// The IPsec receive path's and the crypto engine's part of a run's outputs, as a run sink
// (run/run_sink.h): the figures of ipsec/ipsec_path.h for results.json's `ipsec` and
// `crypto` blocks and the console table. On when the scenario has a crypto engine; it
// must come before the results sink, which reads report().
#include <optional>

#include "ipsec/ipsec_path.h"
#include "ipsec/ipsec_report.h"
#include "run/run_sink.h"

namespace irqlab::cosim {

class IpsecSink : public RunSink {
 public:
  // `expectations`: the traffic source's, for the byte-exact check (null: none); must
  // outlive the sink.
  IpsecSink(unsigned nic_source, unsigned crypto_source, models::net::EspExpectations* expectations)
      : path_(nic_source, crypto_source, expectations) {}

  void begin(const RunInfo& info) override { clock_period_ps_ = info.scenario.clock_period_ps; }
  void record(const kernel::TraceEvent& event) override { path_.record(event); }
  void end(RunSummary&) override {
    path_.finish();
    report_ = IpsecReport{&path_, clock_period_ps_};
  }

  // Valid after end().
  const IpsecReport& report() const { return *report_; }

 private:
  IpsecPath path_;
  std::uint64_t clock_period_ps_ = 0;
  std::optional<IpsecReport> report_;
};

}  // namespace irqlab::cosim
