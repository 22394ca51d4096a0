#include "ipsec/ipsec_report.h"

#include "metrics/histogram.h"

namespace irqlab::cosim {

namespace {

using nlohmann::ordered_json;

ordered_json to_json(const CycleHistogram& h) {
  const Summary s = h.summary();
  return {{"count", s.count}, {"min", s.min}, {"mean", s.mean},
          {"p50", s.p50},     {"p99", s.p99}, {"max", s.max}};
}

std::optional<Cycle> at(const PacketPath& p, PathPoint point) {
  return p.at[static_cast<std::size_t>(point)];
}

void add_span(CycleHistogram& h, std::optional<Cycle> from, std::optional<Cycle> to) {
  if (from && to && *to >= *from) h.add(*to - *from);
}

// The per-packet means of FS, LS, IC and blocked cycles over the packets the user read
// whose path is complete (research §6 counts a delivered packet; a dropped one's path ends
// at its drop), each packet taking its share of the legs it has (1 / the leg's packets).
struct PerPacket {
  std::uint64_t packets = 0;
  double full = 0, light = 0, interrupt = 0, blocked = 0;
};

PerPacket per_packet(const IpsecPath& path) {
  PerPacket m;
  for (const PacketPath& p : path.packets()) {
    if (!path.complete(p) || !at(p, PathPoint::UserRead)) continue;
    ++m.packets;
    for (const std::optional<std::size_t> leg : {p.nic_leg, p.crypto_leg}) {
      const PathLeg& l = path.legs()[*leg];
      const double share = 1.0 / static_cast<double>(l.packets.size());
      m.full += share * static_cast<double>(l.tally.full);
      m.light += share * static_cast<double>(l.tally.light);
      m.interrupt += share * static_cast<double>(l.tally.interrupt);
      m.blocked += share * static_cast<double>(l.tally.blocked);
    }
  }
  if (m.packets > 0) {
    const auto n = static_cast<double>(m.packets);
    m.full /= n;
    m.light /= n;
    m.interrupt /= n;
    m.blocked /= n;
  }
  return m;
}

// A leg's T points after its T0 (research §5): T1, T2, T3 (the deferred work takes the
// packet), T4 (the woken receiver runs with it; crypto leg), T5 (U resumes).
struct LegTimes {
  std::uint64_t legs = 0, closed = 0;
  SwitchTally tally;
  CycleHistogram t1, t2, t3, t4, t5;
};

LegTimes leg_times(const IpsecPath& path, bool crypto) {
  LegTimes t;
  const PathPoint t3 = crypto ? PathPoint::CryptoCallback : PathPoint::EtherInput;
  for (const PathLeg& leg : path.legs()) {
    if ((leg.source == path.crypto_source()) != crypto || leg.packets.empty()) continue;
    ++t.legs;
    const PacketPath& first = path.packets()[leg.packets.front() - 1];
    add_span(t.t1, leg.t0, leg.t1);
    add_span(t.t2, leg.t0, leg.t2);
    add_span(t.t3, leg.t0, at(first, t3));
    if (crypto) add_span(t.t4, leg.t0, at(first, PathPoint::UserRead));
    add_span(t.t5, leg.t0, leg.t5);
    if (leg.t5) {
      ++t.closed;
      t.tally += leg.tally;
    }
  }
  return t;
}

ordered_json leg_json(const LegTimes& t, bool crypto) {
  ordered_json j = {{"interrupts", t.legs},
                    {"closed", t.closed},
                    {"t1_minus_t0", to_json(t.t1)},
                    {"t2_minus_t0", to_json(t.t2)},
                    {"t3_minus_t0", to_json(t.t3)}};
  if (crypto) j["t4_minus_t0"] = to_json(t.t4);
  j["t5_minus_t0"] = to_json(t.t5);
  j["switches"] = {
      {"full", t.tally.full}, {"light", t.tally.light}, {"interrupt", t.tally.interrupt}};
  j["blocked_cycles"] = t.tally.blocked;
  return j;
}

// Per path point: cycles from the frame at the MAC, over the packets the receiver read.
std::array<CycleHistogram, kPathPoints> from_mac(const IpsecPath& path) {
  std::array<CycleHistogram, kPathPoints> h;
  for (const PacketPath& p : path.packets()) {
    if (p.reads == 0) continue;
    for (std::size_t i = 0; i < kPathPoints; ++i)
      add_span(h[i], at(p, PathPoint::FrameOffered), p.at[i]);
  }
  return h;
}

}  // namespace

ordered_json ipsec_json(const IpsecReport& r) {
  const IpsecPath& path = *r.path;
  const PerPacket m = per_packet(path);
  ordered_json stages = ordered_json::array();
  const std::array<CycleHistogram, kPathPoints> stage = from_mac(path);
  for (std::size_t i = 0; i < kPathPoints; ++i)
    stages.push_back(
        {{"point", path_point_name(static_cast<PathPoint>(i))}, {"from_mac", to_json(stage[i])}});
  ordered_json drops = ordered_json::object();
  for (unsigned c = 0; c < IpsecPath::kNetDropCauses; ++c)
    drops[kernel::net_drop_cause_name(static_cast<kernel::NetDropCause>(c))] = path.drops()[c];
  std::uint64_t complete = 0;
  for (const PacketPath& p : path.packets()) complete += path.complete(p) ? 1 : 0;
  const DeliveryCheck& c = path.check();
  return {
      {"frames_offered", path.offered()},
      {"packets", path.packets().size()},
      {"reads", path.reads()},
      {"complete_paths", complete},
      {"per_packet",
       {{"packets", m.packets},
        {"fs", m.full},
        {"ls", m.light},
        {"ic", m.interrupt},
        {"blocked_cycles", m.blocked}}},
      {"nic", leg_json(leg_times(path, false), false)},
      {"crypto", leg_json(leg_times(path, true), true)},
      {"end_to_end", to_json(stage[static_cast<std::size_t>(PathPoint::UserRead)])},
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
      {"cycles_per_job", to_json(j.cycles_per_job())},
      {"cycles_per_block", to_json(j.cycles_per_block())},
  };
}

void print_ipsec_summary(const IpsecReport& r, std::FILE* out) {
  const IpsecPath& path = *r.path;
  const PerPacket m = per_packet(path);
  const DeliveryCheck& c = path.check();
  std::fprintf(out, "\nIPsec receive path: %llu frames offered, %zu packets, %llu read",
               static_cast<unsigned long long>(path.offered()), path.packets().size(),
               static_cast<unsigned long long>(path.reads()));
  if (path.checked())
    std::fprintf(
        out, " (%llu byte-exact, %llu mismatched, %llu missing, %llu duplicated)",
        static_cast<unsigned long long>(c.delivered), static_cast<unsigned long long>(c.mismatched),
        static_cast<unsigned long long>(c.missing), static_cast<unsigned long long>(c.duplicated));
  std::fprintf(
      out, "\nper packet (%llu complete paths): FS %.2f  LS %.2f  IC %.2f  blocked %.1f cycles\n",
      static_cast<unsigned long long>(m.packets), m.full, m.light, m.interrupt, m.blocked);
  const LegTimes nic = leg_times(path, false);
  const LegTimes crypto = leg_times(path, true);
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
  const std::array<CycleHistogram, kPathPoints> stage = from_mac(path);
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
