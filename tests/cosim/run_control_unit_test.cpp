// The parts of run control that need no simulation: judging a comparison's child from
// what it left, clearing a reused output directory, the debug log's lines with names.
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>

#include "log/progress_line.h"
#include "log/trace_log.h"
#include "run/child_outcome.h"
#include "run/output_dir.h"

namespace irqlab::cosim {
namespace run_control_unit_test {

namespace fs = std::filesystem;
using kernel::TraceEvent;
using kernel::TraceKind;

const std::string kRunId = "4242-00000000deadbeef-1";

std::string results_with(const std::string& status, const std::string& run_id,
                         const std::string& error = "null") {
  return R"({"schema": "irqlab.results/2", "status": ")" + status + R"(", "run_id": )" + run_id +
         R"(, "error": )" + error + "}";
}

TEST(ChildOutcome, ACompleteRunOfThisIdIsOk) {
  const ChildOutcome o =
      judge_child({0, std::nullopt}, results_with("ok", "\"" + kRunId + "\""), kRunId);
  EXPECT_EQ(o.status, "ok");
  EXPECT_EQ(o.results["status"], "ok");
  EXPECT_EQ(children_entry(o),
            nlohmann::ordered_json::parse(
                R"({"status": "ok", "exit": 0, "signal": null, "message": ""})"));
}

TEST(ChildOutcome, ResultsOfAnotherRunAreMissingNotOk) {
  const ChildOutcome o = judge_child({0, std::nullopt}, results_with("ok", "\"1-2-1\""), kRunId);
  EXPECT_EQ(o.status, "missing");
  EXPECT_TRUE(o.results.is_null());
  EXPECT_EQ(o.message, "results.json is from another run (run_id \"1-2-1\", expected \"" + kRunId +
                           "\") (exit status 0)");
  // An earlier run that had no id at all.
  EXPECT_EQ(judge_child({0, std::nullopt}, results_with("ok", "null"), kRunId).status, "missing");
}

TEST(ChildOutcome, NoResultsIsMissingOrFailedByTheExitStatus) {
  const ChildOutcome missing = judge_child({0, std::nullopt}, std::nullopt, kRunId);
  EXPECT_EQ(missing.status, "missing");
  EXPECT_EQ(missing.message, "no results.json (exit status 0)");
  const ChildOutcome failed = judge_child({2, std::nullopt}, std::nullopt, kRunId);
  EXPECT_EQ(failed.status, "failed");
  EXPECT_EQ(failed.message, "no results.json (exit status 2)");
  EXPECT_EQ(judge_child({0, std::nullopt}, std::string("{\"stat"), kRunId).status, "missing");
}

TEST(ChildOutcome, ASignalledChildIsKilledWhateverItWrote) {
  const ChildOutcome o =
      judge_child({std::nullopt, 9}, results_with("ok", "\"" + kRunId + "\""), kRunId);
  EXPECT_EQ(o.status, "killed");
  EXPECT_EQ(o.message, "killed by SIGKILL");
  EXPECT_TRUE(o.results.is_null());
  EXPECT_EQ(children_entry(o), nlohmann::ordered_json::parse(
                                   R"({"status": "killed", "exit": null, "signal": 9,
                                       "message": "killed by SIGKILL"})"));
}

TEST(ChildOutcome, InterruptedAndFailedRunsSayWhy) {
  const ChildOutcome interrupted = judge_child(
      {130, std::nullopt},
      results_with("interrupted", "\"" + kRunId + "\"", "\"interrupted by SIGINT\""), kRunId);
  EXPECT_EQ(interrupted.status, "interrupted");
  EXPECT_EQ(interrupted.message, "interrupted by SIGINT");
  EXPECT_FALSE(interrupted.results.is_null());
  // Results that say ok from a process that did not exit 0 are not believed.
  const ChildOutcome odd =
      judge_child({1, std::nullopt}, results_with("ok", "\"" + kRunId + "\""), kRunId);
  EXPECT_EQ(odd.status, "failed");
  EXPECT_EQ(odd.message, "exit status 1 after a complete run");
}

TEST(ChildOutcome, NotRunIsMissing) {
  const ChildOutcome o = not_run("not run: the comparison was interrupted by SIGINT");
  EXPECT_EQ(children_entry(o), nlohmann::ordered_json::parse(
                                   R"({"status": "missing", "exit": null, "signal": null,
                                       "message": "not run: the comparison was interrupted by SIGINT"})"));
}

void touch(const fs::path& file) { std::ofstream(file) << "x"; }

TEST(OutputDir, ClearsIrqlabsOutputsAndKeepsEverythingElse) {
  const fs::path dir = fs::path(IRQLAB_TEST_SCRATCH) / "clear_outputs";
  fs::remove_all(dir);
  fs::create_directories(dir / "waves-filters");
  fs::create_directories(dir / "mine");
  // The names docs/architecture.md lists as a run's outputs, and a temporary one.
  for (const char* name :
       {"results.json", "samples.jsonl", "waves.fst", "waves.fst.hier", "waves.gtkw", "tx.pcap",
        "report.html", ".results.json.tmp-77", "waves-filters/lwp.txt"})
    touch(dir / name);
  for (const char* name : {"notes.txt", "results.json.bak", "mine/results.json", ".hidden"})
    touch(dir / name);
  clear_run_outputs(dir);
  std::vector<std::string> left;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    left.push_back(fs::relative(e.path(), dir).string());
  std::sort(left.begin(), left.end());
  EXPECT_EQ(left, (std::vector<std::string>{".hidden", "mine", "mine/results.json", "notes.txt",
                                            "results.json.bak"}));
}

TEST(OutputDir, ARunDirectoryGoesOnlyWhenNothingForeignIsInIt) {
  const fs::path dir = fs::path(IRQLAB_TEST_SCRATCH) / "remove_run_dir";
  fs::remove_all(dir);
  fs::create_directories(dir / "netbsd");
  fs::create_directories(dir / "linux");
  touch(dir / "netbsd/results.json");
  touch(dir / "linux/results.json");
  touch(dir / "linux/notes.txt");
  remove_run_directory(dir / "netbsd");
  remove_run_directory(dir / "linux");
  remove_run_directory(dir / "absent");
  EXPECT_FALSE(fs::exists(dir / "netbsd"));
  EXPECT_FALSE(fs::exists(dir / "linux/results.json"));
  EXPECT_TRUE(fs::exists(dir / "linux/notes.txt"));
}

TEST(TraceLog, NamesWhatTheStreamAnnouncedAndNumbersInDecimal) {
  TraceLog log;
  EXPECT_EQ(log.describe({0, 0, TraceKind::AnnounceSource, 17, 0, "timer1", {}}),
            "announce source 17 (timer1)");
  EXPECT_EQ(log.describe({0, 0, TraceKind::AnnounceLwp, 6, 0, "worker", {}}),
            "announce LWP 6 (worker)");
  EXPECT_EQ(log.describe({0, 0, TraceKind::AnnounceLwp, 1, 2, "idle/1", {}}),
            "announce LWP 1 (idle/1), idle on hart 1");
  EXPECT_EQ(log.describe({0, 0, TraceKind::AnnounceLock, 1, 0, "so_lock", {}}),
            "announce lock 1 (so_lock)");
  EXPECT_EQ(log.describe({0, 0, TraceKind::AnnounceDeferred, 3, 17, "net_rx", {}}),
            "announce deferred work 3 (net_rx) for source 17 (timer1)");
  EXPECT_EQ(log.describe({5, 1, TraceKind::Claim, 17, 0, {}, {}}), "Claim source 17 (timer1)");
  EXPECT_EQ(log.describe({5, 1, TraceKind::Claim, 0, 0, {}, {}}), "Claim nothing pending");
  EXPECT_EQ(log.describe({5, 1, TraceKind::HandlerStart, 25, 0, {}, {}}), "HandlerStart source 25");
  EXPECT_EQ(log.describe({5, 0, TraceKind::Switch, 6, 0, {}, {}}), "Switch to LWP 6 (worker) full");
  EXPECT_EQ(log.describe({5, 0, TraceKind::Switch, 6, 1, {}, {}}),
            "Switch to LWP 6 (worker) light");
  EXPECT_EQ(log.describe({5, 0, TraceKind::LockAcquire, 1, 6, {}, {}}),
            "LockAcquire lock 1 (so_lock) by LWP 6 (worker)");
  EXPECT_EQ(log.describe({5, 0, TraceKind::DeferStart, 3, 0, {}, {}}),
            "DeferStart deferred work 3 (net_rx)");
  EXPECT_EQ(log.describe({5, 0, TraceKind::Activity, 3, 0, {}, {}}), "Activity interrupt");
  EXPECT_EQ(log.describe({5, 0, TraceKind::TrapEnter, 0, 0, {}, {}}), "TrapEnter");
}

TEST(TraceLog, ANameStaysOnOneLine) {
  TraceLog log;
  EXPECT_EQ(log.describe({0, 0, TraceKind::AnnounceLwp, 2, 0, "two\nlines\\", {}}),
            "announce LWP 2 (two\\x0alines\\x5c)");
}

TEST(ProgressLine, CountsWithThreeSignificantDigits) {
  EXPECT_EQ(short_count(950), "950");
  EXPECT_EQ(short_count(12500), "12.5 k");
  EXPECT_EQ(short_count(3'070'000), "3.07 M");
  EXPECT_EQ(short_count(50'000'000), "50 M");
  EXPECT_EQ(short_count(1.2e9), "1.2 G");
}

}  // namespace run_control_unit_test
}  // namespace irqlab::cosim
