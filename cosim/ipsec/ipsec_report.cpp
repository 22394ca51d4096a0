#include "ipsec/ipsec_report.h"

#include "metrics/histogram.h"

namespace irqlab::cosim {

namespace {

using nlohmann::ordered_json;

ordered_json brief_summary_json(const CycleHistogram& h) {
  const Summary s = h.summary();
  return {{"count", s.count}, {"min", s.min}, {"mean", s.mean},
          {"p50", s.p50},     {"p99", s.p99}, {"max", s.max}};
}

// The per-packet means from the running sums.
PerPacketSums per_packet(const IpsecPath& path) {
  PerPacketSums m = path.totals().per_packet;
  if (m.packets > 0) {
    const auto n = static_cast<double>(m.packets);
    m.full /= n;
    m.light /= n;
    m.interrupt /= n;
    m.blocked /= n;
  }
  return m;
}

ordered_json leg_json(const LegTimes& t, bool crypto) {
  ordered_json j = {{"interrupts", t.legs},
                    {"closed", t.closed},
                    {"t1_minus_t0", brief_summary_json(t.t1)},
                    {"t2_minus_t0", brief_summary_json(t.t2)},
                    {"t3_minus_t0", brief_summary_json(t.t3)}};
  if (crypto) j["t4_minus_t0"] = brief_summary_json(t.t4);
  j["t5_minus_t0"] = brief_summary_json(t.t5);
  j["switches"] = {
      {"full", t.tally.full}, {"light", t.tally.light}, {"interrupt", t.tally.interrupt}};
  j["blocked_cycles"] = t.tally.blocked;
  return j;
}

}  // namespace

ordered_json ipsec_json(const IpsecReport& r) {
  const IpsecPath& path = *r.path;
  const PerPacketSums m = per_packet(path);
  ordered_json stages = ordered_json::array();
  const std::array<CycleHistogram, kPathPoints>& stage = path.totals().from_mac;
  for (std::size_t i = 0; i < kPathPoints; ++i)
    stages.push_back({{"point", path_point_name(static_cast<PathPoint>(i))},
                      {"from_mac", brief_summary_json(stage[i])}});
  ordered_json drops = ordered_json::object();
  for (unsigned c = 0; c < IpsecPath::kNetDropCauses; ++c)
    drops[kernel::net_drop_cause_name(static_cast<kernel::NetDropCause>(c))] = path.drops()[c];
  const DeliveryCheck& c = path.check();
  return {
      {"frames_offered", path.offered()},
      {"packets", path.totals().packets},
      {"reads", path.reads()},
      {"complete_paths", path.totals().complete_paths},
      {"per_packet",
       {{"packets", m.packets},
        {"fs", m.full},
        {"ls", m.light},
        {"ic", m.interrupt},
        {"blocked_cycles", m.blocked}}},
      {"nic", leg_json(path.totals().nic, false)},
      {"crypto", leg_json(path.totals().crypto, true)},
      {"end_to_end", brief_summary_json(stage[static_cast<std::size_t>(PathPoint::UserRead)])},
      {"stages", stages},
      {"drops", drops},
      {"nic_drops", {{"fifo_overflow", path.nic_drops()[0]}, {"length", path.nic_drops()[1]}}},
      {"delivery", path.checked() ? ordered_json{{"delivered", c.delivered},
                                                 {"mismatched", c.mismatched},
                                                 {"missing", c.missing},
                                                 {"duplicated", c.duplicated},
                                                 {"bad_dropped", c.bad_dropped}}
                                  : ordered_json()},
  };
}

ordered_json crypto_json(const IpsecReport& r) {
  const CryptoJobs& j = r.path->crypto();
  ordered_json outcomes = ordered_json::object();
  for (unsigned e = 0; e < CryptoJobs::kErrorKinds; ++e)
    outcomes[kernel::crypto_error_name(static_cast<kernel::CryptoError>(e))] = j.outcomes()[e];
  return {
      {"dispatched", j.dispatched()},
      {"jobs",
       {{"started", j.jobs_started()}, {"done", j.jobs_done()}, {"in_engine", j.in_engine()}}},
      {"completed", j.completed()},
      {"outcomes", outcomes},
      {"callbacks", j.callbacks()},
      {"requests", j.requests()},
      {"interrupts", j.interrupts()},
      {"jobs_per_interrupt",
       j.interrupts() > 0 ? static_cast<double>(j.jobs_done()) / static_cast<double>(j.interrupts())
                          : 0.0},
      {"cycles_per_job", brief_summary_json(j.cycles_per_job())},
      {"cycles_per_block", brief_summary_json(j.cycles_per_block())},
  };
}

void print_ipsec_summary(const IpsecReport& r, std::FILE* out) {
  const IpsecPath& path = *r.path;
  const PerPacketSums m = per_packet(path);
  const DeliveryCheck& c = path.check();
  std::fprintf(out, "\nIPsec receive path: %llu frames offered, %llu packets, %llu read",
               static_cast<unsigned long long>(path.offered()),
               static_cast<unsigned long long>(path.totals().packets),
               static_cast<unsigned long long>(path.reads()));
  if (path.checked())
    std::fprintf(
        out, " (%llu byte-exact, %llu mismatched, %llu missing, %llu duplicated)",
        static_cast<unsigned long long>(c.delivered), static_cast<unsigned long long>(c.mismatched),
        static_cast<unsigned long long>(c.missing), static_cast<unsigned long long>(c.duplicated));
  std::fprintf(
      out, "\nper packet (%llu complete paths): FS %.2f  LS %.2f  IC %.2f  blocked %.1f cycles\n",
      static_cast<unsigned long long>(m.packets), m.full, m.light, m.interrupt, m.blocked);
  const LegTimes& nic = path.totals().nic;
  const LegTimes& crypto = path.totals().crypto;
  std::fprintf(out, "%-8s %9s %9s %9s %9s %9s   (cycles after the leg's T0, means)\n", "leg", "T1",
               "T2", "T3", "T4", "T5");
  for (const auto& [name, t] :
       {std::pair<const char*, const LegTimes*>{"nic", &nic}, {"crypto", &crypto}}) {
    std::fprintf(out, "%-8s %9.1f %9.1f %9.1f ", name, t->t1.summary().mean, t->t2.summary().mean,
                 t->t3.summary().mean);
    if (t->t4.count() > 0) {
      std::fprintf(out, "%9.1f ", t->t4.summary().mean);
    } else {
      std::fprintf(out, "%9s ", "-");
    }
    std::fprintf(out, "%9.1f\n", t->t5.summary().mean);
  }
  const std::array<CycleHistogram, kPathPoints>& stage = path.totals().from_mac;
  std::fprintf(out, "path, cycles from the frame at the MAC (mean):");
  for (std::size_t i = 1; i < kPathPoints; ++i) {
    if (stage[i].count() == 0) continue;
    std::fprintf(out, "%s %s %.0f", i % 5 == 1 ? "\n " : "",
                 path_point_name(static_cast<PathPoint>(i)), stage[i].summary().mean);
  }
  const Summary e2e = stage[static_cast<std::size_t>(PathPoint::UserRead)].summary();
  std::fprintf(out, "\nend to end (MAC -> user read), cycles: mean %.1f p50 %llu max %llu\n",
               e2e.mean, static_cast<unsigned long long>(e2e.p50),
               static_cast<unsigned long long>(e2e.max));
  std::fprintf(out, "drops:");
  bool any = false;
  for (unsigned d = 0; d < IpsecPath::kNetDropCauses; ++d) {
    if (path.drops()[d] == 0) continue;
    any = true;
    std::fprintf(out, " %s %llu", kernel::net_drop_cause_name(static_cast<kernel::NetDropCause>(d)),
                 static_cast<unsigned long long>(path.drops()[d]));
  }
  if (path.nic_drops()[0] + path.nic_drops()[1] > 0) {
    any = true;
    std::fprintf(out, " nic %llu",
                 static_cast<unsigned long long>(path.nic_drops()[0] + path.nic_drops()[1]));
  }
  std::fprintf(out, "%s\n", any ? "" : " none");
  const CryptoJobs& j = path.crypto();
  const Summary job = j.cycles_per_job().summary();
  std::fprintf(
      out,
      "crypto engine: %llu jobs, %llu failed, %llu interrupts (%.2f jobs each), cycles per job "
      "mean %.1f "
      "max %llu, per 64-byte block mean %.1f\n",
      static_cast<unsigned long long>(j.jobs_done()),
      static_cast<unsigned long long>(j.completed() - j.outcomes()[0]),
      static_cast<unsigned long long>(j.interrupts()),
      j.interrupts() > 0 ? static_cast<double>(j.jobs_done()) / static_cast<double>(j.interrupts())
                         : 0.0,
      job.mean, static_cast<unsigned long long>(job.max), j.cycles_per_block().summary().mean);
}

}  // namespace irqlab::cosim
