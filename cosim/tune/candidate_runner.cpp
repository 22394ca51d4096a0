#include "tune/candidate_runner.h"

#include <cstdio>
#include <fstream>

#include "regress/engine.h"

namespace irqlab::cosim::tune {

CandidateRunner::CandidateRunner(const TuneSpec& spec, CandidateRunSettings settings,
                                 regress::Launcher& launcher)
    : spec_(spec), settings_(std::move(settings)), launcher_(launcher) {}

std::string CandidateRunner::case_id(std::size_t index, std::uint64_t seed) const {
  char number[16];
  std::snprintf(number, sizeof number, "c%04zu", index);
  return settings_.scenario.stem().string() + "/" + number +
         (seed == 0 ? "" : "-s" + std::to_string(seed));
}

std::filesystem::path CandidateRunner::case_dir(const std::string& id) const {
  return settings_.out_dir / "cases" / id;
}

regress::CaseJob CandidateRunner::job(const std::string& id, const std::filesystem::path& dir,
                                      const Candidate& c, std::uint64_t seed) const {
  std::vector<std::string> argv{settings_.irqlab.string(),
                                "run",
                                settings_.scenario.string(),
                                "--out",
                                dir.string(),
                                "--run-id",
                                id,
                                "--no-waves",
                                "-c",
                                "timeline=false"};
  for (const std::string& o : settings_.overrides) argv.insert(argv.end(), {"-c", o});
  for (const std::string& o : candidate_overrides(spec_, settings_.document, c))
    argv.insert(argv.end(), {"-c", o});
  // Seeds wrap around like the key's 64-bit range.
  if (seed != 0) argv.insert(argv.end(), {"-c", "seed=" + std::to_string(settings_.seed + seed)});
  return {id, std::move(argv), dir, dir / "run.log"};
}

std::vector<Measurement> CandidateRunner::run_jobs(const std::vector<regress::CaseJob>& jobs) {
  for (const regress::CaseJob& j : jobs) std::filesystem::create_directories(j.out_dir);
  const std::size_t before = simulations_;
  const std::vector<regress::CaseResult> results = regress::run_cases(
      jobs, launcher_, [&](const regress::CaseResult& ended, const regress::Progress& so_far) {
        std::fprintf(stderr, "tune: %zu simulations, %s ended\n", before + so_far.ended(),
                     ended.end.id.c_str());
      });
  simulations_ += jobs.size();
  std::vector<Measurement> out;
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    const regress::CaseResult& result = results[i];
    Measurement m;
    if (result.measured) {
      std::ifstream in(result.results_json);
      try {
        m = measure(nlohmann::json::parse(in), spec_);
      } catch (const nlohmann::json::exception& e) {
        m = Measurement{};
        m.error = result.results_json.string() + ": " + e.what();
      }
    } else {
      m.error = result.reason;
    }
    if (!m.ran) m.error += " (log: " + jobs[i].log_file.string() + ")";
    out.push_back(std::move(m));
  }
  return out;
}

std::vector<Measurement> CandidateRunner::run(const std::vector<Trial>& batch) {
  std::vector<regress::CaseJob> jobs;
  for (const Trial& t : batch) {
    const std::string id = case_id(t.index, t.seed);
    jobs.push_back(job(id, case_dir(id), t.candidate, t.seed));
  }
  return run_jobs(jobs);
}

Measurement CandidateRunner::rerun(const Candidate& c) {
  const std::string id = settings_.scenario.stem().string() + "/winner";
  return run_jobs({job(id, settings_.out_dir / "winner", c, 0)}).front();
}

}  // namespace irqlab::cosim::tune
