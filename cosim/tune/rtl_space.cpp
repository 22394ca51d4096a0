#include "tune/rtl_space.h"

#include <algorithm>
#include <iterator>
#include <yaml-cpp/yaml.h>

#include "rtl/rtl_configuration.h"
#include "scenario/scenario_keys.h"

namespace irqlab::cosim::tune {

namespace {

const char* const kDescription = IRQLAB_SOURCE_DIR "/rtl/soc/soc.yaml";

std::string names_text() {
  std::string out;
  for (const RtlLimits& l : tunable_rtl_parameters())
    out += (out.empty() ? "" : ", ") + std::string(kRtlKeyPrefix) + l.name;
  return out;
}

bool is_power_of_two(std::uint64_t v) { return v != 0 && (v & (v - 1)) == 0; }

std::string_view device_of(std::string_view name) { return name.substr(0, name.find('.')); }

// The device that keeps `id` when no device in `moved` (names of devices whose source ID
// the space varies) is counted: "timer", "ipi", "external line", a device name; empty
// when no line drives it.
std::string keeper_of(std::uint64_t id, const std::vector<std::string_view>& moved) {
  for (const soc::Device& d : built_rtl().devices)
    if (d.lines != 0 && id >= d.first_source && id < d.first_source + d.lines &&
        std::find(moved.begin(), moved.end(), std::string_view(d.name)) == moved.end())
      return d.name;
  if (id >= soc::kFirstExternalSource && id <= soc::kLastExternalSource) return "an external line";
  return "";
}

// The IDs a configuration wires are distinct.
bool wires_distinct_sources(const RtlConfiguration& c) {
  for (auto a = c.begin(); a != c.end(); ++a)
    for (auto b = std::next(a); b != c.end(); ++b)
      if (is_source_id(a->first) && is_source_id(b->first) && a->second == b->second) return false;
  return true;
}

}  // namespace

const std::vector<RtlLimits>& tunable_rtl_parameters() {
  static const std::vector<RtlLimits> limits = [] {
    std::vector<RtlLimits> out;
    try {
      const YAML::Node tunable = YAML::LoadFile(kDescription)["tunable"];
      for (const auto& entry : tunable) {
        const YAML::Node& v = entry.second;
        out.push_back({entry.first.as<std::string>(), v["min"].as<std::uint64_t>(),
                       v["max"].as<std::uint64_t>(), v["power_of_two"].as<bool>(false),
                       v["desc"].as<std::string>("")});
      }
    } catch (const YAML::Exception& e) {
      throw ConfigError(std::string(kDescription) + ": tunable: " + e.what());
    }
    return out;
  }();
  return limits;
}

bool names_rtl_parameter(std::string_view key) { return key.starts_with(kRtlKeyPrefix); }

RtlParameter read_rtl_parameter(const ConfigNode& entry) {
  const ConfigNode key = entry.at("key");
  const std::string where = entry.from_command_line()
                                ? "-c " + entry.override_text()
                                : entry.file() + ":" + std::to_string(entry.yaml().Mark().line + 1);
  RtlParameter p{key.as_string(), key.as_string().substr(kRtlKeyPrefix.size()), {}, where};
  const std::vector<RtlLimits>& all = tunable_rtl_parameters();
  const auto limits =
      std::find_if(all.begin(), all.end(), [&](const RtlLimits& l) { return l.name == p.name; });
  if (limits == all.end())
    key.fail("'" + p.key + "' is not a tunable RTL parameter of " + kDescription +
             " (tunable: " + names_text() + ")");
  const auto check = [&](const ConfigNode& at, std::uint64_t v) {
    if (v < limits->min || v > limits->max)
      at.fail(p.key + " " + std::to_string(v) + " is outside the RTL's range " +
              std::to_string(limits->min) + ".." + std::to_string(limits->max) + " (" +
              kDescription + ", tunable: " + p.name + ")");
    if (limits->power_of_two && !is_power_of_two(v))
      at.fail(p.key + " " + std::to_string(v) + " is not a power of two (" + limits->desc + ")");
  };
  if (entry.has("values") == entry.has("range")) entry.fail("give either values or range");
  if (entry.has("values")) {
    for (const ConfigNode& v : entry.at("values").items()) {
      p.values.push_back(v.as_uint());
      check(v, p.values.back());
      if (std::count(p.values.begin(), p.values.end(), p.values.back()) > 1)
        v.fail("value " + std::to_string(p.values.back()) + " is listed twice");
    }
  } else {
    const ConfigNode range = entry.at("range");
    allow_declared_keys(range);
    const std::uint64_t min = range.at("min").as_uint();
    const std::uint64_t max = range.at("max").as_uint();
    if (range.has("step") && limits->power_of_two)
      range.at("step").fail(p.key + "'s range doubles (powers of two); it takes no step");
    const std::uint64_t step = range.uint_or("step", 1);
    if (step == 0) range.at("step").fail("step must be at least 1");
    if (min > max)
      range.fail("the range is empty: min " + std::to_string(min) + " is above max " +
                 std::to_string(max));
    check(range.at("min"), min);
    check(range.at("max"), max);
    for (std::uint64_t v = min; v <= max;) {
      p.values.push_back(v);
      const std::uint64_t next = limits->power_of_two ? v * 2 : v + step;
      if (next > max || next < v) break;
      v = next;
    }
  }
  if (p.values.empty()) entry.fail("the parameter has no value to try");
  return p;
}

bool is_source_id(std::string_view name) { return name.ends_with(".source_id"); }

void check_source_wiring(const std::vector<RtlParameter>& parameters) {
  std::vector<std::string_view> moved;
  for (const RtlParameter& p : parameters)
    if (is_source_id(p.name)) moved.push_back(device_of(p.name));
  for (const RtlParameter& p : parameters)
    if (is_source_id(p.name))
      for (std::uint64_t v : p.values)
        if (const std::string keeper = keeper_of(v, moved); !keeper.empty())
          throw ConfigError(p.where + ": key '" + p.key + "': source ID " + std::to_string(v) +
                            " is driven by " + keeper + ", whose source the space does not vary (" +
                            kDescription + ")");
  if (moved.size() > 1 && rtl_configurations(parameters).empty()) {
    const RtlParameter& last =
        *std::find_if(parameters.rbegin(), parameters.rend(),
                      [](const RtlParameter& p) { return is_source_id(p.name); });
    throw ConfigError(last.where + ": key '" + last.key +
                      "': every wiring of the space gives two devices the same source ID");
  }
}

std::vector<RtlConfiguration> rtl_configurations(const std::vector<RtlParameter>& parameters) {
  std::vector<RtlConfiguration> out{{}};
  for (const RtlParameter& p : parameters) {
    std::vector<RtlConfiguration> next;
    for (const RtlConfiguration& c : out)
      for (std::uint64_t v : p.values) {
        RtlConfiguration longer = c;
        longer.emplace_back(p.name, v);
        if (wires_distinct_sources(longer)) next.push_back(std::move(longer));
      }
    out = std::move(next);
  }
  return out;
}

unsigned wired_source(const RtlConfiguration& c, std::string_view device) {
  for (const auto& [name, value] : c)
    if (is_source_id(name) && device_of(name) == device) return static_cast<unsigned>(value);
  for (const soc::Device& d : built_rtl().devices)
    if (device == d.name) return d.first_source;
  throw ConfigError("no device '" + std::string(device) + "' in the model");
}

std::uint64_t built_value(const std::string& name) {
  const BuiltRtl& built = built_rtl();
  if (name == "plic.priority_bits") return built.plic_priority_bits;
  if (is_source_id(name)) return wired_source({}, device_of(name));
  const auto dot = name.find('.');
  for (const soc::DeviceParameter& d : built.device_parameters)
    if (name.compare(0, dot, d.device) == 0 && std::string_view(d.device).size() == dot &&
        name.substr(dot + 1) == d.name)
      return d.value;
  throw ConfigError("RTL parameter '" + name + "' is not among the model's parameters");
}

bool is_built_configuration(const RtlConfiguration& c) {
  return std::all_of(c.begin(), c.end(),
                     [](const auto& param) { return built_value(param.first) == param.second; });
}

std::string configuration_json(const RtlConfiguration& c) {
  std::string out = "{";
  for (const auto& [name, value] : c)
    out += (out.size() > 1 ? ", \"" : "\"") + name + "\": " + std::to_string(value);
  return out + "}";
}

std::string describe_configuration(const RtlConfiguration& c) {
  if (c.empty()) return "built-in";
  std::string out;
  for (const auto& [name, value] : c)
    out +=
        (out.empty() ? "" : ", ") + std::string(kRtlKeyPrefix) + name + "=" + std::to_string(value);
  return out;
}

}  // namespace irqlab::cosim::tune
