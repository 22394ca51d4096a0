#include "cli/regress_command.h"

#include <cmath>
#include <filesystem>

#include "cli/shared_options.h"
#include "config/config_node.h"
#include "config/printable_text.h"
#include "run/run_control.h"

#ifndef IRQLAB_SCENARIOS_DIR
#error "IRQLAB_SCENARIOS_DIR must name the source tree's scenarios directory"
#endif

namespace irqlab::cosim {

CLI::App* RegressCommand::add_to(CLI::App& app) {
  CLI::App* regress = app.add_subcommand(
      "regress",
      "run every scenario x personality of PATHS as a regression: table, JUnit, regress.json");
  regress->add_option("paths", paths_,
                      "scenario files or directories (searched for *.yaml, costs/ skipped; "
                      "default: scenarios/)");
  regress->add_option("--out", out_dir_, "output directory")->capture_default_str();
  regress->add_option("--junit", junit_, "JUnit XML report (default: <out>/junit.xml)");
  regress->add_option("--shard", shard_,
                      "run shard i of n: the cases whose index in the sorted matrix is "
                      "i-1 modulo n");
  regress->add_flag("--rerun-failed", request_.rerun_failed,
                    "run only the cases <out>/regress.json lists as failed");
  regress->add_flag("--waves", request_.waves, "write each case's waves (off by default)");
  add_override_option(*regress, request_.overrides,
                      "override one scenario key in every case (repeat for more)");
  regress->add_option("--max-seconds", max_seconds_,
                      "end each case after this much host time (it then fails as interrupted)");
  launcher_flags_.add_to(*regress, "cases");
  return regress;
}

int RegressCommand::run(const GlobalOptions& global) {
  const InterruptSignals signals;
  return exit_status_of([&] {
    request_.irqlab = std::filesystem::read_symlink("/proc/self/exe");
    request_.log_level = global.log_level;
    if (paths_.empty()) paths_.emplace_back(IRQLAB_SCENARIOS_DIR);
    request_.paths.assign(paths_.begin(), paths_.end());
    request_.out_dir = out_dir_;
    if (junit_) request_.junit_file = *junit_;
    request_.launcher = launcher_flags_.launcher();
    request_.launcher_options = launcher_flags_.options(request_.out_dir / "launcher");
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
    return regress::run_regression(request_);
  });
}

}  // namespace irqlab::cosim
