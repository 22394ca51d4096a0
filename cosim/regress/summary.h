#pragma once
// A regression's own outputs besides the cases' directories and the JUnit report:
// `<out>/regress.json` (schema irqlab.regress/1: how it was run, its counts and, per case,
// status passed/failed, reason, details, how it ended, host time, where its outputs are;
// docs/regress.md), which `--rerun-failed` reads back, and the final table on stdout.
//
// Host times live here and in the JUnit report only, never in a case's results.json, so
// those stay byte-identical whatever -j or shard ran them.
//
// Main thread.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "regress/case_matrix.h"
#include "regress/engine.h"

namespace irqlab::cosim::regress {

inline constexpr const char* kSummarySchema = "irqlab.regress/1";

// What the summary says about the run as a whole.
struct RegressionFacts {
  std::vector<std::string> paths;  // as given
  std::string shard;               // "i/n", empty when not sharded
  bool rerun_failed = false;
  std::string launcher;
  unsigned jobs = 1;
  double wall_seconds = 0;
  int interrupted_by = 0;  // the signal, or 0
};

// `cases` and `results` in the same order.
nlohmann::ordered_json regression_summary(const RegressionFacts& facts,
                                          const std::vector<RegressCase>& cases,
                                          const std::vector<CaseResult>& results);

// The ids of the cases a previous summary lists as not passed. Throws ConfigError naming
// the file when it is absent or not a regression summary.
std::set<std::string> failed_case_ids(const std::filesystem::path& summary_file);

// The final table (case, status, wall time, reason) and a count line, as text.
std::string final_table(const std::vector<CaseResult>& results);

}  // namespace irqlab::cosim::regress
