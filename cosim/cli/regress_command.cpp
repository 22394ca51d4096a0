#include "cli/regress_command.h"

#include <charconv>
#include <cmath>
#include <filesystem>
#include <spdlog/spdlog.h>

#include "config/config_node.h"
#include "config/printable_text.h"
#include "run/run_control.h"

#ifndef IRQLAB_SCENARIOS_DIR
#error "IRQLAB_SCENARIOS_DIR must name the source tree's scenarios directory"
#endif

namespace irqlab::cosim {

namespace {

// A count of at least 1 given to `option`; ConfigError otherwise.
unsigned positive_count(const std::string& text, const std::string& option) {
  unsigned value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || value == 0)
    throw ConfigError(option + " takes a whole number of at least 1, got '" +
                      escape_for_line(text) + "'");
  return value;
}

}  // namespace

CLI::App* RegressCommand::add_to(CLI::App& app) {
  CLI::App* regress = app.add_subcommand(
      "regress",
      "run every scenario x personality of PATHS as a regression: table, JUnit, regress.json");
  regress->add_option("paths", paths_,
                      "scenario files or directories (searched for *.yaml, costs/ skipped; "
                      "default: scenarios/)");
  regress->add_option("-j,--jobs", jobs_,
                      "cases run at once (local: default 1; slurm: the job array's throttle, "
                      "default none)");
  regress->add_option("--out", out_dir_, "output directory")->capture_default_str();
  regress->add_option("--junit", junit_, "JUnit XML report (default: <out>/junit.xml)");
  regress->add_option("--shard", shard_,
                      "run shard i of n: the cases whose index in the sorted matrix is "
                      "i-1 modulo n");
  regress->add_flag("--rerun-failed", request_.rerun_failed,
                    "run only the cases <out>/regress.json lists as failed");
  regress->add_flag("--waves", request_.waves, "write each case's waves (off by default)");
  regress
      ->add_option("-c,--config", request_.overrides,
                   "override one scenario key in every case (repeat for more)")
      ->expected(1)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  regress->add_option("--max-seconds", max_seconds_,
                      "end each case after this much host time (it then fails as interrupted)");
  regress->add_option("--launcher", request_.launcher, "where cases run: local, slurm")
      ->capture_default_str();
  regress->add_flag("--slurm", slurm_, "same as --launcher slurm");
  regress->add_option("--partition", request_.launcher_options.partition,
                      "slurm: the partition to submit to");
  regress->add_option("--time", request_.launcher_options.time_limit,
                      "slurm: each task's time limit (sbatch --time)");
  regress->add_option("--cpus-per-task", cpus_per_task_, "slurm: CPUs per task")
      ->capture_default_str();
  regress->add_option("--mem", request_.launcher_options.mem_per_task,
                      "slurm: memory per task (sbatch --mem)");
  return regress;
}

int RegressCommand::run(const GlobalOptions& global) {
  const InterruptSignals signals;
  try {
    request_.irqlab = std::filesystem::read_symlink("/proc/self/exe");
    request_.log_level = global.log_level;
    if (paths_.empty()) paths_.emplace_back(IRQLAB_SCENARIOS_DIR);
    request_.paths.assign(paths_.begin(), paths_.end());
    request_.out_dir = out_dir_;
    if (junit_) request_.junit_file = *junit_;
    if (slurm_) {
      if (request_.launcher != "local" && request_.launcher != "slurm")
        throw ConfigError("--slurm contradicts --launcher " + request_.launcher);
      request_.launcher = "slurm";
    }
    // 0: the launcher's own limit (LauncherOptions); the local launcher needs a count.
    request_.launcher_options.jobs = jobs_                          ? positive_count(*jobs_, "-j")
                                     : request_.launcher == "local" ? 1
                                                                    : 0;
    request_.launcher_options.cpus_per_task = positive_count(cpus_per_task_, "--cpus-per-task");
    if (max_seconds_) {
      std::size_t used = 0;
      double seconds = 0;
      try {
        seconds = std::stod(*max_seconds_, &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (used == 0 || used != max_seconds_->size() || !(seconds > 0) || !std::isfinite(seconds))
        throw ConfigError("--max-seconds takes a number of seconds above 0, got '" +
                          escape_for_line(*max_seconds_) + "'");
      request_.max_seconds = seconds;
    }
    if (shard_) request_.shard = regress::parse_shard(*shard_);
    for (const std::string& o : request_.overrides)
      if (o.find('=') == std::string::npos || o.front() == '=')
        throw ConfigError("-c takes one key=value, got '" + o + "'");
    return regress::run_regression(request_);
  } catch (const ConfigError& e) {
    spdlog::error("{}", e.what());
    return 2;
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
    return 1;
  }
}

}  // namespace irqlab::cosim
