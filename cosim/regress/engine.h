#pragma once
// The regression engine: runs cases through a launcher and judges each from what it left.
// Used by `irqlab regress` (regress/regression.h) and by `irqlab tune` for its candidates.
//
// A case passes when its process exited with status 0 AND its results.json carries the
// case's run id (so it is this run's file, not an earlier one's) and status "ok".
// Anything else fails, with a one-line reason (how it ended, the run's error) and details:
// each failed expectation of its results.json (file:line, metric, expected, measured) and
// the tail of its log. A case that could not start, was lost by its launcher or was
// killed is never a pass, whatever files it left.
//
// Separately from passing, a case is `measured` when its results.json holds every metric
// of a complete run: it passed, or it exited after a complete run whose only failure was
// its `expect:` checks (the run writes `expectations` only after completing). The tuner
// reads a candidate's metrics whenever it was measured; a regression needs the pass.
//
// Main thread (the launcher's contract), with InterruptSignals installed by the command.
#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "regress/launcher.h"

namespace irqlab::cosim::regress {

struct CaseResult {
  CaseEnd end;
  bool passed = false;
  bool measured = false;               // results.json has a complete run's metrics (above)
  std::string reason;                  // one line; empty when passed
  std::filesystem::path results_json;  // where the case's results.json is (or would be)
  std::string details;                 // failed expectations and the log's tail; may be empty
  std::optional<double> wall_seconds;  // host time of the case, when the launcher measured it
};

// Counts so far, for a progress display.
struct Progress {
  std::size_t total = 0;
  std::size_t passed = 0;
  std::size_t failed = 0;
  std::size_t ended() const { return passed + failed; }
};

// Told of each case as it ends, on the caller's thread.
using ProgressSink = std::function<void(const CaseResult& ended, const Progress& so_far)>;

// How many lines of a failed case's log its details quote, at most.
inline constexpr std::size_t kLogTailLines = 20;

// Judges one ended case (pure apart from reading the case's results.json and log).
CaseResult judge_case(const CaseJob& job, const CaseEnd& end);

// Runs `jobs` through `launcher` and judges each; returns one result per job, in the
// jobs' order.
std::vector<CaseResult> run_cases(const std::vector<CaseJob>& jobs, Launcher& launcher,
                                  const ProgressSink& progress);

}  // namespace irqlab::cosim::regress
