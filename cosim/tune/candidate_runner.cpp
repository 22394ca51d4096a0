#include "tune/candidate_runner.h"

#include <cstdio>
#include <fstream>

namespace irqlab::cosim::tune {

CandidateRunner::CandidateRunner(const TuneSpec& spec, CandidateRunSettings settings,
                                 regress::Launcher& launcher)
    : spec_(spec), settings_(std::move(settings)), launcher_(launcher) {}

std::string CandidateRunner::case_id(std::size_t index) const {
  char number[16];
  std::snprintf(number, sizeof number, "c%04zu", index);
  return settings_.scenario.stem().string() + "/" + number;
}

std::filesystem::path CandidateRunner::case_dir(const std::string& id) const {
  return settings_.out_dir / "cases" / id;
}

regress::CaseJob CandidateRunner::job(const std::string& id, const std::filesystem::path& dir,
                                      const Candidate& c) const {
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
  return {id, std::move(argv), dir, dir / "run.log"};
}

std::vector<Measurement> CandidateRunner::run_jobs(const std::vector<regress::CaseJob>& jobs) {
  for (const regress::CaseJob& j : jobs) std::filesystem::create_directories(j.out_dir);
  std::size_t ended = simulations_;
  const std::vector<regress::CaseEnd> ends = launcher_.run(jobs, [&](const regress::CaseEnd& e) {
    std::fprintf(stderr, "tune: %zu simulations, %s ended\n", ++ended, e.id.c_str());
  });
  simulations_ += jobs.size();
  std::vector<Measurement> out;
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    Measurement m;
    const regress::CaseEnd& end = ends[i];
    m.error = end.how == regress::CaseEnd::How::exited
                  ? "exited with status " + std::to_string(end.code)
              : end.how == regress::CaseEnd::How::signalled
                  ? "killed by signal " + std::to_string(end.code)
                  : "did not run: " + end.detail;
    const std::filesystem::path file = jobs[i].out_dir / "results.json";
    std::ifstream in(file);
    const nlohmann::json results =
        in ? nlohmann::json::parse(in, nullptr, false) : nlohmann::json();
    // The case's own results (its run id), of a run that ended normally; one that failed
    // only its expectations measured everything, and the tuner reads it too.
    const bool ours = results.is_object() && results.value("run_id", "") == jobs[i].id;
    const std::string status = ours ? results.value("status", "") : "";
    const bool measured = end.how == regress::CaseEnd::How::exited &&
                          ((end.code == 0 && status == "ok") ||
                           (status == "failed" && results.contains("expectations")));
    if (ours && !measured)
      m.error += ": " + results.value("error", std::string("status ") + status);
    if (measured) {
      try {
        m = measure(results, spec_);
      } catch (const nlohmann::json::exception& e) {
        m = Measurement{};
        m.error = file.string() + ": " + e.what();
      }
    }
    if (!m.ran) m.error += " (log: " + jobs[i].log_file.string() + ")";
    out.push_back(std::move(m));
  }
  return out;
}

std::vector<Measurement> CandidateRunner::run(const std::vector<Candidate>& batch,
                                              std::size_t first_index) {
  std::vector<regress::CaseJob> jobs;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const std::string id = case_id(first_index + i);
    jobs.push_back(job(id, case_dir(id), batch[i]));
  }
  return run_jobs(jobs);
}

Measurement CandidateRunner::rerun(const Candidate& c) {
  const std::string id = settings_.scenario.stem().string() + "/winner";
  return run_jobs({job(id, settings_.out_dir / "winner", c)}).front();
}

}  // namespace irqlab::cosim::tune
