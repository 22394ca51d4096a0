#include "regress/engine.h"

#include <deque>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "config/printable_text.h"
#include "run/child_outcome.h"
#include "run/run_control.h"

namespace irqlab::cosim::regress {

namespace {

using nlohmann::ordered_json;

// A log's tail is read from at most this many bytes at its end (a run that looped
// writing its log must not make the regression read gigabytes).
constexpr std::streamoff kLogTailBytes = 16 * 1024;

std::optional<std::string> read_text(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The last kLogTailLines lines of `log`, each escaped to one line, or "" if it is empty or
// absent.
std::string log_tail(const std::filesystem::path& log) {
  std::ifstream in(log, std::ios::binary | std::ios::ate);
  if (!in) return {};
  const std::streamoff size = in.tellg();
  const std::streamoff start = size > kLogTailBytes ? size - kLogTailBytes : 0;
  in.seekg(start);
  std::deque<std::string> lines;
  std::string line;
  bool first = true;
  while (std::getline(in, line)) {
    const bool cut = first && start > 0;  // the first line read may be the end of one
    first = false;
    if (cut) continue;
    lines.push_back(escape_for_line(line));
    if (lines.size() > kLogTailLines) lines.pop_front();
  }
  std::string tail;
  for (const std::string& l : lines) tail += l + '\n';
  return tail;
}

std::string json_text(const ordered_json& value) {
  return value.is_string() ? value.get<std::string>() : value.dump();
}

// One line per failed check of results.json's `expectations` (docs/expectations.md).
std::string failed_expectations(const ordered_json& results) {
  const auto expectations = results.find("expectations");
  if (expectations == results.end() || !expectations->is_object()) return {};
  const auto checks = expectations->find("checks");
  if (checks == expectations->end() || !checks->is_array()) return {};
  std::string lines;
  for (const ordered_json& check : *checks) {
    if (!check.is_object() || check.value("passed", true)) continue;
    // expect's message names file:line, the metric, expected and measured; without one,
    // the same from the check's fields.
    std::string line = check.value("message", std::string());
    if (line.empty())
      line = json_text(check.value("file", ordered_json("?"))) + ":" +
             json_text(check.value("line", ordered_json("?"))) + ": " +
             json_text(check.value("metric", ordered_json())) + ": expected " +
             json_text(check.value("op", ordered_json())) + " " +
             check.value("expected", ordered_json()).dump() + ", measured " +
             check.value("measured", ordered_json()).dump();
    lines += escape_for_line(line) + '\n';
  }
  return lines;
}

// True when `results` (this run's file, or null) is of a run that completed and failed
// only its expect: checks: its own status says failed and it holds the checks' section,
// which the run writes only after completing (results/results_sink.cpp).
bool completed_but_for_expectations(const ordered_json& results) {
  if (!results.is_object()) return false;
  const auto status = results.find("status");
  return status != results.end() && *status == "failed" && results.contains("expectations");
}

// Why a case that ran is not a pass: judge_child's verdict, as one line (a run's error
// may go on with a panic's recent events, which the log's tail shows).
std::string reason_of(const ChildOutcome& outcome) {
  const std::string message = outcome.message.substr(0, outcome.message.find('\n'));
  std::string reason = outcome.status == "killed" ? message : outcome.status + ": " + message;
  const bool results_read = !outcome.results.is_null();
  if (results_read && outcome.ended.exit_status && *outcome.ended.exit_status != 0 &&
      reason.find("exit status") == std::string::npos)
    reason += " (exit status " + std::to_string(*outcome.ended.exit_status) + ")";
  return escape_for_line(reason);
}

}  // namespace

CaseResult judge_case(const CaseJob& job, const CaseEnd& end) {
  CaseResult result;
  result.end = end;
  result.results_json = job.out_dir / "results.json";
  std::string expectations;
  switch (end.how) {
    case CaseEnd::How::not_started:
      result.reason = escape_for_line("not started: " + end.detail);
      break;
    case CaseEnd::How::lost:
      result.reason = escape_for_line("lost by its launcher: " + end.detail);
      break;
    case CaseEnd::How::exited:
    case CaseEnd::How::signalled: {
      ChildExit ended;
      if (end.how == CaseEnd::How::exited) {
        ended.exit_status = end.code;
      } else {
        ended.signal = end.code;
      }
      const ChildOutcome outcome = judge_child(ended, read_text(result.results_json), job.id);
      result.passed = outcome.ok();
      result.measured = result.passed || (end.how == CaseEnd::How::exited &&
                                          completed_but_for_expectations(outcome.results));
      if (!result.passed) {
        result.reason = reason_of(outcome);
        if (!end.detail.empty()) result.reason += escape_for_line(" (" + end.detail + ")");
        if (outcome.results.is_object()) expectations = failed_expectations(outcome.results);
      }
      break;
    }
  }
  if (!result.passed) {
    result.details = expectations;
    std::error_code error;
    if (std::filesystem::exists(job.log_file, error)) {
      const std::string tail = log_tail(job.log_file);
      result.details += tail.empty() ? job.log_file.string() + " is empty\n"
                                     : "last lines of " + job.log_file.string() + ":\n" + tail;
    }
  }
  return result;
}

std::vector<CaseResult> run_cases(const std::vector<CaseJob>& jobs, Launcher& launcher,
                                  const ProgressSink& progress) {
  std::vector<CaseResult> results(jobs.size());
  std::map<std::string, std::size_t> index_of;
  for (std::size_t i = 0; i < jobs.size(); ++i) index_of.emplace(jobs[i].id, i);
  Progress counts;
  counts.total = jobs.size();
  const std::vector<CaseEnd> ends = launcher.run(jobs, [&](const CaseEnd& end) {
    const auto found = index_of.find(end.id);
    if (found == index_of.end()) return;  // not one of ours: the launcher's bug, judged below
    CaseResult& result = results[found->second];
    result = judge_case(jobs[found->second], end);
    result.wall_seconds = launcher.wall_seconds(end.id);
    ++(result.passed ? counts.passed : counts.failed);
    if (progress) progress(result, counts);
  });
  // What run() returned is authoritative: a case on_end never reported is judged from it.
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    const CaseEnd end =
        i < ends.size() && ends[i].id == jobs[i].id
            ? ends[i]
            : CaseEnd{jobs[i].id, CaseEnd::How::lost, 0, "the launcher did not report this case"};
    if (results[i].end.id == jobs[i].id) continue;
    results[i] = judge_case(jobs[i], end);
    results[i].wall_seconds = launcher.wall_seconds(jobs[i].id);
    ++(results[i].passed ? counts.passed : counts.failed);
    if (progress) progress(results[i], counts);
  }
  return results;
}

}  // namespace irqlab::cosim::regress
