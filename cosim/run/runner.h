#pragma once
// Builds the platform a scenario describes, runs it, and leaves its outputs:
// results.json, samples.jsonl, and with waves on, waves.fst and waves.gtkw. It first
// clears what an earlier run left in the output directory (run/output_dir.h). A run that
// fails (kernel error, bus error) still writes complete results with status "failed",
// a complete samples file, and closes the waves; a run stopped by a signal or a watchdog
// (run/run_control.h) ends at a cycle boundary and does the same with status
// "interrupted". SystemC allows one simulation per process: call run_scenario() once.
#include <filesystem>
#include <optional>
#include <string>

#include "run/run_control.h"
#include "run/simulation_loop.h"
#include "scenario/scenario.h"

namespace irqlab::cosim {

struct RunOptions {
  std::filesystem::path out_dir = "out";
  bool print_table = true;
  std::optional<std::string> run_id;  // RunInfo::run_id
  RunLimits limits;
  Pieces pieces;
  bool evaluate_every_falling_edge = false;  // RtlDomain's reference clock (rtl/rtl_domain.h)
};

// Returns the process exit status: 0 when the run completed, 1 when it failed, and when
// it was interrupted, 128 + the signal or kExitWatchdog (run/run_control.h). Main thread,
// with InterruptSignals installed.
int run_scenario(const Scenario& scenario, const RunOptions& options);

}  // namespace irqlab::cosim
