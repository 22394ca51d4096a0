#pragma once
// The NIC's part of a run's outputs, as a run sink (run/run_sink.h): its traffic figures
// from the event stream (nic/nic_traffic.h) for results.json's `nic` block, and, when the
// scenario has traffic, the pcap files rx-delivered.pcap (each frame the driver delivered,
// stamped with its delivery cycle, without FCS) and tx.pcap (each frame that left the MAC,
// stamped with its last beat's cycle, without FCS when it carries a valid one). On when
// the scenario has a NIC; it must come before the results sink, which reads report().
#include <functional>
#include <memory>
#include <optional>

#include "net/pcap_file.h"
#include "nic/nic_report.h"
#include "nic/nic_traffic.h"
#include "run/run_sink.h"

namespace irqlab::cosim {

class NicSink : public RunSink {
 public:
  // `source`: the NIC's PLIC source. `unread_counters`: the statistics registers' values
  // still in the RTL, read at end() without clearing them.
  NicSink(unsigned source, std::function<NicCounterValues()> unread_counters)
      : traffic_(source), unread_counters_(std::move(unread_counters)) {}

  // Creates the pcap files when the scenario has traffic; throws when it cannot.
  void begin(const RunInfo& info) override;
  void record(const kernel::TraceEvent& event) override;
  // Closes the pcap files (a failed write fails the run) and takes the RTL's counters.
  void end(RunSummary& summary) override;

  // Valid after end().
  const NicReport& report() const { return *report_; }

 private:
  NicTraffic traffic_;
  std::function<NicCounterValues()> unread_counters_;
  std::optional<RunInfo> info_;
  std::unique_ptr<models::net::PcapWriter> delivered_pcap_;
  std::unique_ptr<models::net::PcapWriter> transmitted_pcap_;
  std::optional<NicReport> report_;
};

}  // namespace irqlab::cosim
