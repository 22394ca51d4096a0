#pragma once
// A candidate configuration: one value of each parameter of the tune space, and how it
// becomes a run: `-c key=value` overrides of the scenario (a source's field goes through
// the whole sources list, since the loader replaces lists whole), and the YAML of the
// chosen keys (the winner's scenario snippet).
//
// Any thread; pure functions of their arguments.
#include <cstddef>
#include <cstdint>
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

// The part of the space an RTL configuration runs (docs/tune.md, "A wider PLIC"): each
// priority or threshold parameter keeps the values its PLIC holds (at most
// `max_priority`, plic_max_priority of the configuration; read_tune leaves each at least
// one), every other parameter all of its values. `full_index[i][j]` is the index in the
// whole space's `spec.space[i].values` of the fitted space's value j.
struct FittedSpace {
  TuneSpec spec;
  std::vector<std::vector<std::size_t>> full_index;
};
FittedSpace fitted_space(const TuneSpec& spec, std::uint64_t max_priority);
// `c`, a candidate of `fitted.spec`, as a candidate of the whole space.
Candidate full_candidate(const FittedSpace& fitted, const Candidate& c);

// `spec` with every priority or threshold above `max_priority` written as `max_priority`:
// what the running irqlab, whose key table stops at its own PLIC's largest priority, can
// load of a candidate that runs on a wider PLIC (the priorities themselves were checked
// against that configuration by fitted_space).
TuneSpec capped_to(const TuneSpec& spec, std::uint64_t max_priority);
// Sets in `s` the priorities and thresholds `c` chooses, as loading candidate_overrides
// would: for a scenario loaded with capped_to's values.
void set_plic_levels(const TuneSpec& spec, const Candidate& c, Scenario& s);

}  // namespace irqlab::cosim::tune
