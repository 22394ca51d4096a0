#pragma once
// Runs the tuner's candidates as cases through the regression's launchers
// (regress/launcher.h: local -j, Slurm), judged by the regression engine's run_cases
// (regress/engine.h) as `irqlab regress` judges its cases. A candidate's metrics are read
// when the engine calls its case measured: it exited 0 with status ok and its own run id
// in results.json, or failed only its expectations (which leaves every metric). Each
// is `irqlab run SCENARIO -c ...` with the tune command's overrides, then the candidate's
// (candidate.h), and `-c seed=<seed + k>` on seed offset k > 0, without waves or timeline;
// case id `<scenario stem>/c<index, 4 digits>`, `-s<k>` appended on seed offset k > 0,
// output `<out>/cases/<case id>/`.
//
// Main thread (the launcher's contract).
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "regress/launcher.h"
#include "tune/evaluation.h"
#include "tune/search.h"

namespace irqlab::cosim::tune {

struct CandidateRunSettings {
  std::filesystem::path irqlab;        // the binary the cases run
  std::filesystem::path scenario;      // as given to irqlab tune
  std::vector<std::string> overrides;  // the tune command's own -c
  std::string document;                // the scenario's YAML after them (Scenario::document)
  std::uint64_t seed = 1;              // the scenario's seed after them (seed offset 0)
  std::filesystem::path out_dir;
};

class CandidateRunner {
 public:
  CandidateRunner(const TuneSpec& spec, CandidateRunSettings settings, regress::Launcher& launcher);

  // An EvaluateBatch (search.h): runs the batch, prints progress to stderr.
  std::vector<Measurement> run(const std::vector<Trial>& batch);
  // Runs `c` once more on seed offset 0 as case `<stem>/winner` into `<out>/winner`.
  Measurement rerun(const Candidate& c);

  std::string case_id(std::size_t index, std::uint64_t seed = 0) const;
  std::filesystem::path case_dir(const std::string& id) const;
  std::size_t simulations() const { return simulations_; }

 private:
  regress::CaseJob job(const std::string& id, const std::filesystem::path& dir, const Candidate& c,
                       std::uint64_t seed) const;
  std::vector<Measurement> run_jobs(const std::vector<regress::CaseJob>& jobs);

  const TuneSpec& spec_;
  CandidateRunSettings settings_;
  regress::Launcher& launcher_;
  std::size_t simulations_ = 0;
};

}  // namespace irqlab::cosim::tune
