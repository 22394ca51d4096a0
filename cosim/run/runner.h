#pragma once
// Builds the platform a scenario describes, runs it, and leaves its outputs:
// results.json, samples.jsonl, and with waves on, waves.fst and waves.gtkw. A run that
// fails (kernel error, bus error) still writes complete results with status "failed",
// a complete samples file, and closes the waves. SystemC allows one simulation per
// process: call run_scenario() once.
#include <filesystem>

#include "scenario/scenario.h"

namespace irqlab::cosim {

struct RunOptions {
  std::filesystem::path out_dir = "out";
  bool print_table = true;
};

// Returns the process exit status: 0 when the run completed, 1 when it failed.
int run_scenario(const Scenario& scenario, const RunOptions& options);

}  // namespace irqlab::cosim
