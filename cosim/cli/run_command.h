#pragma once
// irqlab run [scenario.yaml] [-c key=value]... [--out DIR] [--seed N] [--no-waves] [--no-skip]
//            [--max-seconds S] [--max-rss SIZE]
//
// Without a scenario, runs scenarios/default.yaml of the source tree. A scenario with
// several personalities runs each in a child process (run/compare.h). SIGINT, SIGTERM
// and the watchdogs end a run early with its outputs written (run/run_control.h).
#include <cstdint>
#include <optional>

#include "cli/command.h"
#include "run/runner.h"

namespace irqlab::cosim {

class RunCommand : public Command {
 public:
  CLI::App* add_to(CLI::App& app) override;
  int run(const GlobalOptions& global) override;

 private:
  std::string scenario_file_;
  std::vector<std::string> overrides_;
  std::string out_dir_ = "out";
  std::optional<std::string> seed_;  // as typed: the scenario loader checks it (-c seed=...)
  bool no_waves_ = false;
  bool no_skip_ = false;
  bool evaluate_every_falling_edge_ = false;
  RunLimits limits_;
  std::optional<std::string> run_id_;
  std::optional<Cycle> piece_cycles_;
};

}  // namespace irqlab::cosim
