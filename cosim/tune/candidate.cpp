#include "tune/candidate.h"

#include <algorithm>

#include "scenario/scenario.h"

namespace irqlab::cosim::tune {

namespace {

std::string flow(const YAML::Node& node) {
  YAML::Emitter out;
  out.SetMapFormat(YAML::Flow);
  out.SetSeqFormat(YAML::Flow);
  out << node;
  return out.c_str();
}

std::string hart_text(const std::vector<unsigned>& cpus, unsigned harts) {
  std::string text = "[";
  if (cpus.empty())
    for (unsigned h = 0; h < harts; ++h) text += (h ? ", " : "") + std::to_string(h);
  for (std::size_t i = 0; i < cpus.size(); ++i) text += (i ? ", " : "") + std::to_string(cpus[i]);
  return text + "]";
}

// The document's sources list with every tuned source field set to its chosen value.
YAML::Node tuned_sources(const TuneSpec& spec, const std::string& document, const Candidate& c) {
  YAML::Node sources = YAML::Clone(YAML::Load(document)["sources"]);
  for (std::size_t i = 0; i < spec.space.size(); ++i) {
    const Parameter& p = spec.space[i];
    if (p.source_index) sources[*p.source_index][p.field] = YAML::Load(p.values[c[i]]);
  }
  return sources;
}

bool tunes_a_source(const TuneSpec& spec) {
  for (const Parameter& p : spec.space)
    if (p.source_index) return true;
  return false;
}

}  // namespace

std::vector<std::string> candidate_overrides(const TuneSpec& spec, const std::string& document,
                                             const Candidate& c) {
  std::vector<std::string> overrides{"kernel.personality=" + spec.personality};
  for (std::size_t i = 0; i < spec.space.size(); ++i)
    if (!spec.space[i].source_index)
      overrides.push_back(spec.space[i].key + "=" + spec.space[i].values[c[i]]);
  if (tunes_a_source(spec))
    overrides.push_back("sources=" + flow(tuned_sources(spec, document, c)));
  return overrides;
}

YAML::Node chosen_keys(const TuneSpec& spec, const std::string& document, const Candidate& c) {
  YAML::Node root(YAML::NodeType::Map);
  for (std::size_t i = 0; i < spec.space.size(); ++i) {
    const Parameter& p = spec.space[i];
    if (p.source_index) continue;
    const auto dot = p.key.find('.');
    root[p.key.substr(0, dot)][p.key.substr(dot + 1)] = YAML::Load(p.values[c[i]]);
  }
  if (tunes_a_source(spec)) root["sources"] = tuned_sources(spec, document, c);
  return root;
}

std::string scenario_value(const Parameter& p, const Scenario& s) {
  if (p.source_index) {
    const InjectedSource& src = s.sources[*p.source_index];
    return p.field == "priority" ? std::to_string(src.irq.priority)
                                 : hart_text(src.irq.cpus, s.harts);
  }
  if (p.key == "kernel.tick_priority") return std::to_string(s.tick.priority);
  if (p.key == "kernel.threshold_floor") {
    // One floor for every hart is a value the space can list; per-hart floors are not.
    const std::vector<unsigned>& f = s.threshold_floor;
    if (f.empty()) return "0";
    if (std::all_of(f.begin(), f.end(), [&](unsigned v) { return v == f.front(); }))
      return std::to_string(f.front());
    std::string text = "[";
    for (std::size_t h = 0; h < f.size(); ++h) text += (h ? ", " : "") + std::to_string(f[h]);
    return text + "]";
  }
  if (p.key == "nic.priority") return std::to_string(s.nic.priority);
  if (p.key == "nic.cpus") return hart_text(s.nic.cpus, s.harts);
  if (p.key == "nic.itr") return std::to_string(s.nic.itr);
  if (p.key == "nic.rdtr") return std::to_string(s.nic.rdtr);
  if (p.key == "nic.radv") return std::to_string(s.nic.radv);
  if (p.key == "crypto.priority") return std::to_string(s.crypto.priority);
  if (p.key == "crypto.cpus") return hart_text(s.crypto.cpus, s.harts);
  if (p.key == "crypto.coalesce_count") return std::to_string(s.crypto.coalesce_count);
  if (p.key == "crypto.coalesce_timeout") return std::to_string(s.crypto.coalesce_timeout);
  throw std::logic_error("tunable key '" + p.key + "' has no scenario value");
}

std::string describe(const TuneSpec& spec, const Candidate& c) {
  std::string out;
  for (std::size_t i = 0; i < spec.space.size(); ++i)
    out += (i ? ", " : "") + spec.space[i].key + "=" + spec.space[i].values[c[i]];
  return out;
}

FittedSpace fitted_space(const TuneSpec& spec, std::uint64_t max_priority) {
  FittedSpace fitted{spec, {}};
  for (std::size_t i = 0; i < spec.space.size(); ++i) {
    const Parameter& whole = spec.space[i];
    Parameter& part = fitted.spec.space[i];
    std::vector<std::size_t>& index = fitted.full_index.emplace_back();
    part.values.clear();
    part.numbers.clear();
    for (std::size_t j = 0; j < whole.values.size(); ++j) {
      if (holds_plic_level(whole.kind) && whole.numbers[j] > max_priority) continue;
      index.push_back(j);
      part.values.push_back(whole.values[j]);
      if (!whole.numbers.empty()) part.numbers.push_back(whole.numbers[j]);
    }
  }
  return fitted;
}

Candidate full_candidate(const FittedSpace& fitted, const Candidate& c) {
  Candidate full(c.size());
  for (std::size_t i = 0; i < c.size(); ++i) full[i] = fitted.full_index[i][c[i]];
  return full;
}

TuneSpec capped_to(const TuneSpec& spec, std::uint64_t max_priority) {
  TuneSpec capped = spec;
  for (Parameter& p : capped.space)
    if (holds_plic_level(p.kind))
      for (std::size_t j = 0; j < p.numbers.size(); ++j)
        if (p.numbers[j] > max_priority) p.values[j] = std::to_string(max_priority);
  return capped;
}

void set_plic_levels(const TuneSpec& spec, const Candidate& c, Scenario& s) {
  for (std::size_t i = 0; i < spec.space.size(); ++i) {
    const Parameter& p = spec.space[i];
    if (!holds_plic_level(p.kind)) continue;
    const auto level = static_cast<unsigned>(p.numbers[c[i]]);
    if (p.source_index)
      s.sources[*p.source_index].irq.priority = level;
    else if (p.key == "kernel.tick_priority")
      s.tick.priority = level;
    else if (p.key == "kernel.threshold_floor")
      s.threshold_floor.assign(s.harts, level);
    else if (p.key == "nic.priority")
      s.nic.priority = level;
    else if (p.key == "crypto.priority")
      s.crypto.priority = level;
    else
      throw std::logic_error("priority key '" + p.key + "' has no scenario field");
  }
}

}  // namespace irqlab::cosim::tune
