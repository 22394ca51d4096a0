// The regression engine without irqlab runs: scenario discovery, the case matrix and its
// regress: block, shards, --rerun-failed's selection, the JUnit escaping and counts, and
// the judging of cases run by the real local launcher (shell scripts stand in for irqlab
// and leave the results.json, exit status or signal each check needs).
#include <algorithm>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "config/config_node.h"
#include "output/atomic_file.h"
#include "regress/case_matrix.h"
#include "regress/engine.h"
#include "regress/junit.h"
#include "regress/local_launcher.h"
#include "regress/scenario_discovery.h"
#include "regress/summary.h"
#include "run/run_control.h"

namespace irqlab::cosim::regress {
namespace regress_engine_test {

namespace fs = std::filesystem;

const fs::path kCosts = fs::path(IRQLAB_SOURCE_DIR) / "scenarios/costs/default.yaml";

fs::path scratch(const std::string& name) {
  const fs::path dir = fs::path(IRQLAB_TEST_SCRATCH) / "regress_engine" / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

// A scenario that loads: `kernel_extra` goes under kernel:, `more` after it.
std::string scenario_text(const std::string& kernel_extra, const std::string& more = "") {
  return "duration_cycles: 1000\nkernel:\n  cost_profile: " + kCosts.string() + "\n" +
         kernel_extra + more;
}

fs::path write(const fs::path& file, const std::string& text) {
  fs::create_directories(file.parent_path());
  std::ofstream(file) << text;
  return file;
}

std::vector<std::string> ids_of(const std::vector<RegressCase>& cases) {
  std::vector<std::string> ids;
  for (const RegressCase& c : cases) ids.push_back(c.id);
  return ids;
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "(no error)";
}

// --- discovery -------------------------------------------------------------------------

TEST(ScenarioDiscovery, FindsYamlRecursivelySkipsCostsAndSorts) {
  const fs::path dir = scratch("discovery");
  write(dir / "b.yaml", "x");
  write(dir / "sub/a.yaml", "x");
  write(dir / "sub/deeper/c.yaml", "x");
  write(dir / "notes.txt", "x");
  write(dir / "costs/profile.yaml", "x");
  write(dir / "sub/costs/other.yaml", "x");
  const std::vector<fs::path> found = discover_scenarios({dir, dir / "b.yaml"});
  EXPECT_EQ(found,
            (std::vector<fs::path>{dir / "b.yaml", dir / "sub/a.yaml", dir / "sub/deeper/c.yaml"}));
}

TEST(ScenarioDiscovery, MissingPathAndEmptyDirectoryAreErrors) {
  const fs::path dir = scratch("discovery_errors");
  EXPECT_NE(error_of([&] {
              discover_scenarios({dir / "nope"});
            }).find((dir / "nope").string() + ": no such file or directory"),
            std::string::npos);
  fs::create_directories(dir / "empty/costs");
  write(dir / "empty/costs/profile.yaml", "x");
  EXPECT_NE(error_of([&] { discover_scenarios({dir / "empty"}); }).find("no scenario file"),
            std::string::npos);
}

// --- the case matrix -------------------------------------------------------------------

TEST(CaseMatrix, DefaultIsOneCasePerPersonalitySortedById) {
  const fs::path dir = scratch("matrix_default");
  const fs::path b = write(dir / "beta.yaml", scenario_text("  personality: [netbsd, linux]\n"));
  const fs::path a = write(dir / "alpha.yaml", scenario_text("  personality: bsd43\n"));
  const std::vector<RegressCase> cases = case_matrix({b, a}, {});
  EXPECT_EQ(ids_of(cases), (std::vector<std::string>{"alpha/bsd43", "beta/linux", "beta/netbsd"}));
  EXPECT_EQ(cases[1].scenario, b);
  EXPECT_EQ(cases[1].variant, "linux");
  EXPECT_EQ(cases[1].overrides, std::vector<std::string>{"kernel.personality=linux"});
}

TEST(CaseMatrix, NoPersonalityIsTheNoneCase) {
  const fs::path dir = scratch("matrix_none");
  const fs::path s = write(dir / "plain.yaml", scenario_text(""));
  EXPECT_EQ(ids_of(case_matrix({s}, {})), std::vector<std::string>{"plain/none"});
}

TEST(CaseMatrix, RegressBlockReplacesPersonalitiesAndAddsVariants) {
  const fs::path dir = scratch("matrix_regress");
  const fs::path s =
      write(dir / "s.yaml",
            scenario_text("  personality: linux\n",
                          "regress:\n"
                          "  personalities: [freebsd, bsd43]\n"
                          "  variants:\n"
                          "    - {name: a-fast, overrides: [kernel.personality=linux, seed=3]}\n"));
  const std::vector<RegressCase> cases = case_matrix({s}, {});
  EXPECT_EQ(ids_of(cases), (std::vector<std::string>{"s/a-fast", "s/bsd43", "s/freebsd"}));
  EXPECT_EQ(cases[0].overrides, (std::vector<std::string>{"kernel.personality=linux", "seed=3"}));
  // A string in place of the list; variants alone extend the default matrix.
  const fs::path t = write(dir / "t.yaml", scenario_text("  personality: [linux, netbsd]\n",
                                                         "regress:\n  personalities: bsd43\n"));
  EXPECT_EQ(ids_of(case_matrix({t}, {})), std::vector<std::string>{"t/bsd43"});
  const fs::path u =
      write(dir / "u.yaml", scenario_text("  personality: netbsd\n",
                                          "regress:\n  variants:\n    - name: v\n      overrides: "
                                          "[kernel.personality=bsd43]\n"));
  EXPECT_EQ(ids_of(case_matrix({u}, {})), (std::vector<std::string>{"u/netbsd", "u/v"}));
}

TEST(CaseMatrix, RegressionOverridesReachTheMatrix) {
  const fs::path dir = scratch("matrix_overrides");
  const fs::path s = write(dir / "s.yaml", scenario_text("  personality: linux\n"));
  EXPECT_EQ(ids_of(case_matrix({s}, {"kernel.personality=[netbsd,bsd43]"})),
            (std::vector<std::string>{"s/bsd43", "s/netbsd"}));
}

TEST(CaseMatrix, BadRegressBlocksNameFileLineAndKey) {
  const fs::path dir = scratch("matrix_bad");
  const auto problem = [&](const std::string& name, const std::string& regress) {
    const fs::path s =
        write(dir / (name + ".yaml"), scenario_text("  personality: [linux, netbsd]\n", regress));
    return error_of([&] { case_matrix({s}, {}); });
  };
  const std::string f = (dir / "").string();
  EXPECT_NE(problem("unknown_personality", "regress:\n  personalities: [linux, vms]\n")
                .find(f + "unknown_personality.yaml:6: key 'regress.personalities': unknown "
                          "personality 'vms'"),
            std::string::npos);
  EXPECT_NE(problem("unknown_key", "regress:\n  persons: [linux]\n").find("persons"),
            std::string::npos);
  EXPECT_NE(problem("bad_name",
                    "regress:\n  variants:\n    - {name: a/b, overrides: "
                    "[kernel.personality=linux]}\n")
                .find("bad_name.yaml:7: key 'regress.variants[0].name': a variant's name ends "
                      "its case id"),
            std::string::npos);
  EXPECT_NE(
      problem("two_personalities", "regress:\n  variants:\n    - {name: v, overrides: [seed=2]}\n")
          .find("case two_personalities/v runs 2 personalities; a case runs one"),
      std::string::npos);
  EXPECT_NE(problem("twice",
                    "regress:\n  variants:\n    - {name: linux, overrides: "
                    "[kernel.personality=linux]}\n")
                .find("case twice/linux is defined twice"),
            std::string::npos);
  EXPECT_NE(problem("bad_override",
                    "regress:\n  variants:\n    - {name: v, overrides: [kernel.personality=linux, "
                    "platform.harts=99]}\n")
                .find("case bad_override/v does not load"),
            std::string::npos);
  EXPECT_NE(problem("no_cases", "regress:\n  personalities: []\n")
                .find("no_cases.yaml:6: key 'regress': the scenario gives no regression case"),
            std::string::npos);
  EXPECT_NE(
      problem("missing_overrides", "regress:\n  variants:\n    - {name: v}\n").find("overrides"),
      std::string::npos);
}

TEST(CaseMatrix, NonScenariosAndStemClashesAreErrors) {
  const fs::path dir = scratch("matrix_files");
  const fs::path notes = write(dir / "notes.yaml", "title: not a scenario\n");
  EXPECT_NE(error_of([&] { case_matrix({notes}, {}); }).find(notes.string()), std::string::npos);
  const fs::path one = write(dir / "x/same.yaml", scenario_text("  personality: linux\n"));
  const fs::path two = write(dir / "y/same.yaml", scenario_text("  personality: linux\n"));
  const std::string clash = error_of([&] { case_matrix({one, two}, {}); });
  EXPECT_NE(clash.find(one.string()), std::string::npos) << clash;
  EXPECT_NE(clash.find(two.string()), std::string::npos) << clash;
  const fs::path spaced = write(dir / "with space.yaml", scenario_text("  personality: linux\n"));
  EXPECT_NE(error_of([&] { case_matrix({spaced}, {}); }).find("rename the file"),
            std::string::npos);
}

// --- shards ----------------------------------------------------------------------------

TEST(Shard, ParsesIOverN) {
  const Shard s = parse_shard("2/3");
  EXPECT_EQ(s.index, 2u);
  EXPECT_EQ(s.count, 3u);
  for (const char* bad : {"0/3", "4/3", "x", "1/0", "1/", "/3", "1/3x", "-1/3", "1//3", ""})
    EXPECT_NE(error_of([&] { parse_shard(bad); }).find("--shard takes i/n"), std::string::npos)
        << bad;
}

// The contract's rule, written out: the case at 0-based index k of the sorted list is in
// shard (k mod n) + 1.
TEST(Shard, ShardsPartitionTheMatrixByIndexModuloN) {
  for (std::size_t size = 0; size <= 10; ++size) {
    std::vector<RegressCase> cases;
    for (std::size_t k = 0; k < size; ++k) cases.push_back({"s/" + std::to_string(k), {}, {}, {}});
    for (unsigned n = 1; n <= 5; ++n) {
      std::multiset<std::string> seen;
      for (unsigned i = 1; i <= n; ++i) {
        const std::vector<RegressCase> mine = shard_cases(cases, {i, n});
        EXPECT_EQ(ids_of(mine), ids_of(shard_cases(cases, {i, n})));  // deterministic
        std::vector<std::string> expected;
        for (std::size_t k = i - 1; k < size; k += n) expected.push_back("s/" + std::to_string(k));
        EXPECT_EQ(ids_of(mine), expected) << size << " cases, shard " << i << "/" << n;
        for (const RegressCase& c : mine) seen.insert(c.id);
      }
      std::multiset<std::string> all;
      for (const RegressCase& c : cases) all.insert(c.id);
      EXPECT_EQ(seen, all) << size << " cases in " << n << " shards";
    }
  }
}

// --- judging cases run by the local launcher ---------------------------------------------

// A job whose "irqlab" is /bin/sh running `script` with $OUT set to its output directory
// and $ID to its id.
CaseJob shell_job(const fs::path& base, const std::string& id, const std::string& script) {
  const fs::path out = base / "cases" / id;
  return {id,
          {"/bin/sh", "-c", "OUT='" + out.string() + "'; ID='" + id + "'; " + script},
          out,
          out / "run.log"};
}

const std::string kWriteOk =
    R"(printf '{"run_id": "%s", "status": "ok"}\n' "$ID" > "$OUT/results.json")";

std::vector<CaseResult> run_jobs(const std::vector<CaseJob>& jobs, unsigned parallel,
                                 std::vector<std::string>* order = nullptr) {
  LocalLauncher launcher(parallel);
  return run_cases(jobs, launcher, [&](const CaseResult& r, const Progress& p) {
    if (order) order->push_back(r.end.id);
    EXPECT_EQ(p.total, jobs.size());
  });
}

TEST(Engine, APassNeedsExitZeroThisRunsIdAndStatusOk) {
  const fs::path base = scratch("judge");
  const fs::path stale = base / "cases/stale/x/results.json";
  write(stale, R"({"run_id": "an earlier run", "status": "ok"})");
  const std::vector<CaseJob> jobs = {
      shell_job(base, "ok/linux", "echo running; " + kWriteOk),
      shell_job(base, "stale/x", "exit 0"),
      shell_job(base, "nofile/x", "echo no results; exit 0"),
      shell_job(base, "exit/x", kWriteOk + "; echo bad end >&2; exit 4"),
      shell_job(
          base, "failed/x",
          R"(printf '{"run_id": "%s", "status": "failed", "error": "kernel panic: x\\nmore", )"
          R"("expectations": {"passed": 1, "failed": 2, "checks": [)"
          R"({"metric": "a.b", "op": "<=", "expected": 3, "measured": 5, "passed": false, )"
          R"("file": "s.yaml", "line": 9, "message": "s.yaml:9: a.b: expected <= 3, measured 5"}, )"
          R"({"metric": "c", "op": "==", "expected": 0, "measured": 0, "passed": true, )"
          R"("file": "s.yaml", "line": 10, "message": "ok"}, )"
          R"({"metric": "d", "op": "!=", "expected": "x", "measured": null, "passed": false, )"
          R"("file": "s.yaml", "line": 11}]}}\n' "$ID" > "$OUT/results.json"; exit 1)"),
      shell_job(
          base, "interrupted/x",
          R"(printf '{"run_id": "%s", "status": "interrupted", "error": "--max-seconds 1"}\n' "$ID" > "$OUT/results.json"; exit 3)"),
      shell_job(base, "killed/x", kWriteOk + "; echo about to die; kill -KILL $$"),
  };
  CaseJob missing_binary = shell_job(base, "nobinary/x", "");
  missing_binary.argv = {(base / "no-such-irqlab").string(), "run"};
  std::vector<CaseJob> all = jobs;
  all.push_back(missing_binary);

  std::vector<std::string> order;
  const std::vector<CaseResult> r = run_jobs(all, 3, &order);
  ASSERT_EQ(r.size(), all.size());
  for (std::size_t i = 0; i < r.size(); ++i) {
    EXPECT_EQ(r[i].end.id, all[i].id);
    EXPECT_EQ(r[i].results_json, all[i].out_dir / "results.json");
    EXPECT_TRUE(r[i].wall_seconds.has_value()) << all[i].id;
  }
  std::sort(order.begin(), order.end());
  std::vector<std::string> ids;
  for (const CaseJob& j : all) ids.push_back(j.id);
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(order, ids);  // each reported once

  EXPECT_TRUE(r[0].passed) << r[0].reason;
  EXPECT_EQ(r[0].reason, "");
  EXPECT_EQ(r[0].details, "");

  EXPECT_FALSE(r[1].passed);
  EXPECT_NE(r[1].reason.find("results.json is from another run"), std::string::npos) << r[1].reason;

  EXPECT_FALSE(r[2].passed);
  EXPECT_EQ(r[2].reason, "missing: no results.json (exit status 0)");
  EXPECT_NE(r[2].details.find("no results\n"), std::string::npos) << r[2].details;

  EXPECT_FALSE(r[3].passed);
  EXPECT_EQ(r[3].reason, "failed: exit status 4 after a complete run");
  EXPECT_NE(r[3].details.find("bad end"), std::string::npos);

  EXPECT_FALSE(r[4].passed);
  EXPECT_EQ(r[4].reason, "failed: kernel panic: x (exit status 1)");
  // The failed checks only (not the passed one): the message when there is one, else the
  // same from the fields; then the log, empty here.
  EXPECT_EQ(r[4].details,
            "s.yaml:9: a.b: expected <= 3, measured 5\n"
            "s.yaml:11: d: expected != \"x\", measured null\n" +
                all[4].log_file.string() + " is empty\n");

  EXPECT_FALSE(r[5].passed);
  EXPECT_EQ(r[5].reason, "interrupted: --max-seconds 1 (exit status 3)");

  EXPECT_FALSE(r[6].passed);
  EXPECT_EQ(r[6].end.how, CaseEnd::How::signalled);
  EXPECT_EQ(r[6].reason, "killed by SIGKILL");
  EXPECT_NE(r[6].details.find("about to die"), std::string::npos) << r[6].details;

  EXPECT_FALSE(r[7].passed);
  EXPECT_EQ(r[7].end.how, CaseEnd::How::not_started);
  EXPECT_NE(r[7].reason.find("not started: cannot execute " + (base / "no-such-irqlab").string()),
            std::string::npos)
      << r[7].reason;
}

TEST(Engine, LogsGoToEachCasesFileAndAtMostJRunAtOnce) {
  const fs::path base = scratch("parallel");
  // Each case notes itself in a shared directory while it runs and counts who else is there.
  const fs::path running = base / "running";
  fs::create_directories(running);
  std::vector<CaseJob> jobs;
  for (int i = 0; i < 6; ++i)
    jobs.push_back(shell_job(base, "p/" + std::to_string(i),
                             "touch '" + running.string() +
                                 "/$$'; echo \"case $ID\"; "
                                 "ls '" +
                                 running.string() +
                                 "' | wc -l > \"$OUT/peers\"; sleep 0.2; "
                                 "ls '" +
                                 running.string() + "' | wc -l >> \"$OUT/peers\"; rm '" +
                                 running.string() + "/$$'; " + kWriteOk));
  const std::vector<CaseResult> r = run_jobs(jobs, 2);
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    EXPECT_TRUE(r[i].passed) << r[i].reason;
    std::ifstream log(jobs[i].log_file);
    std::string line;
    std::getline(log, line);
    EXPECT_EQ(line, "case " + jobs[i].id);
    std::ifstream peers(jobs[i].out_dir / "peers");
    unsigned count = 0;
    while (peers >> count) EXPECT_LE(count, 2u) << jobs[i].id;
  }
}

TEST(Engine, AnInterruptEndsTheRunningCaseAndStartsNoOther) {
  const fs::path base = scratch("interrupt");
  const InterruptSignals signals;
  // The first case interrupts the regression (its parent), then waits for the forwarded
  // SIGINT, which ends it with status 130 as a run would.
  const std::vector<CaseJob> jobs = {
      shell_job(base, "i/1", "trap 'exit 130' INT; kill -INT $PPID; sleep 5 & wait"),
      shell_job(base, "i/2", kWriteOk),
      shell_job(base, "i/3", kWriteOk),
  };
  const std::vector<CaseResult> r = run_jobs(jobs, 1);
  EXPECT_EQ(InterruptSignals::received(), SIGINT);
  EXPECT_EQ(r[0].end.how, CaseEnd::How::exited);
  EXPECT_EQ(r[0].end.code, 130);
  EXPECT_FALSE(r[0].passed);
  for (int i : {1, 2}) {
    EXPECT_EQ(r[i].end.how, CaseEnd::How::not_started);
    EXPECT_EQ(r[i].reason, "not started: the regression was interrupted by SIGINT");
    EXPECT_FALSE(fs::exists(jobs[i].out_dir / "results.json"));
  }
}

// --- regress.json and --rerun-failed ---------------------------------------------------

CaseResult result(const std::string& id, bool passed, CaseEnd::How how = CaseEnd::How::exited) {
  CaseResult r;
  r.end = {id, how, passed ? 0 : 1, ""};
  r.passed = passed;
  r.reason = passed ? "" : "failed: x";
  return r;
}

TEST(Summary, RerunFailedSelectsTheCasesNotPassed) {
  const fs::path base = scratch("summary");
  const std::vector<RegressCase> cases = {{"a/linux", "a.yaml", "linux", {}},
                                          {"a/netbsd", "a.yaml", "netbsd", {}},
                                          {"b/v", "b.yaml", "v", {}},
                                          {"c/bsd43", "c.yaml", "bsd43", {}}};
  const std::vector<CaseResult> results = {result("a/linux", true), result("a/netbsd", false),
                                           result("b/v", true),
                                           result("c/bsd43", false, CaseEnd::How::not_started)};
  RegressionFacts facts;
  facts.paths = {"x"};
  const nlohmann::ordered_json summary = regression_summary(facts, cases, results);
  EXPECT_EQ(summary["status"], "failed");
  EXPECT_EQ(summary["passed"], 2);
  EXPECT_EQ(summary["failed"], 2);
  write_file_atomically(base / "regress.json", summary.dump(2));
  EXPECT_EQ(failed_case_ids(base / "regress.json"), (std::set<std::string>{"a/netbsd", "c/bsd43"}));

  EXPECT_NE(error_of([&] { failed_case_ids(base / "none.json"); }).find("does not exist"),
            std::string::npos);
  write(base / "other.json", R"({"schema": "irqlab.results/3", "cases": []})");
  EXPECT_NE(
      error_of([&] { failed_case_ids(base / "other.json"); }).find("is not a regression summary"),
      std::string::npos);
}

// --- JUnit -----------------------------------------------------------------------------

TEST(Junit, EscapesMarkupControlsAndBadUtf8) {
  EXPECT_EQ(xml_escape(R"(a<b>&"c'd)"), "a&lt;b&gt;&amp;&quot;c&apos;d");
  EXPECT_EQ(xml_escape("line\nnext\tx\r"), "line&#10;next&#9;x&#13;");
  EXPECT_EQ(xml_escape(std::string("\x01\x1b[0m\x7f", 6)),
            "\xEF\xBF\xBD\xEF\xBF\xBD[0m\xEF\xBF\xBD");
  EXPECT_EQ(xml_escape("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"),
            "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80");  // é € 😀 kept
  // A lone continuation byte, a cut sequence, an overlong '/', a surrogate, U+FFFF.
  EXPECT_EQ(
      xml_escape("\x80|\xC3|\xC0\xAF|\xED\xA0\x80|\xEF\xBF\xBF"),
      "\xEF\xBF\xBD|\xEF\xBF\xBD|\xEF\xBF\xBD\xEF\xBF\xBD|\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD|"
      "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(Junit, CountsFailuresAndErrorsAndNamesCasesByScenarioAndVariant) {
  std::vector<CaseResult> results = {result("idle/linux", true), result("idle/bsd43", false),
                                     result("busy/v<1>", false, CaseEnd::How::not_started)};
  results[0].wall_seconds = 1.25;
  results[1].reason = "failed: \"x\" < 3";
  results[1].details = "s.yaml:9: m <= 3, measured 5\n";
  const std::string xml = junit_report(results, 2.5);
  EXPECT_NE(xml.find(R"(<testsuite name="irqlab" tests="3" failures="1" errors="1" time="2.500")"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find(R"(<testcase classname="idle" name="linux" time="1.250"/>)"),
            std::string::npos);
  EXPECT_NE(
      xml.find(
          R"(<failure message="failed: &quot;x&quot; &lt; 3" type="irqlab">)"
          R"(failed: &quot;x&quot; &lt; 3&#10;s.yaml:9: m &lt;= 3, measured 5&#10;</failure>)"),
      std::string::npos)
      << xml;
  EXPECT_NE(xml.find(R"(<testcase classname="busy" name="v&lt;1&gt;" time="0.000">)"),
            std::string::npos);
  EXPECT_NE(xml.find("<error message="), std::string::npos);
}

}  // namespace regress_engine_test
}  // namespace irqlab::cosim::regress
