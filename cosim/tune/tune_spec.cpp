#include "tune/tune_spec.h"

#include <algorithm>
#include <limits>
#include <optional>
#include <yaml-cpp/yaml.h>

#include "scenario/scenario.h"
#include "scenario/scenario_keys.h"
#include "tune/halving.h"

namespace irqlab::cosim::tune {

namespace {

// Where a deadline was given: file and line, or the -c that set it.
std::string where(const ConfigNode& n) {
  if (n.from_command_line()) return "-c " + n.override_text();
  return n.file() + ":" + std::to_string(n.yaml().Mark().line + 1);
}

// The names results.json gives the run's sources (cosim/run/runner.cpp announces them).
std::vector<std::string> source_names(const Scenario& s) {
  std::vector<std::string> names;
  for (unsigned h = 0; h < s.harts && s.tick.period != 0; ++h)
    names.push_back("timer" + std::to_string(h));
  for (unsigned h = 0; h < s.harts && s.harts > 1; ++h) names.push_back("ipi" + std::to_string(h));
  for (const InjectedSource& src : s.sources) names.push_back(src.name);
  if (s.nic.present) names.emplace_back("nic");
  if (s.crypto.present) names.emplace_back("crypto");
  return names;
}

std::string joined(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words) out += (out.empty() ? "" : ", ") + w;
  return out.empty() ? "none" : out;
}

template <std::size_t N>
bool listed(const char* const (&statistics)[N], const std::string& stat) {
  return std::find(std::begin(statistics), std::end(statistics), stat) != std::end(statistics);
}

template <std::size_t N>
std::string listing(const char* const (&statistics)[N]) {
  return joined(std::vector<std::string>(std::begin(statistics), std::end(statistics)));
}

// Checks a deadline's metric path against what the scenario's results.json will hold.
void check_metric(const ConfigNode& node, const std::string& metric, const Scenario& s) {
  const auto dot = metric.rfind('.');
  const std::string stat = dot == std::string::npos ? "" : metric.substr(dot + 1);
  const std::string head = dot == std::string::npos ? metric : metric.substr(0, dot);
  if (head == "ipsec.end_to_end") {
    if (!s.ipsec.present) node.fail("'" + metric + "': the scenario has no ipsec: block");
    if (!listed(kPacketStatistics, stat))
      node.fail("'" + metric +
                "': unknown statistic (expected one of: " + listing(kPacketStatistics) + ")");
    return;
  }
  if (head == "nic.latency.cycles") {
    if (!s.nic.present) node.fail("'" + metric + "': the scenario has no nic: block");
    if (!listed(kNicStatistics, stat))
      node.fail("'" + metric + "': unknown statistic (expected one of: " + listing(kNicStatistics) +
                ")");
    return;
  }
  const std::string prefix = "sources.";
  for (const std::string family : {".latency", ".deferred_latency"}) {
    if (head.size() <= prefix.size() + family.size() ||
        head.compare(0, prefix.size(), prefix) != 0 ||
        head.compare(head.size() - family.size(), family.size(), family) != 0)
      continue;
    const std::string name =
        head.substr(prefix.size(), head.size() - prefix.size() - family.size());
    const std::vector<std::string> names = source_names(s);
    if (std::find(names.begin(), names.end(), name) == names.end())
      node.fail("'" + metric + "': no source named '" + name +
                "' (the run's sources: " + joined(names) + ")");
    if (!listed(kSourceStatistics, stat))
      node.fail("'" + metric +
                "': unknown statistic (expected one of: " + listing(kSourceStatistics) + ")");
    if (family == ".deferred_latency")
      for (const InjectedSource& src : s.sources)
        if (src.name == name && !src.deferred)
          node.fail("'" + metric + "': source '" + name + "' asks for no deferred work");
    return;
  }
  node.fail("'" + metric +
            "': unknown metric (expected sources.<name>.latency.<stat>, "
            "sources.<name>.deferred_latency.<stat>, ipsec.end_to_end.<stat> or "
            "nic.latency.cycles.<stat>)");
}

std::vector<std::string> tunable_paths() {
  std::vector<std::string> paths;
  for (const TunableKey& k : tunable_keys()) paths.push_back(k.path);
  return paths;
}

// Resolves `key` (sources[<name>].<field> or a map key) to its table entry.
Parameter resolve_key(const ConfigNode& node, const Scenario& s) {
  Parameter p;
  p.key = node.as_string();
  p.table_path = p.key;
  const std::string list = "sources[";
  if (p.key.compare(0, list.size(), list) == 0) {
    const auto close = p.key.find("].", list.size());
    if (close == std::string::npos)
      node.fail("'" + p.key + "': expected sources[<name>].<field>, a source by its name");
    const std::string name = p.key.substr(list.size(), close - list.size());
    for (std::size_t i = 0; i < s.sources.size(); ++i)
      if (s.sources[i].name == name) p.source_index = i;
    if (!p.source_index) {
      std::vector<std::string> names;
      for (const InjectedSource& src : s.sources) names.push_back(src.name);
      node.fail("'" + p.key + "': no source named '" + name + "' under sources (" + joined(names) +
                ")");
    }
    p.field = p.key.substr(close + 2);
    p.table_path = "sources[]." + p.field;
  }
  const std::optional<TunableKey> tunable = find_tunable(p.table_path);
  if (!tunable)
    node.fail("'" + p.key + "' is not tunable (tunable keys: " + joined(tunable_paths()) + ")");
  p.kind = tunable->kind;
  if (p.table_path.compare(0, 4, "nic.") == 0 && !s.nic.present)
    node.fail("'" + p.key + "': the scenario has no nic: block");
  if (p.table_path.compare(0, 7, "crypto.") == 0 && !s.crypto.present)
    node.fail("'" + p.key + "': the scenario has no crypto: block");
  return p;
}

// A cpus value: a non-empty list of distinct harts below platform.harts.
std::string hart_list(const ConfigNode& value, unsigned harts) {
  if (!value.yaml().IsSequence() || value.yaml().size() == 0)
    value.fail("expected a non-empty list of harts, e.g. [0, 1]");
  std::vector<std::uint64_t> seen;
  std::string text = "[";
  for (const ConfigNode& h : value.items()) {
    const std::uint64_t hart = h.as_uint();
    if (hart >= harts)
      h.fail("hart " + std::to_string(hart) + " is not below platform.harts (" +
             std::to_string(harts) + ")");
    if (std::count(seen.begin(), seen.end(), hart) != 0)
      h.fail("hart " + std::to_string(hart) + " is listed twice");
    seen.push_back(hart);
    text += (text.size() > 1 ? ", " : "") + std::to_string(hart);
  }
  return text + "]";
}

// `widest_plic`: with rtl.plic.priority_bits in the space, the largest priority of its widest
// PLIC, which bounds priorities and thresholds in place of the running binary's key table
// (each configuration then runs only the values its own PLIC holds: fitted_space).
void read_values(const ConfigNode& node, Parameter& p, const Scenario& s,
                 std::optional<std::uint64_t> widest_plic) {
  const bool has_values = node.has("values");
  const bool has_range = node.has("range");
  if (has_values == has_range) node.fail("give either values or range");
  if (p.kind == TunableKind::Enable) {
    if (has_range) node.at("range").fail("a cpus key takes values (lists of harts), not a range");
    for (const ConfigNode& v : node.at("values").items()) p.values.push_back(hart_list(v, s.harts));
  } else {
    const ScenarioKey& declared = scenario_key(p.table_path);
    const bool widened = widest_plic && holds_plic_level(p.kind);
    const std::uint64_t max = widened ? *widest_plic : declared.max;
    const std::string range_source =
        widened ? "the widest rtl.plic.priority_bits of the space" : p.table_path;
    const auto check = [&](const ConfigNode& at, std::uint64_t v) {
      if (v < declared.min || v > max)
        at.fail("must be between " + std::to_string(declared.min) + " and " + std::to_string(max) +
                " (" + range_source + "), got " + std::to_string(v));
    };
    if (has_values) {
      for (const ConfigNode& v : node.at("values").items()) {
        p.numbers.push_back(v.as_uint());
        check(v, p.numbers.back());
      }
    } else {
      const ConfigNode range = node.at("range");
      allow_declared_keys(range);
      const std::uint64_t min = declared_uint(range.at("min"));
      const std::uint64_t max = declared_uint(range.at("max"));
      const std::uint64_t step = uint_or_default(range, "step");
      if (min > max)
        range.fail("the range is empty: min " + std::to_string(min) + " is above max " +
                   std::to_string(max));
      check(range.at("min"), min);
      check(range.at("max"), max);
      for (std::uint64_t v = min; v <= max; v += step) {
        p.numbers.push_back(v);
        if (max - v < step) break;
      }
    }
    for (std::uint64_t v : p.numbers) p.values.push_back(std::to_string(v));
  }
  if (p.values.empty()) node.fail("the parameter has no value to try");
  for (std::size_t i = 0; i < p.values.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (p.values[i] == p.values[j]) node.fail("value " + p.values[i] + " is listed twice");
}

// tune.search and tune.seeds; successive halving's plan must fit the budget.
void read_seeded_search(const ConfigNode& node, TuneSpec& spec) {
  spec.seeds = uint_or_default(node, "seeds");
  const std::string method = string_or_default(node, "search");
  if (method != "descent" && method != "halving")
    node.at("search").fail("'" + method + "': expected descent or halving");
  spec.halving = method == "halving";
  if (!spec.halving || space_size(spec) <= spec.exhaustive_limit) return;
  if (spec.seeds < 2)
    node.at("search").fail("successive halving is over seeds: give tune.seeds of 2 or more");
  const std::uint64_t planned = halving_simulations(space_size(spec), spec.seeds);
  if (planned > spec.budget)
    node.at("search").fail("successive halving over " + std::to_string(space_size(spec)) +
                           " candidates and " + std::to_string(spec.seeds) + " seeds spends " +
                           std::to_string(planned) + " simulations, above tune.budget (" +
                           std::to_string(spec.budget) + ")");
}

std::optional<std::uint64_t> widest_plic_priority(const std::vector<RtlParameter>& rtl) {
  for (const RtlParameter& r : rtl)
    if (r.name == "plic.priority_bits")
      return (std::uint64_t{1} << *std::max_element(r.values.begin(), r.values.end())) - 1;
  return std::nullopt;
}

// Each configuration runs the values its PLIC holds (fitted_space); a priority parameter
// none of whose values the narrowest PLIC holds would leave that configuration no candidate.
void check_every_configuration_has_candidates(const TuneSpec& spec) {
  for (const RtlParameter& r : spec.rtl) {
    if (r.name != "plic.priority_bits") continue;
    const std::uint64_t bits = *std::min_element(r.values.begin(), r.values.end());
    const std::uint64_t highest = (std::uint64_t{1} << bits) - 1;
    for (const Parameter& p : spec.space)
      if (holds_plic_level(p.kind) && std::none_of(p.numbers.begin(), p.numbers.end(),
                                                   [&](std::uint64_t v) { return v <= highest; }))
        throw ConfigError(p.where + ": tune.space: " + p.key + " lists no value the PLIC of " +
                          r.key + " " + std::to_string(bits) + " holds (up to " +
                          std::to_string(highest) + ", " + r.where + ")");
  }
}

}  // namespace

bool holds_plic_level(TunableKind kind) {
  return kind == TunableKind::Priority || kind == TunableKind::ThresholdFloor;
}

std::uint64_t plic_max_priority(const RtlConfiguration& c) {
  for (const auto& [name, value] : c)
    if (name == "plic.priority_bits") return (std::uint64_t{1} << value) - 1;
  return (std::uint64_t{1} << built_value("plic.priority_bits")) - 1;
}

std::uint64_t space_size(const TuneSpec& spec) {
  std::uint64_t size = 1;
  for (const Parameter& p : spec.space) {
    if (size > std::numeric_limits<std::uint64_t>::max() / p.values.size())
      return std::numeric_limits<std::uint64_t>::max();
    size *= p.values.size();
  }
  return size;
}

TuneSpec read_tune(const ConfigNode& node, const Scenario& s) {
  allow_declared_keys(node);
  TuneSpec spec;
  if (node.has("personality")) {
    spec.personality = node.at("personality").as_string();
    if (std::find(s.personalities.begin(), s.personalities.end(), spec.personality) ==
        s.personalities.end())
      node.at("personality")
          .fail("'" + spec.personality + "' is not among kernel.personality (" +
                joined(s.personalities) + ")");
  } else if (s.personalities.size() > 1) {
    node.fail("the scenario compares " + std::to_string(s.personalities.size()) +
              " personalities; choose the one to tune for with tune.personality");
  } else {
    spec.personality = s.personalities.empty() ? "none" : s.personalities.front();
  }
  if (node.has("deadlines")) {
    for (const ConfigNode& d : node.at("deadlines").items()) {
      allow_declared_keys(d);
      Deadline deadline{d.at("metric").as_string(), declared_uint(d.at("max")), where(d)};
      check_metric(d.at("metric"), deadline.metric, s);
      for (const Deadline& other : spec.deadlines)
        if (other.metric == deadline.metric)
          d.at("metric").fail("'" + deadline.metric + "' has a deadline already, at " +
                              other.where);
      spec.deadlines.push_back(std::move(deadline));
    }
  }
  spec.no_drops = bool_or_default(node, "no_drops");
  if (spec.deadlines.empty() && !spec.no_drops)
    node.fail("nothing to tune for: give deadlines or no_drops: true");
  const ConfigNode space = node.at("space");
  // The RTL parameters first: the PLIC's width bounds the priorities of the software space.
  for (const ConfigNode& entry : space.items()) {
    allow_declared_keys(entry);
    if (!names_rtl_parameter(entry.at("key").as_string())) continue;
    RtlParameter r = read_rtl_parameter(entry);
    for (const RtlParameter& other : spec.rtl)
      if (other.key == r.key) entry.at("key").fail("'" + r.key + "' is in the space twice");
    spec.rtl.push_back(std::move(r));
  }
  for (const ConfigNode& entry : space.items()) {
    if (names_rtl_parameter(entry.at("key").as_string())) continue;
    Parameter p = resolve_key(entry.at("key"), s);
    for (const Parameter& other : spec.space)
      if (other.key == p.key) entry.at("key").fail("'" + p.key + "' is in the space twice");
    p.where = where(entry);
    read_values(entry, p, s, widest_plic_priority(spec.rtl));
    spec.space.push_back(std::move(p));
  }
  check_source_wiring(spec.rtl);
  check_every_configuration_has_candidates(spec);
  if (std::none_of(spec.space.begin(), spec.space.end(),
                   [](const Parameter& p) { return p.values.size() > 1; }) &&
      std::none_of(spec.rtl.begin(), spec.rtl.end(),
                   [](const RtlParameter& p) { return p.values.size() > 1; }))
    space.fail("the space has no free parameter: give at least one key two or more values");
  spec.budget = uint_or_default(node, "budget");
  spec.exhaustive_limit = uint_or_default(node, "exhaustive_limit");
  read_seeded_search(node, spec);
  return spec;
}

}  // namespace irqlab::cosim::tune
