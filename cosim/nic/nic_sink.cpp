#include "nic/nic_sink.h"

#include "net/ethernet.h"
#include "rtl/rtl_configuration.h"
#include "run/sink_registry.h"

namespace irqlab::cosim {

void NicSink::begin(const RunInfo& info) {
  info_.emplace(info);
  if (!info.scenario.traffic.present) return;
  delivered_pcap_ = std::make_unique<models::net::PcapWriter>(info.out_dir / "rx-delivered.pcap",
                                                              info.scenario.clock_period_ps);
  transmitted_pcap_ = std::make_unique<models::net::PcapWriter>(info.out_dir / "tx.pcap",
                                                                info.scenario.clock_period_ps);
}

void NicSink::record(const kernel::TraceEvent& event) {
  traffic_.record(event);
  if (event.kind == kernel::TraceKind::PacketDelivered && delivered_pcap_) {
    delivered_pcap_->write(event.cycle, event.data);
  } else if (event.kind == kernel::TraceKind::FrameTransmitted && transmitted_pcap_) {
    const bool has_fcs = models::net::fcs_matches(event.data);
    transmitted_pcap_->write(
        event.cycle,
        has_fcs ? event.data.first(event.data.size() - models::net::kFcsBytes) : event.data);
  }
}

void NicSink::end(RunSummary& summary) {
  try {
    if (delivered_pcap_) delivered_pcap_->flush();
    if (transmitted_pcap_) transmitted_pcap_->flush();
  } catch (const std::exception& e) {
    summary.fail(e.what());
  }
  report_ = NicReport{&traffic_, unread_counters_(), info_->scenario.clock_period_ps,
                      summary.simulated_cycles};
}

namespace {
// On when the scenario has a NIC; before the results, which read its report.
const SinkRegistration kNicSink{"nic", 200, [](const SinkContext& c) -> std::unique_ptr<RunSink> {
                                  if (!c.scenario.nic.present) return nullptr;
                                  RtlDomain& rtl = c.rtl;
                                  return std::make_unique<NicSink>(built_rtl().nic_source, [&rtl] {
                                    return rtl.nic_counters();
                                  });
                                }};
}  // namespace

}  // namespace irqlab::cosim
