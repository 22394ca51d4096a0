#include "cli/tune_command.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <deque>
#include <limits>
#include <thread>

#include "output/atomic_file.h"
#include "regress/launcher.h"
#include "run/run_control.h"
#include "scenario/scenario.h"
#include "tune/candidate_runner.h"
#include "tune/exports.h"
#include "tune/rtl_report.h"
#include "tune/rtl_space.h"
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
  tune->add_option("--rtl-cache", rtl_cache_,
                   "cache of the RTL configurations' models (default: $IRQLAB_RTL_CACHE, "
                   "else ~/.cache/irqlab/rtl; docs/tune.md)");
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
    const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe");

    const auto started = std::chrono::steady_clock::now();
    // The RTL configurations (the outer loop), each with the binary its candidates run, in
    // order of increasing area: among equally good candidates the earlier, smaller one wins.
    std::vector<tune::RtlVariant> variants;
    const std::filesystem::path rtl_cache =
        rtl_cache_.empty() ? tune::default_rtl_cache_dir() : std::filesystem::path(rtl_cache_);
    if (spec.rtl.empty()) {
      variants.push_back({});
      variants.back().binary = self;
    } else {
      tune::RtlVariantCache cache(rtl_cache, self,
                                  std::max(1U, std::thread::hardware_concurrency()));
      for (const tune::RtlConfiguration& c : tune::rtl_configurations(spec.rtl)) {
        variants.push_back(cache.get(c));
        if (signals.received() != 0) return exit_status_for_signal(signals.received());
      }
      std::stable_sort(variants.begin(), variants.end(),
                       [](const tune::RtlVariant& a, const tune::RtlVariant& b) {
                         return tune::area_bits(a) < tune::area_bits(b);
                       });
    }
    // The software search once per configuration, over the values its PLIC holds;
    // candidates are numbered across them. This binary loads a candidate with its
    // priorities capped at its own PLIC's largest (the rest of the loader is the same in
    // every configuration); the configuration's binary loads it whole when it runs.
    const tune::TuneSpec loadable = tune::capped_to(spec, tune::plic_max_priority({}));
    std::deque<tune::CandidateRunner> runners;
    tune::SearchOutcome outcome;
    std::vector<std::size_t> variant_of;
    std::uint64_t space_size = 0;
    for (std::size_t k = 0; k < variants.size(); ++k) {
      const tune::FittedSpace fitted =
          tune::fitted_space(spec, tune::plic_max_priority(variants[k].configuration));
      const std::uint64_t part_size = tune::space_size(fitted.spec);
      space_size = space_size > std::numeric_limits<std::uint64_t>::max() - part_size
                       ? std::numeric_limits<std::uint64_t>::max()
                       : space_size + part_size;
      tune::CandidateRunner& runner =
          runners.emplace_back(spec,
                               tune::CandidateRunSettings{variants[k].binary, file, overrides_,
                                                          scenario.document, scenario.seed, out},
                               *launcher);
      const std::size_t offset = outcome.evaluated.size();
      tune::SearchOutcome part =
          tune::search(fitted.spec, scenario, [&](const std::vector<tune::Trial>& batch) {
            // Candidates of the whole space, numbered across configurations.
            std::vector<tune::Trial> numbered = batch;
            for (tune::Trial& t : numbered) {
              t.index += offset;
              t.candidate = tune::full_candidate(fitted, t.candidate);
            }
            // Every candidate loads before any runs: a value the scenario refuses is bad input.
            // (Its first trial is on seed offset 0; another seed changes only the seed.)
            for (const tune::Trial& t : numbered)
              if (t.seed == 0)
                load_scenario(
                    file, with(overrides_, tune::candidate_overrides(loadable, scenario.document,
                                                                     t.candidate)));
            if (signals.received() != 0) return std::vector<tune::Measurement>(batch.size());
            return runner.run(numbered);
          });
      if (signals.received() != 0) return exit_status_for_signal(signals.received());
      outcome.method = part.method;
      outcome.budget_spent = outcome.budget_spent || part.budget_spent;
      outcome.simulations += part.simulations;
      outcome.rungs.insert(outcome.rungs.end(), part.rungs.begin(), part.rungs.end());
      for (tune::Evaluated& e : part.evaluated) {
        e.index += offset;
        e.candidate = tune::full_candidate(fitted, e.candidate);
        outcome.evaluated.push_back(std::move(e));
        variant_of.push_back(k);
      }
    }
    for (std::size_t i = 1; i < outcome.evaluated.size(); ++i) {
      const tune::Evaluated& e = outcome.evaluated[i];
      const tune::Evaluated& b = outcome.evaluated[outcome.best];
      if (tune::ranks_before(e.verdict, e.measurement, e.index, b.verdict, b.measurement, b.index))
        outcome.best = i;
    }
    if (!spec.rtl.empty()) outcome.method += " per RTL configuration";
    const tune::Evaluated& best = outcome.evaluated[outcome.best];
    tune::CandidateRunner& winner_runner = runners[variant_of[outcome.best]];
    tune::TuneRunFacts facts;
    facts.rerun = winner_runner.rerun(best.candidate);
    facts.verified = same_measurement(facts.rerun, best.per_seed.front());  // seed offset 0
    facts.scenario = file;
    facts.document = scenario.document;
    facts.space_size = space_size;  // each configuration's part of the software space
    for (const tune::CandidateRunner& r : runners) facts.simulations += r.simulations();
    facts.wall_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    facts.case_id = [&winner_runner](std::size_t index) { return winner_runner.case_id(index); };

    const std::string rtl_text =
        spec.rtl.empty()
            ? ""
            : ", RTL " +
                  tune::describe_configuration(variants[variant_of[outcome.best]].configuration);
    const std::string origin = "irqlab tune: the winner for " + file.string() + " under " +
                               spec.personality + " (candidate " + std::to_string(best.index) +
                               rtl_text + ", " +
                               (best.verdict.feasible ? "feasible" : "INFEASIBLE") + ")";
    const std::string document = tune::tune_json(spec, outcome, facts);
    write_file_atomically(out / "tune.json", spec.rtl.empty()
                                                 ? document
                                                 : tune::with_rtl(document, outcome, variant_of,
                                                                  variants, rtl_cache.string()));
    write_file_atomically(out / "winner.yaml",
                          tune::scenario_snippet(spec, scenario.document, best.candidate, origin));
    Scenario winner = load_scenario(
        file,
        with(overrides_, tune::candidate_overrides(loadable, scenario.document, best.candidate)));
    tune::set_plic_levels(spec, best.candidate, winner);
    const tune::RtlConfiguration& wiring = variants[variant_of[outcome.best]].configuration;
    write_file_atomically(
        out / "winner_regs.h",
        tune::register_header(
            winner, {tune::wired_source(wiring, "nic"), tune::wired_source(wiring, "crypto")},
            origin, static_cast<std::uint32_t>(tune::plic_max_priority(wiring))));

    std::fputs(tune::ranked_table(spec, outcome, rows_).c_str(), stdout);
    if (!spec.rtl.empty())
      std::fputs(tune::pareto_table(outcome, variant_of, variants).c_str(), stdout);
    std::printf(
        "%s search over %llu candidates: %zu simulations (the winner's re-run included), %.1f s\n",
        outcome.method.c_str(), static_cast<unsigned long long>(facts.space_size),
        facts.simulations, facts.wall_seconds);
    const std::string software = tune::describe(spec, best.candidate);
    const std::string values = software.empty()
                                   ? rtl_text.substr(std::min<std::size_t>(2, rtl_text.size()))
                                   : software + rtl_text;
    std::printf("winner: candidate %zu, %s; re-run %s\n", best.index, values.c_str(),
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
