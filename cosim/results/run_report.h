#pragma once
// What a run produced, gathered once at its end: the scenario, status, per-source
// latency and per-hart counters. results.json (docs/results-schema.md) and the console
// table are both written from this one record; the samples themselves are in the
// samples file (results/samples_file.h).
#include <cstdint>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "ipsec/ipsec_report.h"
#include "kernel.h"
#include "metrics/latency_metrics.h"
#include "nic/nic_report.h"
#include "scenario/scenario.h"

namespace irqlab::cosim {

struct SourceReport {
  unsigned source = 0;
  std::string name;
  std::string kind;  // "timer", "injected" or "device" (the NIC)
  unsigned priority = 0;
  SourceLatency latency;
};

struct RunReport {
  const Scenario* scenario = nullptr;
  bool ok = true;
  bool interrupted = false;  // with !ok: stopped early by a signal or a watchdog
  std::optional<std::string> error;
  std::optional<std::string> run_id;  // RunInfo::run_id
  Cycle simulated_cycles = 0;
  std::string samples_file;  // its name, in the directory of results.json
  std::vector<SourceReport> sources;
  kernel::KernelStats kernel;
  std::optional<kernel::Deadlock> deadlock;           // RunSummary::deadlock
  std::map<std::uint32_t, unsigned> deferred_source;  // deferred work id -> the source it serves
  std::uint64_t unhandled = 0;
  std::vector<CycleHistogram> latency_per_hart;              // T2 - T0 by hart, all sources
  std::map<std::uint32_t, CycleHistogram> deferred_latency;  // T3 - T0 per deferred work id
  std::map<std::uint32_t, CycleHistogram> lock_blocked;      // wait to acquisition per lock id
  std::optional<NicReport> nic;      // when the scenario has a NIC
  std::optional<IpsecReport> ipsec;  // when the scenario has a crypto engine
};

// results.json's document (docs/results-schema.md), and writing it out.
nlohmann::ordered_json results_json(const RunReport& report);
void write_results_json(const nlohmann::ordered_json& results, const std::filesystem::path& file);
void print_summary(const RunReport& report, std::FILE* out);

}  // namespace irqlab::cosim
