#include "regress/regression.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <spdlog/spdlog.h>

#include "config/config_node.h"
#include "log/progress_line.h"
#include "output/atomic_file.h"
#include "regress/engine.h"
#include "regress/junit.h"
#include "regress/progress_display.h"
#include "regress/scenario_discovery.h"
#include "regress/summary.h"
#include "run/output_dir.h"
#include "run/run_control.h"

namespace irqlab::cosim::regress {

namespace {

namespace fs = std::filesystem;

std::vector<RegressCase> only_failed(const std::vector<RegressCase>& cases,
                                     const fs::path& summary_file) {
  std::set<std::string> failed = failed_case_ids(summary_file);
  std::vector<RegressCase> selected;
  for (const RegressCase& c : cases)
    if (failed.erase(c.id) != 0) selected.push_back(c);
  for (const std::string& gone : failed)
    spdlog::warn("--rerun-failed: case {} failed last time but is not in this matrix", gone);
  return selected;
}

std::string shard_text(const std::optional<Shard>& shard) {
  if (!shard) return {};
  return std::to_string(shard->index) + "/" + std::to_string(shard->count);
}

// The -c list every case gets: the regression's, and waves off unless --waves (so the
// matrix is checked as the cases will run, e.g. against the waves size limit).
std::vector<std::string> case_overrides(const RegressRequest& request) {
  std::vector<std::string> overrides = request.overrides;
  if (!request.waves) overrides.emplace_back("waves=false");
  return overrides;
}

}  // namespace

CaseJob case_job(const RegressRequest& request, const RegressCase& c) {
  const fs::path dir = request.out_dir / "cases" / c.id;
  std::vector<std::string> argv{request.irqlab.string(), "--log", request.log_level, "run",
                                c.scenario.string()};
  for (const std::string& o : case_overrides(request)) argv.insert(argv.end(), {"-c", o});
  for (const std::string& o : c.overrides) argv.insert(argv.end(), {"-c", o});
  argv.insert(argv.end(), {"--out", dir.string(), "--run-id", c.id});
  if (request.max_seconds) {
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%.17g", *request.max_seconds);
    argv.insert(argv.end(), {"--max-seconds", seconds});
  }
  return {c.id, std::move(argv), dir, dir / "run.log"};
}

int run_regression(const RegressRequest& request) {
  const auto start = std::chrono::steady_clock::now();
  std::vector<RegressCase> cases =
      case_matrix(discover_scenarios(request.paths), case_overrides(request));
  const std::size_t matrix_size = cases.size();
  if (request.rerun_failed) {
    cases = only_failed(cases, request.out_dir / "regress.json");
    if (cases.empty()) {
      spdlog::info("--rerun-failed: no failed case to rerun in {}", request.out_dir.string());
      return 0;
    }
  }
  if (request.shard) cases = shard_cases(cases, *request.shard);

  LauncherOptions launcher_options = request.launcher_options;
  launcher_options.work_dir = request.out_dir / "launcher";
  std::unique_ptr<Launcher> launcher;
  try {
    launcher = make_launcher(request.launcher, launcher_options);
  } catch (const std::invalid_argument& e) {
    throw ConfigError(std::string("--launcher: ") + e.what());
  }

  std::vector<CaseJob> jobs;
  for (const RegressCase& c : cases) {
    jobs.push_back(case_job(request, c));
    // Nothing of an earlier regression's case survives as this one's (run/output_dir.h).
    clear_run_outputs(jobs.back().out_dir);
  }
  spdlog::info("regress: {} of {} cases{}, launcher {}{}", jobs.size(), matrix_size,
               request.shard ? " (shard " + shard_text(request.shard) + ")" : "", launcher->name(),
               launcher->name() == "local" ? ", -j " + std::to_string(launcher_options.jobs) : "");

  std::vector<CaseResult> results;
  {
    const std::optional<std::size_t> parallel =
        launcher->name() == "local" ? std::optional<std::size_t>(launcher_options.jobs)
                                    : std::nullopt;
    ProgressDisplay display(jobs.size(), parallel, ProgressLine::stderr_is_terminal());
    display.started();
    results = run_cases(jobs, *launcher, [&](const CaseResult& ended, const Progress& so_far) {
      display.ended(ended, so_far);
    });
  }
  const double wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  RegressionFacts facts;
  for (const fs::path& p : request.paths) facts.paths.push_back(p.string());
  facts.shard = shard_text(request.shard);
  facts.rerun_failed = request.rerun_failed;
  facts.launcher = launcher->name();
  facts.jobs = launcher_options.jobs;
  facts.wall_seconds = wall_seconds;
  facts.interrupted_by = InterruptSignals::received();
  write_file_atomically(request.out_dir / "regress.json",
                        regression_summary(facts, cases, results).dump(2) + '\n');
  const fs::path junit_file = request.junit_file.value_or(request.out_dir / "junit.xml");
  if (junit_file.has_parent_path()) fs::create_directories(junit_file.parent_path());
  write_file_atomically(junit_file, junit_report(results, wall_seconds));
  std::fputs(final_table(results).c_str(), stdout);
  std::fflush(stdout);
  spdlog::info("regress: outputs in {}, JUnit in {} ({:.1f} s)", request.out_dir.string(),
               junit_file.string(), wall_seconds);

  if (facts.interrupted_by != 0) return exit_status_for_signal(facts.interrupted_by);
  const bool all_passed =
      std::all_of(results.begin(), results.end(), [](const CaseResult& r) { return r.passed; });
  return all_passed ? 0 : 1;
}

}  // namespace irqlab::cosim::regress
