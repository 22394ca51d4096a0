#pragma once
// Side-by-side runs of one scenario under several kernel personalities.
//
// SystemC runs one simulation per process, so each personality runs in a child irqlab
// process (`run <scenario> -c kernel.personality=<name> --out <out>/<name>`), one after
// the other. Each child leaves its own results.json, samples.jsonl, waves.fst and
// waves.gtkw in its directory; the parent writes <out>/results.json (schema
// irqlab.comparison/1) holding every run's results.json, and prints a summary table with
// one column per personality.
#include <filesystem>
#include <string>
#include <vector>

namespace irqlab::cosim {

struct ComparisonRequest {
  std::filesystem::path irqlab;          // this binary
  std::string log_level;
  std::filesystem::path scenario_file;
  std::vector<std::string> overrides;    // -c key=value, applied to every run
  std::vector<std::string> personalities;
  std::filesystem::path out_dir;
};

// Returns 0 when every run completed, 1 when any failed.
int run_comparison(const ComparisonRequest& request);

}  // namespace irqlab::cosim
