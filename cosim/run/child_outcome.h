#pragma once
// What became of one child run of a comparison, judged only from what that run left:
// how the process ended, and its results.json if that file carries the run id the parent
// gave it (a results.json with another id, or none, is an earlier run's or nobody's, and
// counts as missing). Written into the comparison file as its `children` entry
// (docs/results-schema.md) and shown in the side-by-side table.
//
// Pure functions; any context.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "run/child_process.h"

namespace irqlab::cosim {

struct ChildOutcome {
  // "ok", "failed", "interrupted" (as its results.json says), "killed" (a signal ended
  // it), "missing" (ended with status 0 but left no results.json of this run, or never ran)
  std::string status;
  ChildExit ended;
  std::string message;             // why, when not ok
  nlohmann::ordered_json results;  // this run's results.json, or null

  bool ok() const { return status == "ok"; }
};

// `results_text`: the content of the child's results.json, if the file existed.
ChildOutcome judge_child(const ChildExit& ended, const std::optional<std::string>& results_text,
                         const std::string& run_id);
// A child the comparison did not start (it was interrupted before).
ChildOutcome not_run(const std::string& why);

// {"status", "exit", "signal", "message"}: the comparison file's `children` entry.
nlohmann::ordered_json children_entry(const ChildOutcome& outcome);

}  // namespace irqlab::cosim
