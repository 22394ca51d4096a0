#pragma once
// Side-by-side runs of one scenario under several kernel personalities.
//
// SystemC runs one simulation per process, so each personality runs in a child irqlab
// process (`run <scenario> -c kernel.personality=<name> --out <out>/<name> --run-id <id>`),
// one after the other (run/child_process.h: children die with the parent, and get its
// SIGINT/SIGTERM). Each child leaves its own results.json, samples.jsonl, waves.fst and
// waves.gtkw in its directory; the parent writes <out>/results.json (schema
// irqlab.comparison/2) holding every run's results.json and what became of each child
// (run/child_outcome.h), and prints a summary table with one column per personality.
//
// The parent owns <out>'s own outputs and the directories named after personalities
// there: it clears them first, so nothing of an earlier comparison survives as current.
// A child's results are read only if they carry the run id the parent gave it.
#include <filesystem>
#include <string>
#include <vector>

#include "run/run_control.h"

namespace irqlab::cosim {

struct ComparisonRequest {
  std::filesystem::path irqlab;          // this binary
  std::string log_level;
  std::filesystem::path scenario_file;
  std::vector<std::string> overrides;    // -c key=value, applied to every run
  std::vector<std::string> personalities;
  std::filesystem::path out_dir;
  RunLimits limits;  // for each run
  bool evaluate_every_falling_edge = false;  // passed on to each run (RunOptions)
};

// Returns 0 when every run completed; when the parent was interrupted by a signal, 128 +
// the signal; when every run that did not complete was interrupted, the first such run's
// exit status; else 1. Main thread, with InterruptSignals installed.
int run_comparison(const ComparisonRequest& request);

}  // namespace irqlab::cosim
