#pragma once
// results.json's `scenario.resolved`: the scenario as the run used it. Every key of the
// declarative key table (scenario/scenario_keys.h), nested as in the YAML and in the
// table's order, holds the value the document gave after the -c overrides, typed by the
// key's declared type, or, when absent, what the table says an absent key resolves to
// (ScenarioKey::absent): its default (a map: its children's defaults; a list: empty), or
// null when the default is prose the loader computes or the key is a map whose absence
// turns a part off. Nothing here names a key: a key added to the table appears by itself.
//
// Call after static initialization (the table reads the personality registry), on a
// document the scenario loader accepted.
#include <nlohmann/json.hpp>
#include <string>

namespace irqlab::cosim {

// `document`: the scenario's YAML after its overrides (Scenario::document).
nlohmann::ordered_json resolved_configuration(const std::string& document);

}  // namespace irqlab::cosim
