#include "cli/run_command.h"

#include <filesystem>

#include "cli/shared_options.h"
#include "config/config_node.h"
#include "run/compare.h"
#include "run/run_control.h"
#include "scenario/scenario.h"

#ifndef IRQLAB_DEFAULT_SCENARIO
#error "IRQLAB_DEFAULT_SCENARIO must name the default scenario file"
#endif

namespace irqlab::cosim {

CLI::App* RunCommand::add_to(CLI::App& app) {
  CLI::App* run =
      app.add_subcommand("run", "run a scenario and write results.json, waves.fst and waves.gtkw");
  scenario_file_ = IRQLAB_DEFAULT_SCENARIO;
  run->add_option("scenario", scenario_file_,
                  "scenario YAML file (default: scenarios/default.yaml)");
  add_override_option(*run, overrides_,
                      "override one scenario key, e.g. -c platform.harts=4 (repeat for more)");
  run->add_option("--out", out_dir_, "output directory")->capture_default_str();
  run->add_option("--seed", seed_, "override the scenario's seed");
  run->add_flag("--no-waves", no_waves_, "do not write waves.fst and waves.gtkw");
  run->add_flag("--no-skip", no_skip_,
                "evaluate the RTL on every cycle (platform.skip_quiescent=false)");
  run->add_option("--max-seconds", limits_.max_seconds,
                  "end each run after this much host time, with its outputs (status "
                  "\"interrupted\")")
      ->check(CLI::PositiveNumber);
  run->add_option("--max-rss", limits_.max_rss,
                  "end each run when the process's resident memory passes SIZE (e.g. 2G, 512M), "
                  "with its outputs (status \"interrupted\")")
      ->transform(CLI::AsSizeValue(false));
  // Hidden: a comparison's parent names each child's run; tests choose the pieces.
  run->add_option("--run-id", run_id_, "")->group("");
  run->add_option("--piece-cycles", piece_cycles_, "")->group("");
  // Hidden: the RTL clock's reference (every edge a whole eval()), against which tests check
  // what its edges leave out (rtl/clock_edge.h).
  run->add_flag("--eval-every-falling-edge", evaluate_every_falling_edge_, "")->group("");
  return run;
}

int RunCommand::run(const GlobalOptions& global) {
  const InterruptSignals signals;
  return exit_status_of([&] {
    if (seed_) overrides_.push_back("seed=" + *seed_);
    if (no_waves_) overrides_.emplace_back("waves=false");
    if (no_skip_) {
      for (const std::string& o : overrides_)
        if (o.rfind("platform.skip_quiescent=", 0) == 0 && o != "platform.skip_quiescent=false")
          throw ConfigError("--no-skip contradicts -c " + o);
      overrides_.emplace_back("platform.skip_quiescent=false");
    }
    const Scenario scenario = load_scenario(scenario_file_, overrides_);
    if (scenario.personalities.size() > 1) {
      return run_comparison({std::filesystem::read_symlink("/proc/self/exe"), global.log_level,
                             scenario_file_, overrides_, scenario.personalities, out_dir_, limits_,
                             evaluate_every_falling_edge_});
    }
    RunOptions options;
    options.out_dir = out_dir_;
    options.run_id = run_id_;
    options.limits = limits_;
    options.pieces.fixed = piece_cycles_;
    options.evaluate_every_falling_edge = evaluate_every_falling_edge_;
    return run_scenario(scenario, options);
  });
}

}  // namespace irqlab::cosim
