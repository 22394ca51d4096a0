#include "results/run_report.h"

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

namespace irqlab::cosim {

namespace {

using nlohmann::ordered_json;

constexpr const char* kSchema = "irqlab.results/1";

template <typename F>
Summary summarize_samples(const std::vector<LatencySample>& samples, F cycles) {
  std::vector<std::uint64_t> values;
  values.reserve(samples.size());
  for (const LatencySample& s : samples)
    if (const std::optional<Cycle> v = cycles(s)) values.push_back(*v);
  return summarize(std::move(values));
}

ordered_json to_json(const Summary& s) {
  return {{"count", s.count}, {"min", s.min}, {"mean", s.mean}, {"p50", s.p50}, {"p99", s.p99}, {"max", s.max}};
}

// FS, LS and IC counts (research/kernel-semantics.md, Terms).
ordered_json to_json(const kernel::SwitchCounts& s) {
  return {{"full", s.full}, {"light", s.light}, {"interrupt", s.interrupt}};
}

Summary latency_summary(const SourceLatency& l) {
  return summarize_samples(l.samples, [](const LatencySample& s) { return std::optional<Cycle>(s.t2 - s.t0); });
}

ordered_json source_json(const SourceReport& r) {
  const auto& samples = r.latency.samples;
  ordered_json samples_json = ordered_json::array();
  for (const LatencySample& s : samples)
    samples_json.push_back({{"cpu", s.cpu}, {"t0", s.t0}, {"irq", s.irq ? ordered_json(*s.irq) : ordered_json()},
                            {"t1", s.t1}, {"t2", s.t2}});
  return {
      {"source", r.source},
      {"name", r.name},
      {"kind", r.kind},
      {"priority", r.priority},
      {"asserted", r.latency.asserted},
      {"requests", r.latency.requests},
      {"handled", r.latency.handled},
      {"latency", to_json(latency_summary(r.latency))},
      {"decomposition",
       {{"controller", to_json(summarize_samples(samples, [](const LatencySample& s) {
           return s.irq ? std::optional<Cycle>(*s.irq - s.t0) : std::nullopt;
         }))},
        {"sampling", to_json(summarize_samples(samples, [](const LatencySample& s) {
           return s.irq ? std::optional<Cycle>(s.t1 - *s.irq) : std::nullopt;
         }))},
        {"trap_to_handler", to_json(summarize_samples(samples, [](const LatencySample& s) {
           return std::optional<Cycle>(s.t2 - s.t1);
         }))}}},
      {"deferred_latency", to_json(summarize(r.latency.t0_to_t3))},  // T3 - T0
      {"samples", samples_json},
  };
}

}  // namespace

void write_results_json(const RunReport& report, const std::filesystem::path& file) {
  const Scenario& sc = *report.scenario;
  ordered_json costs = ordered_json::object();
  for (const kernel::CostField& f : kernel::cost_fields()) costs[std::string(f.name)] = sc.costs.*f.member;
  ordered_json sources = ordered_json::array();
  for (const SourceReport& r : report.sources) sources.push_back(source_json(r));
  ordered_json cpus = ordered_json::array();
  for (std::size_t i = 0; i < report.kernel.cpus.size(); ++i) {
    const kernel::CpuStats& c = report.kernel.cpus[i];
    cpus.push_back({{"cpu", i},
                    {"interrupts", c.interrupts},
                    {"spurious", c.spurious},
                    {"ticks", c.ticks},
                    {"switches", to_json(c.switches)}});
  }
  ordered_json lwps = ordered_json::array();
  for (const kernel::LwpStats& l : report.kernel.lwps)
    lwps.push_back({{"id", l.id}, {"name", l.name}, {"switches", to_json(l.switches)}});
  ordered_json deferred = ordered_json::array();
  for (const kernel::DeferredStats& d : report.kernel.deferred)
    deferred.push_back({{"id", d.id},
                        {"name", d.name},
                        {"level", d.level},
                        {"mechanism", d.mechanism},
                        {"raised", d.raised},
                        {"coalesced", d.coalesced},
                        {"runs", d.runs},
                        {"latency_total", d.total_latency},
                        {"latency_max", d.max_latency},
                        {"blocked", d.blocked},
                        {"blocked_cycles", d.blocked_cycles},
                        {"switches", to_json(d.switches)}});
  ordered_json locks = ordered_json::array();
  for (const kernel::NamedLockStats& l : report.kernel.locks)
    locks.push_back({{"name", l.name},
                     {"acquisitions", l.stats.acquisitions},
                     {"contended", l.stats.contended},
                     {"blocked_cycles", l.stats.blocked_cycles},
                     {"max_blocked_cycles", l.stats.max_blocked_cycles},
                     {"holder", l.stats.holder >= 0 ? ordered_json(l.stats.holder) : ordered_json()}});
  const ordered_json doc = {
      {"schema", kSchema},
      {"status", report.ok ? "ok" : "failed"},
      {"error", report.error ? ordered_json(*report.error) : ordered_json()},
      {"scenario",
       {{"name", sc.name},
        {"seed", sc.seed},
        {"duration_cycles", sc.duration_cycles},
        {"harts", sc.harts},
        {"clock_period_ps", sc.clock_period_ps},
        {"bus", {{"request_cycles", sc.bus.request_cycles}, {"response_cycles", sc.bus.response_cycles}}},
        {"cost_profile", costs}}},
      {"simulated_cycles", report.simulated_cycles},
      {"unhandled_claims", report.unhandled},
      {"sources", sources},
      {"cpus", cpus},
      {"deferred", deferred},
      {"lwps", lwps},
      {"locks", locks},
  };
  std::ofstream out(file);
  out << doc.dump(2) << '\n';
  if (!out) throw std::runtime_error("cannot write " + file.string());
}

void print_summary(const RunReport& report, std::FILE* out) {
  const Scenario& sc = *report.scenario;
  std::fprintf(out, "scenario %s: %u harts, %llu cycles simulated, seed %llu\n", sc.name.c_str(), sc.harts,
               static_cast<unsigned long long>(report.simulated_cycles), static_cast<unsigned long long>(sc.seed));
  std::fprintf(out, "\ninterrupt latency T0 (line at PLIC) -> T2 (handler start), cycles\n");
  std::fprintf(out, "%6s  %-10s %4s %8s %8s %8s %6s %9s %6s %6s %6s\n", "source", "name", "prio", "asserted",
               "requests", "handled", "min", "mean", "p50", "p99", "max");
  for (const SourceReport& r : report.sources) {
    const Summary s = latency_summary(r.latency);
    std::fprintf(out, "%6u  %-10s %4u %8llu %8llu %8llu %6llu %9.1f %6llu %6llu %6llu\n", r.source,
                 r.name.c_str(), r.priority, static_cast<unsigned long long>(r.latency.asserted),
                 static_cast<unsigned long long>(r.latency.requests),
                 static_cast<unsigned long long>(r.latency.handled), static_cast<unsigned long long>(s.min), s.mean,
                 static_cast<unsigned long long>(s.p50), static_cast<unsigned long long>(s.p99),
                 static_cast<unsigned long long>(s.max));
  }
  if (!report.kernel.deferred.empty()) {
    std::fprintf(out, "\ndeferred work (T3: start of the work)\n%-10s %-16s %6s %6s %9s %9s %8s %4s %4s %4s\n", "name",
                 "mechanism", "raised", "runs", "T3-T0 avg", "T3-T0 max", "blocked", "FS", "LS", "IC");
    for (const kernel::DeferredStats& d : report.kernel.deferred) {
      Summary t3;
      for (const SourceReport& r : report.sources)
        if (r.name == d.name) t3 = summarize(r.latency.t0_to_t3);
      std::fprintf(out, "%-10s %-16s %6llu %6llu %9.1f %9llu %8llu %4llu %4llu %4llu\n", d.name.c_str(),
                   d.mechanism.c_str(), static_cast<unsigned long long>(d.raised),
                   static_cast<unsigned long long>(d.runs), t3.mean, static_cast<unsigned long long>(t3.max),
                   static_cast<unsigned long long>(d.blocked), static_cast<unsigned long long>(d.switches.full),
                   static_cast<unsigned long long>(d.switches.light),
                   static_cast<unsigned long long>(d.switches.interrupt));
    }
  }
  std::fprintf(out, "\n%4s %11s %9s %7s %6s %6s %6s\n", "hart", "interrupts", "spurious", "ticks", "FS", "LS",
               "IC");
  for (std::size_t i = 0; i < report.kernel.cpus.size(); ++i) {
    const kernel::CpuStats& c = report.kernel.cpus[i];
    std::fprintf(out, "%4zu %11llu %9llu %7llu %6llu %6llu %6llu\n", i,
                 static_cast<unsigned long long>(c.interrupts), static_cast<unsigned long long>(c.spurious),
                 static_cast<unsigned long long>(c.ticks), static_cast<unsigned long long>(c.switches.full),
                 static_cast<unsigned long long>(c.switches.light),
                 static_cast<unsigned long long>(c.switches.interrupt));
  }
  if (!report.ok) std::fprintf(out, "\nRUN FAILED: %s\n", report.error ? report.error->c_str() : "unknown");
}

}  // namespace irqlab::cosim
