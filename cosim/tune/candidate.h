#pragma once
// A candidate configuration: one value of each parameter of the tune space, and how it
// becomes a run: `-c key=value` overrides of the scenario (a source's field goes through
// the whole sources list, since the loader replaces lists whole), and the YAML of the
// chosen keys (the winner's scenario snippet).
//
// Any thread; pure functions of their arguments.
#include <cstddef>
#include <string>
#include <vector>
#include <yaml-cpp/yaml.h>

#include "tune/tune_spec.h"

namespace irqlab::cosim {
struct Scenario;
}

namespace irqlab::cosim::tune {

// Index of the chosen value of each parameter, in the space's order.
using Candidate = std::vector<std::size_t>;

// The overrides that run `c`: kernel.personality first, then each map key, then the
// sources list if a source's field is tuned. `document`: the scenario's YAML after the
// tune command's own overrides (Scenario::document).
std::vector<std::string> candidate_overrides(const TuneSpec& spec, const std::string& document,
                                             const Candidate& c);

// The chosen keys as a YAML map (nested as in a scenario; the sources list whole).
YAML::Node chosen_keys(const TuneSpec& spec, const std::string& document, const Candidate& c);

// The value the scenario itself gives parameter `p` (its key's default when absent), as
// Parameter::values writes values.
std::string scenario_value(const Parameter& p, const Scenario& s);

// "key=value, key=value" for tables and logs.
std::string describe(const TuneSpec& spec, const Candidate& c);

}  // namespace irqlab::cosim::tune
