#pragma once
// Every scenario key, declared once: dotted path, type, range, default, unit and a
// one-line description. The table drives the scenario loader (which keys a map may hold,
// each number's range, each absent key's default), `irqlab list` and the key reference
// of docs/scenario-format.md (generated, checked by the scenario_doc_current test).
//
// Paths: a map's children are `parent.child`; the elements of a list are `list[]`
// (`sources[].priority`). The options of each registered personality appear as
// kernel.<name>.<option>, taken from its option schema (kernel/personality/registry.h).
// Limits that mirror the RTL (harts, priorities, sources) come from soc_map.h.
//
// Call after static initialization (the personality registry must be complete).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config_node.h"

namespace irqlab::cosim {

// Scalar: a number, true/false or a quoted string, kept as written (an expectation's value).
enum class KeyType : std::uint8_t { Uint, Bool, Number, String, Map, List, Scalar };

// What an absent key resolves to in results.json's `scenario.resolved`
// (results/resolved_config.h): its default as written (a map: its children's defaults; a
// list: empty), nothing because the default is prose for a rule the loader applies ("all
// harts"), or nothing because the key is a map whose presence turns a part on (nic,
// traffic). The table marks the last two kinds (mark_absent_keys in scenario_keys.cpp).
enum class Absent : std::uint8_t { Default, Described, Off };

struct ScenarioKey {
  std::string path;
  KeyType type = KeyType::Uint;
  std::optional<KeyType> shorthand;  // also accepted in place of the map or list
  std::uint64_t min = 0;             // Uint, Number (and a Uint shorthand): accepted range
  std::uint64_t max = 0;
  bool required = false;
  std::string default_value;  // as written in YAML; empty: none (or described)
  std::string unit;
  std::string description;
  Absent absent = Absent::Default;
};

// The whole table, in document order.
const std::vector<ScenarioKey>& scenario_keys();
// The key declared at `path`; throws std::logic_error for an undeclared path (a bug).
const ScenarioKey& scenario_key(std::string_view path);
// `type` as the docs write it ("uint", "map", ...).
std::string_view key_type_name(KeyType type);

// Loader helpers: a node's declared key is its path with list indices dropped.
const ScenarioKey& declared_key(const ConfigNode& node);
// Fails on any key of map `node` that the table does not declare under it.
void allow_declared_keys(const ConfigNode& node);
// as_uint(), failing outside the declared range.
std::uint64_t declared_uint(const ConfigNode& node);
// as_double() (finite), failing outside the declared range.
double declared_number(const ConfigNode& node);
// The child `key` of map `parent` (declared_uint, as_bool, as_string), or its declared
// default when absent.
std::uint64_t uint_or_default(const ConfigNode& parent, std::string_view key);
bool bool_or_default(const ConfigNode& parent, std::string_view key);
std::string string_or_default(const ConfigNode& parent, std::string_view key);
// The child `key` of map `parent`, or when absent a node holding its declared default: the
// value as written in the table (a shorthand, as `waves: true`), or an empty map for a map
// declared without one (its children then take their own defaults). Readers take every
// default from the table this way; nothing else writes one.
ConfigNode child_or_default(const ConfigNode& parent, std::string_view key);
// An empty map at `node`'s place: where a map key was given in its shorthand form, its
// other children take their defaults from reading this.
ConfigNode empty_map_at(const ConfigNode& node);

}  // namespace irqlab::cosim
