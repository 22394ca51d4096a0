#include "run/child_outcome.h"

#include "run/run_control.h"

namespace irqlab::cosim {

namespace {

using nlohmann::ordered_json;

// The results of this run: a JSON object whose run_id is `run_id`; else null and why not.
ordered_json this_runs_results(const std::optional<std::string>& text, const std::string& run_id,
                               std::string& why_not) {
  if (!text) {
    why_not = "no results.json";
    return nullptr;
  }
  ordered_json doc = ordered_json::parse(*text, nullptr, false);
  if (!doc.is_object() || !doc.contains("status")) {
    why_not = "results.json is not a results file";
    return nullptr;
  }
  const auto id = doc.find("run_id");
  if (id == doc.end() || !id->is_string() || id->get<std::string>() != run_id) {
    why_not = "results.json is from another run (run_id " +
              (id == doc.end() ? std::string("absent") : id->dump()) + ", expected \"" + run_id +
              "\")";
    return nullptr;
  }
  return doc;
}

}  // namespace

ChildOutcome judge_child(const ChildExit& ended, const std::optional<std::string>& results_text,
                         const std::string& run_id) {
  ChildOutcome outcome;
  outcome.ended = ended;
  std::string why_not;
  ordered_json results = this_runs_results(results_text, run_id, why_not);
  if (ended.signal) {
    // Whatever it wrote before, a killed run's outputs are not complete.
    outcome.status = "killed";
    outcome.message = "killed by " + signal_name(*ended.signal);
    return outcome;
  }
  const int exit_status = ended.exit_status.value_or(0);
  if (results.is_null()) {
    outcome.status = exit_status == 0 ? "missing" : "failed";
    outcome.message = why_not + " (exit status " + std::to_string(exit_status) + ")";
    return outcome;
  }
  // find(), not operator[]: inserting an absent "error" would move the object's entries
  // and leave a reference to "status" dangling.
  const ordered_json& status = *results.find("status");  // present: checked above
  const auto error = results.find("error");
  outcome.status = status.is_string() ? status.get<std::string>() : "failed";
  outcome.message = error != results.end() && error->is_string() ? error->get<std::string>() : "";
  if (outcome.status == "ok" && exit_status != 0) {
    outcome.status = "failed";
    outcome.message = "exit status " + std::to_string(exit_status) + " after a complete run";
  } else if (outcome.status != "ok" && outcome.status != "failed" &&
             outcome.status != "interrupted") {
    outcome.message = "unknown status " + status.dump() + " in results.json";
    outcome.status = "failed";
  }
  outcome.results = std::move(results);
  return outcome;
}

ChildOutcome not_run(const std::string& why) {
  ChildOutcome outcome;
  outcome.status = "missing";
  outcome.message = why;
  return outcome;
}

ordered_json children_entry(const ChildOutcome& outcome) {
  const auto number_or_null = [](const std::optional<int>& n) {
    return n ? ordered_json(*n) : ordered_json();
  };
  return {{"status", outcome.status},
          {"exit", number_or_null(outcome.ended.exit_status)},
          {"signal", number_or_null(outcome.ended.signal)},
          {"message", outcome.message}};
}

}  // namespace irqlab::cosim
