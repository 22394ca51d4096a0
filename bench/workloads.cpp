#include "workloads.h"

#include <cmath>
#include <map>
#include <utility>
#include <yaml-cpp/yaml.h>

#include "config/config_node.h"
#include "scenario/scenario.h"
#include "stimulus/pulse_train.h"

namespace irqlab::bench {

namespace {

void scale_count(YAML::Node pulses, double factor) {
  if (pulses) pulses["count"] = std::llround(pulses["count"].as<double>() * factor);
}

void stretch_stimulus(YAML::Node stimulus, std::uint64_t file_cycles, std::uint64_t cycles) {
  const double factor = static_cast<double>(cycles) / static_cast<double>(file_cycles);
  scale_count(stimulus["periodic"], factor);
  scale_count(stimulus["random"], factor);
  if (const YAML::Node at = stimulus["at"]) {
    YAML::Node repeated(YAML::NodeType::Sequence);
    for (std::uint64_t offset = 0; offset < cycles; offset += file_cycles)
      for (const YAML::Node& t : at)
        if (t.as<std::uint64_t>() + offset < cycles) repeated.push_back(t.as<std::uint64_t>() + offset);
    stimulus["at"] = repeated;
  }
}

}  // namespace

std::vector<Workload> all_workloads(const std::filesystem::path& source_dir) {
  const std::filesystem::path bench = source_dir / "bench" / "scenarios";
  return {
      {"busy", "harts always busy, an interrupt every 500 cycles", bench / "busy.yaml", {}},
      {"default",
       "scenarios/default.yaml, linux",
       source_dir / "scenarios" / "default.yaml",
       {"kernel.personality=linux"}},
      {"sparse", "idle harts, ticks, an interrupt per 100000 cycles", bench / "sparse.yaml", {}},
      {"idle", "idle harts, no interrupts", bench / "idle.yaml", {}},
      {"nic",
       "NIC traffic, 20000 frames/s (Poisson, 60..1514 bytes), polling driver",
       bench / "nic.yaml",
       {}},
      {"nic-sparse", "NIC traffic, 1000 frames/s, polling driver", bench / "nic-sparse.yaml", {}},
  };
}

std::vector<std::string> run_overrides(const Workload& workload, std::uint64_t cycles) {
  // Loading the scenario first reports a broken file with irqlab's own messages.
  const std::uint64_t file_cycles = cosim::load_scenario(workload.scenario, workload.overrides).duration_cycles;
  YAML::Node root = YAML::LoadFile(workload.scenario.string());
  for (const std::string& o : workload.overrides) cosim::apply_override(root, o);

  std::vector<std::string> overrides = workload.overrides;
  overrides.push_back("duration_cycles=" + std::to_string(cycles));
  if (!root["sources"]) return overrides;
  YAML::Node sources = YAML::Clone(root["sources"]);
  for (YAML::Node source : sources)
    if (source["stimulus"]) stretch_stimulus(source["stimulus"], file_cycles, cycles);
  YAML::Emitter flow;
  flow.SetMapFormat(YAML::Flow);
  flow.SetSeqFormat(YAML::Flow);
  flow << sources;
  overrides.push_back(std::string("sources=") + flow.c_str());
  return overrides;
}

Stimulus scenario_stimulus(const Workload& workload, const std::vector<std::string>& overrides,
                           std::uint64_t cycles) {
  const cosim::Scenario scenario = cosim::load_scenario(workload.scenario, overrides);
  // Line edges by cycle, in the order irqlab's RTL clock applies them.
  std::map<std::uint64_t, std::vector<std::pair<unsigned, bool>>> edges;
  Stimulus stimulus;
  for (const cosim::InjectedSource& source : scenario.sources) {
    if (!source.stimulus) continue;
    models::PulsedLine line(*source.stimulus, scenario.seed);
    for (auto change = line.next_change(); change && change->at < cycles; change = line.next_change()) {
      if (change->level) ++stimulus.pulses;
      edges[change->at].emplace_back(source.stimulus->line, change->level);
    }
  }
  std::uint32_t lines = 0;
  for (const auto& [cycle, changes] : edges) {
    for (const auto& [line, level] : changes) lines = level ? lines | (1U << line) : lines & ~(1U << line);
    stimulus.schedule.push_back({cycle, lines});
  }
  return stimulus;
}

}  // namespace irqlab::bench
