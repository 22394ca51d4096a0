#pragma once
// irqlab regress [PATHS...] [-j N] [--out DIR] [--junit FILE] [--shard i/n] [--rerun-failed]
//                [--waves] [-c key=value ...] [--max-seconds S] [--launcher NAME]
//                [--slurm] [--partition P] [--time T] [--cpus-per-task N] [--mem M]
//
// Runs every scenario × personality of PATHS (default: scenarios/ of the source tree) as
// cases through a launcher (regress/regression.h, docs/regress.md). Exit status: 0 every
// case passed, 1 one failed, 2 bad input, 128 + N interrupted by signal N.
#include <optional>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/shared_options.h"
#include "regress/regression.h"

namespace irqlab::cosim {

class RegressCommand : public Command {
 public:
  CLI::App* add_to(CLI::App& app) override;
  int run(const GlobalOptions& global) override;

 private:
  std::vector<std::string> paths_;
  std::string out_dir_ = "regress-out";
  std::optional<std::string> junit_;
  std::optional<std::string> shard_;
  std::optional<std::string> max_seconds_;
  LauncherFlags launcher_flags_;
  regress::RegressRequest request_;
};

}  // namespace irqlab::cosim
