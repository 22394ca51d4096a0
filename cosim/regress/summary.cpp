#include "regress/summary.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "config/config_node.h"
#include "config/printable_text.h"

namespace irqlab::cosim::regress {

namespace {

using nlohmann::ordered_json;

// Reasons in the table are cut to this many bytes (regress.json and JUnit keep them whole).
constexpr std::size_t kTableReasonBytes = 100;

std::string how_text(CaseEnd::How how) {
  switch (how) {
    case CaseEnd::How::exited:
      return "exited";
    case CaseEnd::How::signalled:
      return "signalled";
    case CaseEnd::How::not_started:
      return "not_started";
    case CaseEnd::How::lost:
      return "lost";
  }
  return "lost";
}

std::string seconds_text(const std::optional<double>& seconds) {
  if (!seconds) return "-";
  char text[32];
  std::snprintf(text, sizeof text, "%.1f s", *seconds);
  return text;
}

// `text` cut at a UTF-8 character boundary to at most `bytes`, with "..." when cut.
std::string shortened(const std::string& text, std::size_t bytes) {
  if (text.size() <= bytes) return text;
  std::size_t end = bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end) + "...";
}

}  // namespace

ordered_json regression_summary(const RegressionFacts& facts, const std::vector<RegressCase>& cases,
                                const std::vector<CaseResult>& results) {
  const std::size_t passed = static_cast<std::size_t>(
      std::count_if(results.begin(), results.end(), [](const CaseResult& r) { return r.passed; }));
  ordered_json entries = ordered_json::array();
  for (std::size_t i = 0; i < results.size(); ++i) {
    const CaseResult& r = results[i];
    const bool exited = r.end.how == CaseEnd::How::exited;
    const bool signalled = r.end.how == CaseEnd::How::signalled;
    entries.push_back(
        {{"id", r.end.id},
         {"scenario", cases[i].scenario.string()},
         {"variant", cases[i].variant},
         {"overrides", cases[i].overrides},
         {"status", r.passed ? "passed" : "failed"},
         {"reason", r.reason},
         {"details", r.details},
         {"ended", how_text(r.end.how)},
         {"exit", exited ? ordered_json(r.end.code) : ordered_json()},
         {"signal", signalled ? ordered_json(r.end.code) : ordered_json()},
         {"wall_seconds", r.wall_seconds ? ordered_json(*r.wall_seconds) : ordered_json()},
         {"results", r.results_json.string()}});
  }
  const std::string status = facts.interrupted_by != 0  ? "interrupted"
                             : passed == results.size() ? "passed"
                                                        : "failed";
  return {{"schema", kSummarySchema},
          {"status", status},
          {"paths", facts.paths},
          {"shard", facts.shard.empty() ? ordered_json() : ordered_json(facts.shard)},
          {"rerun_failed", facts.rerun_failed},
          {"launcher", facts.launcher},
          {"jobs", facts.jobs},
          {"wall_seconds", facts.wall_seconds},
          {"cases_total", results.size()},
          {"passed", passed},
          {"failed", results.size() - passed},
          {"cases", entries}};
}

std::set<std::string> failed_case_ids(const std::filesystem::path& summary_file) {
  const std::string name = escape_for_line(summary_file.string());
  std::ifstream in(summary_file, std::ios::binary);
  if (!in)
    throw ConfigError("--rerun-failed: " + name +
                      " does not exist (no earlier regression wrote to this --out directory)");
  std::stringstream text;
  text << in.rdbuf();
  const ordered_json doc = ordered_json::parse(text.str(), nullptr, false);
  const auto bad = [&](const std::string& why) {
    return ConfigError("--rerun-failed: " + name + " is not a regression summary (" + why + ")");
  };
  if (!doc.is_object() || doc.value("schema", "") != kSummarySchema)
    throw bad(std::string("its schema is not ") + kSummarySchema);
  const auto cases = doc.find("cases");
  if (cases == doc.end() || !cases->is_array()) throw bad("no cases list");
  std::set<std::string> failed;
  for (const ordered_json& c : *cases) {
    if (!c.is_object() || !c.contains("id") || !c["id"].is_string() || !c.contains("status") ||
        !c["status"].is_string())
      throw bad("a case without a string id and status");
    if (c["status"].get<std::string>() != "passed") failed.insert(c["id"].get<std::string>());
  }
  return failed;
}

std::string final_table(const std::vector<CaseResult>& results) {
  std::size_t id_width = 4;
  for (const CaseResult& r : results) id_width = std::max(id_width, r.end.id.size());
  const auto row = [&](const std::string& id, const std::string& status, const std::string& wall,
                       const std::string& reason) {
    char cells[64];
    std::snprintf(cells, sizeof cells, "  %-6s  %9s  ", status.c_str(), wall.c_str());
    std::string line = id + std::string(id_width - id.size(), ' ') + cells + reason;
    while (!line.empty() && line.back() == ' ') line.pop_back();
    return line + '\n';
  };
  std::string table = row("case", "status", "wall", "reason");
  std::size_t passed = 0;
  for (const CaseResult& r : results) {
    if (r.passed) ++passed;
    table += row(r.end.id, r.passed ? "passed" : "FAILED", seconds_text(r.wall_seconds),
                 shortened(r.reason, kTableReasonBytes));
  }
  table += std::to_string(results.size()) + " cases: " + std::to_string(passed) + " passed, " +
           std::to_string(results.size() - passed) + " failed\n";
  return table;
}

}  // namespace irqlab::cosim::regress
