#pragma once
// `irqlab regress`: a whole regression (docs/regress.md). Finds the scenarios, builds the
// case matrix (regress/case_matrix.h), keeps the failed cases of the previous regression
// in the output directory (--rerun-failed) and this shard's cases, runs them through the
// chosen launcher with a live summary, and writes <out>/regress.json, the JUnit report
// and the final table.
//
// Output layout: <out>/cases/<case id>/ holds the case's run outputs (results.json, ...)
// and its run.log; <out>/launcher/ is the launcher's own (scripts, manifests);
// <out>/regress.json and <out>/junit.xml (or --junit) describe the regression.
//
// Each case runs `irqlab --log L run <scenario> -c ... -c kernel.personality=P
// --out <out>/cases/<id> --run-id <id> [--no-waves]`: the run id is the case id, so a
// case's results.json is the same bytes whatever -j, shard or launcher ran it.
//
// Main thread, with InterruptSignals installed.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "regress/case_matrix.h"
#include "regress/launcher.h"

namespace irqlab::cosim::regress {

struct RegressRequest {
  std::filesystem::path irqlab;  // the binary each case runs
  std::string log_level = "info";
  std::vector<std::filesystem::path> paths;
  std::vector<std::string> overrides;  // -c, for every case
  std::filesystem::path out_dir = "regress-out";
  std::optional<std::filesystem::path> junit_file;  // default: <out>/junit.xml
  std::optional<Shard> shard;
  bool rerun_failed = false;
  bool waves = false;                 // off unless asked: waves cost host time and disk
  std::optional<double> max_seconds;  // each case's --max-seconds
  std::string launcher = "local";
  LauncherOptions launcher_options;  // work_dir is set here: <out>/launcher
};

// The command line of one case (argv[0]: request.irqlab).
CaseJob case_job(const RegressRequest& request, const RegressCase& c);

// Returns 0 when every case passed, 1 when one failed, 128 + N when interrupted by signal
// N. Throws ConfigError for bad input, before any case runs.
int run_regression(const RegressRequest& request);

}  // namespace irqlab::cosim::regress
