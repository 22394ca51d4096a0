#include "nic/nic_report.h"

#include <algorithm>

namespace irqlab::cosim {

namespace {

using kernel::NicCounterId;
using nlohmann::ordered_json;

std::uint64_t total(const NicReport& r, NicCounterId id) {
  const auto i = static_cast<unsigned>(id);
  return r.traffic->driver_counters()[i] + r.rtl_unread[i];
}

double ns(const NicReport& r, double cycles) {
  return cycles * static_cast<double>(r.clock_period_ps) / 1000.0;
}

double seconds(const NicReport& r) {
  return static_cast<double>(r.simulated_cycles) * static_cast<double>(r.clock_period_ps) * 1e-12;
}

}  // namespace

ordered_json nic_json(const NicReport& r) {
  const NicTraffic& t = *r.traffic;
  ordered_json counters = ordered_json::object();
  for (unsigned i = 0; i < kernel::kNicCounterCount; ++i) {
    const auto id = static_cast<NicCounterId>(i);
    counters[kernel::nic_counter_name(id)] = {{"driver_read", t.driver_counters()[i]},
                                              {"unread", r.rtl_unread[i]},
                                              {"total", total(r, id)}};
  }
  const Summary l = t.latency().summary();
  const double secs = seconds(r);
  ordered_json report = {
      {"offered", t.offered()},
      {"received", t.received()},
      {"dropped", {{"fifo_overflow", t.dropped_fifo()}, {"length", t.dropped_length()}}},
      {"drops_match_counters", t.dropped_fifo() == total(r, NicCounterId::Mpc) &&
                                   t.dropped_length() == total(r, NicCounterId::Rlec)},
      {"rnbc", total(r, NicCounterId::Rnbc)},
      {"delivered", t.delivered()},
      {"undelivered", t.undelivered()},
      {"mismatched", t.mismatched()},
      {"sent", t.sent()},
      {"transmitted", t.transmitted()},
      {"counters", counters},
      {"latency",
       {{"count", l.count},
        {"cycles", {{"mean", l.mean}, {"p50", l.p50}, {"p99", l.p99}, {"max", l.max}}},
        {"ns",
         {{"mean", ns(r, l.mean)},
          {"p50", ns(r, static_cast<double>(l.p50))},
          {"p99", ns(r, static_cast<double>(l.p99))},
          {"max", ns(r, static_cast<double>(l.max))}}}}},
      {"interrupts", t.interrupts()},
      {"interrupts_per_second", secs > 0 ? static_cast<double>(t.interrupts()) / secs : 0.0},
      {"packets_per_interrupt",
       t.interrupts() > 0 ? static_cast<double>(t.delivered()) / static_cast<double>(t.interrupts())
                          : 0.0},
  };
  // Only a run in which the driver reported an engine error has the block: a healthy run's
  // results stay as they were before the driver read STATUS.
  if (std::ranges::any_of(t.errors(), [](std::uint64_t n) { return n != 0; })) {
    ordered_json errors = ordered_json::object();
    for (unsigned i = 0; i < kernel::kNicErrorCauseCount; ++i)
      errors[kernel::nic_error_cause_name(static_cast<kernel::NicErrorCause>(i))] = t.errors()[i];
    report["errors"] = errors;
  }
  return report;
}

void print_nic_summary(const NicReport& r, std::FILE* out) {
  const NicTraffic& t = *r.traffic;
  const Summary l = t.latency().summary();
  std::fprintf(out,
               "\nNIC frames: %llu offered, %llu dropped (fifo %llu, length %llu), %llu delivered, "
               "%llu still in the NIC or its ring at the end, %llu transmitted\n",
               static_cast<unsigned long long>(t.offered()),
               static_cast<unsigned long long>(t.dropped_fifo() + t.dropped_length()),
               static_cast<unsigned long long>(t.dropped_fifo()),
               static_cast<unsigned long long>(t.dropped_length()),
               static_cast<unsigned long long>(t.delivered()),
               static_cast<unsigned long long>(t.undelivered()),
               static_cast<unsigned long long>(t.transmitted()));
  std::fprintf(out,
               "NIC latency MAC -> delivery, cycles: mean %.1f p50 %llu p99 %llu max %llu; %llu "
               "interrupts\n",
               l.mean, static_cast<unsigned long long>(l.p50),
               static_cast<unsigned long long>(l.p99), static_cast<unsigned long long>(l.max),
               static_cast<unsigned long long>(t.interrupts()));
  const auto& e = t.errors();
  if (e[0] + e[1] != 0)
    std::fprintf(
        out, "NIC engine errors reported by the driver: RX DMA %llu, TX DMA %llu (STATUS)\n",
        static_cast<unsigned long long>(e[static_cast<unsigned>(kernel::NicErrorCause::RxDma)]),
        static_cast<unsigned long long>(e[static_cast<unsigned>(kernel::NicErrorCause::TxDma)]));
}

}  // namespace irqlab::cosim
