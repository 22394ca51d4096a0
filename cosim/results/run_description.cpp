#include "results/run_description.h"

#include <string>

#include "output/build_info.h"
#include "personality/registry.h"
#include "results/resolved_config.h"
#include "rtl/rtl_configuration.h"
#include "soc_map.h"

namespace irqlab::cosim {

namespace {

using nlohmann::ordered_json;

// Every cost field, the core's then the personalities' in their declaration order (the
// profile's map is by name).
ordered_json cost_profile_json(const kernel::CostProfile& profile) {
  ordered_json costs = ordered_json::object();
  for (const kernel::CostField& f : kernel::cost_fields())
    costs[std::string(f.name)] = profile.*f.member;
  for (const kernel::PersonalityDescriptor* p : kernel::registered_personalities())
    for (const kernel::NamedCost& c : p->costs)
      if (const auto it = profile.personality.find(c.name); it != profile.personality.end())
        costs[c.name] = it->second;
  return costs;
}

// The running personality and every one of its options, set or default, in its schema's
// order; a bool option as true or false.
ordered_json personality_json(const kernel::PersonalityConfig& config) {
  ordered_json options = ordered_json::object();
  if (const kernel::PersonalityDescriptor* p = kernel::find_personality(config.name)) {
    const kernel::OptionValues& set = config.options_of(config.name);
    for (const kernel::OptionSpec& o : p->options) {
      const auto given = set.find(o.name);
      const std::uint64_t value = given != set.end() ? given->second : o.default_value;
      options[o.name] =
          o.type == kernel::OptionType::Bool ? ordered_json(value != 0) : ordered_json(value);
    }
  }
  return {{"name", config.name}, {"options", options}};
}

}  // namespace

ordered_json build_json() {
  return {{"version", std::string(irqlab_version())}, {"commit", std::string(irqlab_commit())}};
}

ordered_json rtl_json() {
  ordered_json parameters = ordered_json::object();
  for (const soc::Parameter& p : built_rtl().soc_parameters) parameters[p.name] = p.value;
  ordered_json devices = ordered_json::array();
  for (const soc::Device& d : built_rtl().devices) {
    ordered_json sources = ordered_json::array();
    for (unsigned line = 0; line < d.lines; ++line) sources.push_back(d.first_source + line);
    ordered_json device_parameters = ordered_json::object();
    for (const soc::DeviceParameter& p : built_rtl().device_parameters)
      if (std::string_view(p.device) == d.name) device_parameters[p.name] = p.value;
    devices.push_back({{"name", d.name},
                       {"base", d.base},
                       {"size", d.size},
                       {"sources", sources},
                       {"source_per_hart", d.line_per_hart},
                       {"parameters", device_parameters}});
  }
  ordered_json edge = ordered_json::array();
  for (unsigned s = 0; s < soc::kPlicSources; ++s)
    if ((soc::kEdgeTriggeredSources >> s) & 1U) edge.push_back(s);
  return {
      {"parameters", parameters},
      {"register_window", {{"base", soc::kRegisterWindowBase}, {"size", soc::kRegisterWindowSize}}},
      {"ram", {{"base", soc::kRamBase}, {"size", soc::kRamSize}}},
      {"external_sources",
       {{"first", soc::kFirstExternalSource}, {"last", soc::kLastExternalSource}}},
      {"edge_triggered_sources", edge},
      {"devices", devices}};
}

ordered_json scenario_json(const Scenario& sc) {
  return {
      {"name", sc.name},
      {"file", sc.file.string()},
      {"seed", sc.seed},
      {"duration_cycles", sc.duration_cycles},
      {"harts", sc.harts},
      {"clock_period_ps", sc.clock_period_ps},
      {"bus",
       {{"request_cycles", sc.bus.request_cycles}, {"response_cycles", sc.bus.response_cycles}}},
      {"cost_profile", cost_profile_json(sc.costs)},
      {"personality", personality_json(sc.personality)},
      {"overrides", sc.overrides},
      {"resolved", resolved_configuration(sc.document)},
      {"rtl", rtl_json()}};
}

}  // namespace irqlab::cosim
