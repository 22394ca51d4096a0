#pragma once
// Options and error handling that several subcommands share, written once so `run`,
// `regress` and `tune` accept and check them the same way. Called from a Command's
// add_to (before parsing) and run (after it), on the main thread.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "regress/launcher.h"

namespace irqlab::cosim {

// -c KEY=VALUE, one assignment per -c (so `-c seed=2 my.yaml` leaves my.yaml alone),
// repeatable; a value without '=' or with an empty key is a parse error.
void add_override_option(CLI::App& command, std::vector<std::string>& overrides,
                         const std::string& description);

// -j, --launcher, --slurm, --partition, --time, --cpus-per-task and --mem: where the cases
// of a regression or the candidates of a tune run (regress/launcher.h).
class LauncherFlags {
 public:
  void add_to(CLI::App& command, const std::string& what_runs);
  // The launcher's name, after --slurm; ConfigError when it is unknown or contradicts
  // --launcher.
  std::string launcher() const;
  // The options as given, checked (ConfigError on a count below 1); -j defaults to 1 for the
  // local launcher and to 0 (the launcher's own limit) for the others.
  regress::LauncherOptions options(const std::filesystem::path& work_dir) const;

 private:
  // Counts as typed: checked in options(), so a bad one is bad input (status 2).
  std::optional<std::string> jobs_;
  std::string cpus_per_task_ = "1";
  std::string launcher_ = "local";
  bool slurm_ = false;
  std::string partition_, time_limit_, mem_;
};

// Runs a subcommand's body and turns what escapes it into the exit status: ConfigError
// (bad input) is 2, any other exception 1, each logged as an error.
int exit_status_of(const std::function<int()>& body);

}  // namespace irqlab::cosim
