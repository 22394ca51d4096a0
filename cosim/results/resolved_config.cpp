#include "results/resolved_config.h"

#include <stdexcept>
#include <yaml-cpp/yaml.h>

#include "config/config_node.h"
#include "expect/evaluate.h"
#include "expect/expect_parse.h"
#include "scenario/scenario_keys.h"

namespace irqlab::cosim {

namespace {

using nlohmann::ordered_json;

bool present(const YAML::Node& node) { return node.IsDefined() && !node.IsNull(); }

// A scalar as the key's type reads it (the loader's own conversions).
ordered_json scalar(KeyType type, const YAML::Node& node, const std::string& path) {
  const ConfigNode value(node, "", path);
  switch (type) {
    case KeyType::Uint:
      return value.as_uint();
    case KeyType::Bool:
      return value.as_bool();
    case KeyType::Number:
      return value.as_double();
    case KeyType::String:
      return value.as_string();
    case KeyType::Scalar:
      return expect::value_json(expect::read_expected_value(value));
    case KeyType::Map:
    case KeyType::List:
      break;
  }
  throw std::logic_error("scenario key '" + path + "' is not a scalar");
}

ordered_json resolve_map(const YAML::Node& node, const std::string& path);

ordered_json resolve_absent(const ScenarioKey& key) {
  if (key.absent != Absent::Default) return nullptr;
  if (key.default_value.empty()) {
    if (key.type == KeyType::Map) return resolve_map(YAML::Node(), key.path);
    if (key.type == KeyType::List) return ordered_json::array();
    return nullptr;  // no default: the key is optional (waves.end) or required
  }
  const KeyType type = key.shorthand && (key.type == KeyType::Map || key.type == KeyType::List)
                           ? *key.shorthand
                           : key.type;
  try {
    return scalar(type, YAML::Load(key.default_value), key.path);
  } catch (const ConfigError&) {
    throw std::logic_error("scenario key '" + key.path + "': default '" + key.default_value +
                           "' is not a value of its type; declare it Absent::Described");
  }
}

ordered_json resolve(const ScenarioKey& key, const YAML::Node& node) {
  if (!present(node)) return resolve_absent(key);
  if (node.IsScalar() && key.shorthand) return scalar(*key.shorthand, node, key.path);
  if (key.type == KeyType::Map) return resolve_map(node, key.path);
  if (key.type == KeyType::List) {
    const ScenarioKey& element = scenario_key(key.path + "[]");
    ordered_json items = ordered_json::array();
    for (const YAML::Node& item : node) items.push_back(resolve(element, item));
    return items;
  }
  return scalar(key.type, node, key.path);
}

// The keys declared directly under `path` ("" for the document's root), in table order.
ordered_json resolve_map(const YAML::Node& node, const std::string& path) {
  const std::string prefix = path.empty() ? "" : path + ".";
  ordered_json out = ordered_json::object();
  for (const ScenarioKey& key : scenario_keys()) {
    if (key.path.size() <= prefix.size() || key.path.compare(0, prefix.size(), prefix) != 0 ||
        key.path.find_first_of(".[", prefix.size()) != std::string::npos)
      continue;
    const std::string name = key.path.substr(prefix.size());
    out[name] = resolve(key, present(node) ? node[name] : YAML::Node());
  }
  return out;
}

}  // namespace

ordered_json resolved_configuration(const std::string& document) {
  return resolve_map(YAML::Load(document), "");
}

}  // namespace irqlab::cosim
