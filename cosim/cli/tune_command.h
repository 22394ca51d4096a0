#pragma once
// irqlab tune SCENARIO: searches the scenario's tune: space for a configuration that
// meets its deadlines (docs/tune.md), running candidates through the regression engine's
// launchers (local -j, Slurm); writes tune.json, the winner's scenario snippet and C
// register header into --out, prints the ranked table. Exit 0: the winner is feasible and
// its re-run verified it; 1: infeasible (the binding deadline is named) or not verified;
// 2: bad input; 128+N: interrupted by signal N.
#include <optional>

#include "cli/command.h"
#include "cli/shared_options.h"

namespace irqlab::cosim {

class TuneCommand : public Command {
 public:
  CLI::App* add_to(CLI::App& app) override;
  int run(const GlobalOptions& global) override;

 private:
  std::string scenario_file_;
  std::vector<std::string> overrides_;
  std::string out_dir_ = "tune-out";
  LauncherFlags launcher_flags_;
  std::size_t rows_ = 20;
  std::string rtl_cache_;  // empty: tune::default_rtl_cache_dir()
};

}  // namespace irqlab::cosim
