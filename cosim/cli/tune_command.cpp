#include "cli/tune_command.h"

#include <chrono>
#include <cstdio>

#include "output/atomic_file.h"
#include "regress/launcher.h"
#include "run/run_control.h"
#include "scenario/scenario.h"
#include "tune/candidate_runner.h"
#include "tune/exports.h"
#include "tune/tune_report.h"

namespace irqlab::cosim {

namespace {

std::vector<std::string> with(std::vector<std::string> overrides,
                              const std::vector<std::string>& more) {
  overrides.insert(overrides.end(), more.begin(), more.end());
  return overrides;
}

bool same_measurement(const tune::Measurement& a, const tune::Measurement& b) {
  return a.ran && b.ran && a.measured == b.measured && a.drops == b.drops && a.cost == b.cost;
}

}  // namespace

CLI::App* TuneCommand::add_to(CLI::App& app) {
  CLI::App* tune = app.add_subcommand(
      "tune",
      "search the scenario's tune: space for a configuration meeting its deadlines (docs/tune.md)");
  tune->add_option("scenario", scenario_file_, "scenario file with a tune: block")->required();
  add_override_option(*tune, overrides_, "override one scenario key in every candidate");
  tune->add_option("--out", out_dir_, "output directory")->capture_default_str();
  launcher_flags_.add_to(*tune, "candidates");
  tune->add_option("--rows", rows_, "rows of the ranked table")->capture_default_str();
  return tune;
}

int TuneCommand::run(const GlobalOptions&) {
  const InterruptSignals signals;
  return exit_status_of([&] {
    const std::filesystem::path file = scenario_file_;
    const std::filesystem::path out = out_dir_;
    const Scenario scenario = load_scenario(file, overrides_);
    if (!scenario.tune)
      throw ConfigError(file.string() + ": no tune: block to search (docs/tune.md)");
    const tune::TuneSpec& spec = *scenario.tune;
    std::filesystem::create_directories(out);
    const std::unique_ptr<regress::Launcher> launcher = regress::make_launcher(
        launcher_flags_.launcher(), launcher_flags_.options(out / "launcher"));
    tune::CandidateRunner runner(spec,
                                 {std::filesystem::read_symlink("/proc/self/exe"), file, overrides_,
                                  scenario.document, scenario.seed, out},
                                 *launcher);

    const auto started = std::chrono::steady_clock::now();
    const tune::SearchOutcome outcome =
        tune::search(spec, scenario, [&](const std::vector<tune::Trial>& batch) {
          // Every candidate loads before any runs: a value the scenario refuses is bad input.
          // (Its first trial is on seed offset 0; another seed changes only the seed.)
          for (const tune::Trial& t : batch)
            if (t.seed == 0)
              load_scenario(file, with(overrides_, tune::candidate_overrides(
                                                       spec, scenario.document, t.candidate)));
          if (signals.received() != 0) return std::vector<tune::Measurement>(batch.size());
          return runner.run(batch);
        });
    if (signals.received() != 0) return exit_status_for_signal(signals.received());
    const tune::Evaluated& best = outcome.evaluated[outcome.best];
    tune::TuneRunFacts facts;
    facts.rerun = runner.rerun(best.candidate);
    facts.verified = same_measurement(facts.rerun, best.per_seed.front());  // seed offset 0
    facts.scenario = file;
    facts.document = scenario.document;
    facts.space_size = tune::space_size(spec);
    facts.simulations = runner.simulations();
    facts.wall_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    facts.case_id = [&runner](std::size_t index) { return runner.case_id(index); };

    const std::string origin = "irqlab tune: the winner for " + file.string() + " under " +
                               spec.personality + " (candidate " + std::to_string(best.index) +
                               ", " + (best.verdict.feasible ? "feasible" : "INFEASIBLE") + ")";
    write_file_atomically(out / "tune.json", tune::tune_json(spec, outcome, facts));
    write_file_atomically(out / "winner.yaml",
                          tune::scenario_snippet(spec, scenario.document, best.candidate, origin));
    const Scenario winner = load_scenario(
        file, with(overrides_, tune::candidate_overrides(spec, scenario.document, best.candidate)));
    write_file_atomically(out / "winner_regs.h", tune::register_header(winner, origin));

    std::fputs(tune::ranked_table(spec, outcome, rows_).c_str(), stdout);
    std::printf(
        "%s search over %llu candidates: %zu simulations (the winner's re-run included), %.1f s\n",
        outcome.method.c_str(), static_cast<unsigned long long>(facts.space_size),
        facts.simulations, facts.wall_seconds);
    std::printf("winner: candidate %zu, %s; re-run %s\n", best.index,
                tune::describe(spec, best.candidate).c_str(),
                facts.verified ? "verified" : "DIFFERS from the search's run");
    if (!best.verdict.feasible) {
      std::printf("infeasible: binding deadline %s\n", tune::binding_text(spec, best).c_str());
      return 1;
    }
    std::printf("feasible: worst slack %lld cycles, binding %s\n",
                static_cast<long long>(best.verdict.worst_slack),
                tune::binding_text(spec, best).c_str());
    return facts.verified ? 0 : 1;
  });
}

}  // namespace irqlab::cosim
