// irqlab: the command line.
//
//   irqlab run [scenario.yaml] [-c key=value]... [--out DIR] [--seed N] [--no-waves]
//   irqlab list [--markdown]   personalities and their options, scenario keys, cost-profile
//                              keys, example scenarios (--markdown: the key reference of
//                              docs/scenario-format.md)
//
// Without a scenario, runs scenarios/default.yaml of the source tree.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <spdlog/spdlog.h>
#include <systemc>

#include "config/config_node.h"
#include "log/sim_log.h"
#include "run/compare.h"
#include "run/runner.h"
#include "scenario/key_reference.h"
#include "scenario/scenario.h"

#ifndef IRQLAB_DEFAULT_SCENARIO
#error "IRQLAB_DEFAULT_SCENARIO must name the default scenario file"
#endif

int sc_main(int argc, char* argv[]) {
  CLI::App app{"irqlab: interrupt hardware under real kernel interrupt architectures, cycle-accurately"};
  app.require_subcommand(1);
  std::string log_level = "info";
  app.add_option("--log", log_level, "log level: trace, debug, info, warn, error, off")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));

  CLI::App* run = app.add_subcommand("run", "run a scenario and write results.json, waves.fst and waves.gtkw");
  std::string scenario_file = IRQLAB_DEFAULT_SCENARIO;
  std::vector<std::string> overrides;
  std::string out_dir = "out";
  std::optional<std::uint64_t> seed;
  bool no_waves = false;
  bool no_skip = false;
  run->add_option("scenario", scenario_file, "scenario YAML file (default: scenarios/default.yaml)");
  run->add_option("-c,--config", overrides, "override a scenario key, e.g. -c platform.harts=4")->take_all();
  run->add_option("--out", out_dir, "output directory")->capture_default_str();
  run->add_option("--seed", seed, "override the scenario's seed");
  run->add_flag("--no-waves", no_waves, "do not write waves.fst and waves.gtkw");
  run->add_flag("--no-skip", no_skip, "evaluate the RTL on every cycle (platform.skip_quiescent=false)");

  CLI::App* list = app.add_subcommand("list", "list personalities, scenario keys, cost-profile keys and examples");
  bool markdown = false;
  list->add_flag("--markdown", markdown, "print the key reference of docs/scenario-format.md");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  irqlab::cosim::init_logging(log_level, [] { return irqlab::kernel::Cycle{0}; });
  if (list->parsed()) {
    const std::filesystem::path scenarios_dir = std::filesystem::path(IRQLAB_DEFAULT_SCENARIO).parent_path();
    std::fputs((markdown ? irqlab::cosim::key_reference_markdown() : irqlab::cosim::key_reference_text(scenarios_dir))
                   .c_str(),
               stdout);
    return 0;
  }

  try {
    if (seed) overrides.push_back("seed=" + std::to_string(*seed));
    if (no_waves) overrides.emplace_back("waves=false");
    if (no_skip) {
      for (const std::string& o : overrides)
        if (o.rfind("platform.skip_quiescent=", 0) == 0 && o != "platform.skip_quiescent=false")
          throw irqlab::cosim::ConfigError("--no-skip contradicts -c " + o);
      overrides.emplace_back("platform.skip_quiescent=false");
    }
    const irqlab::cosim::Scenario scenario = irqlab::cosim::load_scenario(scenario_file, overrides);
    if (scenario.personalities.size() > 1) {
      return irqlab::cosim::run_comparison({std::filesystem::read_symlink("/proc/self/exe"), log_level, scenario_file,
                                            overrides, scenario.personalities, out_dir});
    }
    return irqlab::cosim::run_scenario(scenario, {out_dir, true});
  } catch (const irqlab::cosim::ConfigError& e) {
    spdlog::error("{}", e.what());
    return 2;
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
    return 1;
  }
}

// SystemC prints its banner while it starts; a command-line tool keeps stdout for results.
int main(int argc, char* argv[]) {
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
  return sc_core::sc_elab_and_sim(argc, argv);
}
