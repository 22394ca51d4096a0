#include "results/run_report.h"

#include <cstdio>
#include <iomanip>
#include <nlohmann/json.hpp>

#include "metrics/summary_json.h"
#include "output/atomic_file.h"
#include "results/run_description.h"

namespace irqlab::cosim {

namespace {

using nlohmann::ordered_json;

constexpr const char* kResultsSchema = "irqlab.results/3";

ordered_json to_json(const CycleHistogram& h) { return summary_json(h); }

// A histogram the report's statistics plot: its summary with the exact distribution.
ordered_json distributed(const CycleHistogram& h) { return summary_with_distribution_json(h); }

// `histograms`' entry for `id`, or an empty one.
const CycleHistogram& histogram_of(const std::map<std::uint32_t, CycleHistogram>& histograms,
                                   std::uint32_t id) {
  static const CycleHistogram empty;
  const auto it = histograms.find(id);
  return it == histograms.end() ? empty : it->second;
}

// FS, LS and IC counts (research/kernel-semantics.md, Terms).
ordered_json to_json(const kernel::SwitchCounts& s) {
  return {{"full", s.full}, {"light", s.light}, {"interrupt", s.interrupt}};
}

ordered_json source_json(const SourceReport& r) {
  const SourceLatency& l = r.latency;
  ordered_json per_cpu = ordered_json::array();
  for (const auto& [cpu, h] : l.latency_per_cpu)
    per_cpu.push_back({{"cpu", cpu}, {"latency", distributed(h)}});
  return {
      {"source", r.source},
      {"name", r.name},
      {"kind", r.kind},
      {"priority", r.priority},
      {"asserted", l.asserted},
      {"requests", l.requests},
      {"handled", l.handled},
      {"claimed_in_running_trap", l.claimed_in_running_trap},
      {"dropped",
       {{"while_pending", l.dropped.while_pending},
        {"while_in_service", l.dropped.while_in_service}}},
      {"latency", distributed(l.latency)},
      {"per_cpu", per_cpu},
      {"decomposition",
       {{"controller", to_json(l.controller)},
        {"sampling", to_json(l.sampling)},
        {"trap_to_handler", to_json(l.trap_to_handler)}}},
      {"deferred_latency", distributed(l.t0_to_t3)},  // T3 - T0
      {"handler_blocked", to_json(l.handler_blocked)},
      {"samples", {{"latency", l.latency.count()}, {"deferred", l.t0_to_t3.count()}}},
  };
}

// The wait-for graph of a deadlock (kernel/sched/deadlock.h), LWPs and locks by name.
ordered_json deadlock_json(const kernel::Deadlock& d) {
  ordered_json waits = ordered_json::array();
  for (const kernel::LockWaitEdge& e : d.waits)
    waits.push_back({{"lwp", e.lwp_name},
                     {"waits_for", e.lock},
                     {"held_by", e.holder ? ordered_json(e.holder_name) : ordered_json()}});
  ordered_json cycle = ordered_json::array();
  for (const kernel::LwpId id : d.cycle_lwps)
    for (const kernel::LockWaitEdge& e : d.waits)
      if (e.lwp == id) cycle.push_back(e.lwp_name);
  return {{"kind",
           d.kind == kernel::Deadlock::Kind::WaitForCycle ? "wait_for_cycle" : "every_lwp_blocked"},
          {"cycle", d.cycle},
          {"waits", waits},
          {"cycle_in_graph", cycle}};
}

}  // namespace

ordered_json results_json(const RunReport& report) {
  ordered_json sources = ordered_json::array();
  for (const SourceReport& r : report.sources) sources.push_back(source_json(r));
  ordered_json cpus = ordered_json::array();
  for (std::size_t i = 0; i < report.kernel.cpus.size(); ++i) {
    const kernel::CpuStats& c = report.kernel.cpus[i];
    cpus.push_back(
        {{"cpu", i},
         {"interrupts", c.interrupts},
         {"spurious", c.spurious},
         {"ticks", c.ticks},
         {"switches", to_json(c.switches)},
         {"latency", distributed(i < report.latency_per_hart.size() ? report.latency_per_hart[i]
                                                                    : CycleHistogram())}});
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
                        {"latency", distributed(histogram_of(report.deferred_latency, d.id))},
                        {"blocked", d.blocked},
                        {"blocked_cycles", d.blocked_cycles},
                        {"switches", to_json(d.switches)}});
  ordered_json locks = ordered_json::array();
  for (std::uint32_t id = 0; id < report.kernel.locks.size(); ++id) {
    const kernel::NamedLockStats& l = report.kernel.locks[id];
    locks.push_back(
        {{"name", l.name},
         {"acquisitions", l.stats.acquisitions},
         {"contended", l.stats.contended},
         {"blocked_cycles", l.stats.blocked_cycles},
         {"max_blocked_cycles", l.stats.max_blocked_cycles},
         {"holder", l.stats.holder >= 0 ? ordered_json(l.stats.holder) : ordered_json()},
         {"waits", distributed(histogram_of(report.lock_blocked, id))}});
  }
  ordered_json doc = {
      {"schema", kResultsSchema},
      {"irqlab", build_json()},
      {"status", report.ok            ? "ok"
                 : report.interrupted ? "interrupted"
                                      : "failed"},
      {"run_id", report.run_id ? ordered_json(*report.run_id) : ordered_json()},
      {"error", report.error ? ordered_json(*report.error) : ordered_json()},
      {"scenario", scenario_json(*report.scenario)},
      {"simulated_cycles", report.simulated_cycles},
      {"unhandled_claims", report.unhandled},
      {"samples_file", report.samples_file},
      {"sources", sources},
      {"cpus", cpus},
      {"deferred", deferred},
      {"lwps", lwps},
      {"locks", locks},
  };
  if (report.deadlock) doc["deadlock"] = deadlock_json(*report.deadlock);
  if (report.nic) doc["nic"] = nic_json(*report.nic);
  if (report.ipsec) {
    doc["ipsec"] = ipsec_json(*report.ipsec);
    doc["crypto"] = crypto_json(*report.ipsec);
  }
  return doc;
}

void write_results_json(const ordered_json& results, const std::filesystem::path& file) {
  AtomicFile out(file);
  out.stream() << std::setw(2) << results << '\n';  // as dump(2), without a copy of the text
  out.commit();
}

void print_summary(const RunReport& report, std::FILE* out) {
  const Scenario& sc = *report.scenario;
  std::fprintf(out, "scenario %s: %u harts, %llu cycles simulated, seed %llu\n", sc.name.c_str(),
               sc.harts, static_cast<unsigned long long>(report.simulated_cycles),
               static_cast<unsigned long long>(sc.seed));
  std::fprintf(out, "\ninterrupt latency T0 (line at PLIC) -> T2 (handler start), cycles\n");
  std::fprintf(out, "%6s  %-10s %4s %8s %8s %8s %6s %9s %6s %6s %6s\n", "source", "name", "prio",
               "asserted", "requests", "handled", "min", "mean", "p50", "p99", "max");
  for (const SourceReport& r : report.sources) {
    const Summary s = r.latency.latency.summary();
    std::fprintf(out, "%6u  %-10s %4u %8llu %8llu %8llu %6llu %9.1f %6llu %6llu %6llu\n", r.source,
                 r.name.c_str(), r.priority, static_cast<unsigned long long>(r.latency.asserted),
                 static_cast<unsigned long long>(r.latency.requests),
                 static_cast<unsigned long long>(r.latency.handled),
                 static_cast<unsigned long long>(s.min), s.mean,
                 static_cast<unsigned long long>(s.p50), static_cast<unsigned long long>(s.p99),
                 static_cast<unsigned long long>(s.max));
  }
  if (!report.kernel.deferred.empty()) {
    std::fprintf(
        out,
        "\ndeferred work (T3: start of the work)\n%-10s %-16s %6s %6s %9s %9s %8s %4s %4s %4s\n",
        "name", "mechanism", "raised", "runs", "T3-T0 avg", "T3-T0 max", "blocked", "FS", "LS",
        "IC");
    for (const kernel::DeferredStats& d : report.kernel.deferred) {
      Summary t3;
      const auto served = report.deferred_source.find(d.id);
      for (const SourceReport& r : report.sources)
        if (served != report.deferred_source.end() && r.source == served->second)
          t3 = r.latency.t0_to_t3.summary();
      std::fprintf(out, "%-10s %-16s %6llu %6llu %9.1f %9llu %8llu %4llu %4llu %4llu\n",
                   d.name.c_str(), d.mechanism.c_str(), static_cast<unsigned long long>(d.raised),
                   static_cast<unsigned long long>(d.runs), t3.mean,
                   static_cast<unsigned long long>(t3.max),
                   static_cast<unsigned long long>(d.blocked),
                   static_cast<unsigned long long>(d.switches.full),
                   static_cast<unsigned long long>(d.switches.light),
                   static_cast<unsigned long long>(d.switches.interrupt));
    }
  }
  std::fprintf(out, "\n%4s %11s %9s %7s %6s %6s %6s\n", "hart", "interrupts", "spurious", "ticks",
               "FS", "LS", "IC");
  for (std::size_t i = 0; i < report.kernel.cpus.size(); ++i) {
    const kernel::CpuStats& c = report.kernel.cpus[i];
    std::fprintf(
        out, "%4zu %11llu %9llu %7llu %6llu %6llu %6llu\n", i,
        static_cast<unsigned long long>(c.interrupts), static_cast<unsigned long long>(c.spurious),
        static_cast<unsigned long long>(c.ticks), static_cast<unsigned long long>(c.switches.full),
        static_cast<unsigned long long>(c.switches.light),
        static_cast<unsigned long long>(c.switches.interrupt));
  }
  if (report.nic) print_nic_summary(*report.nic, out);
  if (report.ipsec) print_ipsec_summary(*report.ipsec, out);
  if (!report.ok)
    std::fprintf(out, "\nRUN %s: %s\n", report.interrupted ? "INTERRUPTED" : "FAILED",
                 report.error ? report.error->c_str() : "unknown");
}

}  // namespace irqlab::cosim
