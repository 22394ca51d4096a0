#pragma once
// The parts of results.json that describe the run rather than measure it
// (docs/results-schema.md): which irqlab built it (`irqlab`), and the `scenario` block:
// the scenario's name, seed, platform and cost profile as before, the file and -c
// overrides as given, the personality with every option's value, the fully resolved
// configuration (results/resolved_config.h) and the RTL's devices and parameters as the
// SoC description gives them (soc_map.h). All of it is fixed by the build and the
// scenario: two runs of one build on one scenario and seed write it byte for byte alike.
//
// Call after static initialization (reads the personality registry and key table).
#include <nlohmann/json.hpp>

#include "scenario/scenario.h"

namespace irqlab::cosim {

// {"version": ..., "commit": ...} of this build (output/build_info.h).
nlohmann::ordered_json build_json();
// The `scenario` block of a run of `scenario`.
nlohmann::ordered_json scenario_json(const Scenario& scenario);
// The SoC's devices (name, base, size, interrupt sources, parameters) and its top-level
// parameters, register window and RAM.
nlohmann::ordered_json rtl_json();

}  // namespace irqlab::cosim
