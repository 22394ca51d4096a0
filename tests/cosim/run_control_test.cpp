// Run control end to end (docs/architecture.md, "Run life cycle"): signals and watchdogs
// end a run at a cycle boundary with complete outputs; a second SIGINT aborts; running
// in pieces changes no result; a reused directory loses irqlab's outputs only; a
// comparison reports every child's fate and reads only results of the run it made; the
// command line's global options, -c, --version and unknown subcommands; the progress line
// on a terminal only.
#include <gtest/gtest.h>
#include <regex>

#include "e2e_support.h"
#include "irqlab_child.h"

namespace irqlab::test {
namespace run_control_test {

namespace fs = std::filesystem;

// Long enough that it is always stopped before its end: one personality of the default
// scenario, for 2e8 cycles (minutes).
// Long enough that no run of it ends before the test stops it, on an idle machine too.
constexpr std::uint64_t kLongCycles = 20'000'000'000;
// Its waves: the first 10^9 cycles, under the waves' size limit (scenario/waves_estimate.h).
const std::string kLongWaves = "waves.end=1000000000";
const std::string kDefaultScenario = std::string(IRQLAB_SOURCE_DIR) + "/scenarios/default.yaml";

std::vector<std::string> long_run(const fs::path& out, const std::string& personality = "linux") {
  return {"run",   kDefaultScenario,
          "-c",    "duration_cycles=" + std::to_string(kLongCycles),
          "-c",    "kernel.personality=" + personality,
          "-c",    kLongWaves,
          "--out", out.string()};
}

// The last time stamp of a VCD ("#<ps>" lines), in picoseconds.
std::uint64_t last_time_ps(const std::string& vcd) {
  const auto at = vcd.rfind("\n#");
  return at == std::string::npos ? 0 : std::stoull(vcd.substr(at + 2));
}

// Starts a long run, signals it once it simulates, and checks what it leaves.
void expect_interrupted_by(int signal, const std::string& name, int expected_exit) {
  const fs::path dir = scratch_dir(name);
  RunningIrqlab run(long_run(dir / "out"), dir / "output.txt");
  // The FST exists once the platform is built; then let it simulate a little.
  ASSERT_TRUE(wait_until([&] { return fs::exists(dir / "out/waves.fst"); }));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  run.signal(signal);
  const Ended ended = run.wait();
  ASSERT_EQ(ended.exit_status, expected_exit) << ended.output;

  const nlohmann::json results = read_json(dir / "out/results.json");
  EXPECT_EQ(results["status"], "interrupted");
  EXPECT_EQ(results["error"],
            "interrupted by " + std::string(signal == SIGINT ? "SIGINT" : "SIGTERM"));
  const std::uint64_t reached = results["simulated_cycles"];
  EXPECT_GT(reached, 0U);
  EXPECT_LT(reached, kLongCycles);
  // The other outputs of the normal end path: samples, the .gtkw, a closed FST (its
  // sidecar gone) that fst2vcd reads up to the cycle reached, and not beyond it.
  EXPECT_TRUE(fs::exists(dir / "out/samples.jsonl"));
  EXPECT_NE(read_text(dir / "out/waves.gtkw").find("waves.fst"), std::string::npos);
  EXPECT_FALSE(fs::exists(dir / "out/waves.fst.hier"));
  const std::string vcd = vcd_of(dir / "out/waves.fst");
  ASSERT_NE(vcd.find("$enddefinitions"), std::string::npos) << "fst2vcd read nothing";
  const std::uint64_t end_ps = last_time_ps(vcd);
  EXPECT_LE(end_ps, reached * kPeriodPs);
  EXPECT_GT(end_ps, 0U);
  EXPECT_NE(ended.output.find("interrupted by"), std::string::npos) << ended.output;
}

TEST(Interrupt, SigintEndsTheRunWithCompleteOutputs) {
  expect_interrupted_by(SIGINT, "sigint", 130);
}

TEST(Interrupt, SigtermEndsTheRunWithCompleteOutputs) {
  expect_interrupted_by(SIGTERM, "sigterm", 143);
}

TEST(Interrupt, ASecondSigintAbortsAtOnce) {
  const fs::path dir = scratch_dir("sigint_twice");
  // Pieces of 2e9 cycles: the run looks at the first SIGINT only after seconds, so the
  // second one surely comes while the first is being served.
  std::vector<std::string> args = long_run(dir / "out");
  args.insert(args.end(), {"--piece-cycles", "2000000000"});
  RunningIrqlab run(args, dir / "output.txt");
  ASSERT_TRUE(wait_until([&] { return fs::exists(dir / "out/waves.fst"); }));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  run.signal(SIGINT);
  // Once delivered (two pending SIGINTs would merge into one).
  ASSERT_TRUE(wait_until([&] { return !signal_pending(run.pid(), SIGINT); }, 10));
  run.signal(SIGINT);
  const Ended ended = run.wait();
  EXPECT_EQ(ended.signal, SIGINT) << ended.output;
  EXPECT_FALSE(fs::exists(dir / "out/results.json"));
}

TEST(Interrupt, HostTimeWatchdogEndsTheRunQuietlyOffATerminal) {
  const fs::path dir = scratch_dir("max_seconds");
  std::vector<std::string> args = long_run(dir / "out");
  args.insert(args.end(), {"--max-seconds", "2.5"});
  RunningIrqlab run(args, dir / "output.txt");
  const Ended ended = run.wait();
  ASSERT_EQ(ended.exit_status, 3) << ended.output;
  const nlohmann::json results = read_json(dir / "out/results.json");
  EXPECT_EQ(results["status"], "interrupted");
  EXPECT_TRUE(results["error"].get<std::string>().starts_with(
      "interrupted by --max-seconds 2.5 (host time "))
      << results["error"];
  EXPECT_GT(results["simulated_cycles"].get<std::uint64_t>(), 0U);
  // Longer than the progress line's quiet time, but output is a file: no progress line.
  EXPECT_EQ(ended.output.find('\r'), std::string::npos) << ended.output;
  EXPECT_EQ(ended.output.find("ETA"), std::string::npos) << ended.output;
}

TEST(Interrupt, MemoryWatchdogEndsTheRun) {
  const fs::path dir = scratch_dir("max_rss");
  std::vector<std::string> args = long_run(dir / "out");
  args.insert(args.end(), {"--max-rss", "1M", "--no-waves"});
  RunningIrqlab run(args, dir / "output.txt");
  const Ended ended = run.wait();
  ASSERT_EQ(ended.exit_status, 3) << ended.output;
  const nlohmann::json results = read_json(dir / "out/results.json");
  EXPECT_EQ(results["status"], "interrupted");
  EXPECT_TRUE(
      results["error"].get<std::string>().starts_with("interrupted by --max-rss 1 MiB (resident "))
      << results["error"];
}

TEST(Progress, ShownOnATerminalForALongRun) {
  const fs::path dir = scratch_dir("progress_terminal");
  std::vector<std::string> args = long_run(dir / "out");
  args.insert(args.end(), {"--max-seconds", "3"});
  const Ended ended = run_irqlab_on_terminal(args);
  ASSERT_EQ(ended.exit_status, 3) << ended.output;
  // "linux  1.23 M / 20 G cycles  0%  412 k cycles/s  ETA 8 min 05 s", redrawn with \r.
  const std::regex line(
      R"(\rlinux  [0-9.]+( [kMG])? / 20 G cycles  [0-9]+%  [0-9.]+( [kMG])? cycles/s  ETA [0-9])");
  EXPECT_TRUE(std::regex_search(ended.output, line)) << ended.output;
}

TEST(Progress, NotShownForAShortRunOnATerminal) {
  const fs::path dir = scratch_dir("progress_short");
  const Ended ended =
      run_irqlab_on_terminal({"run", kDefaultScenario, "-c", "kernel.personality=linux",
                              "--no-waves", "--out", (dir / "out").string()});
  ASSERT_EQ(ended.exit_status, 0) << ended.output;
  EXPECT_EQ(ended.output.find("ETA"), std::string::npos) << ended.output;
}

// Results, samples and waves of runs made in pieces of a few hundred cycles equal those
// of runs made in one piece: one hart with random and periodic sources, two harts with
// threads, a lock and deferred work, both harts trapped by one line, the NIC, IPsec.
TEST(Pieces, RunningInPiecesChangesNoResult) {
  const std::string source = std::string(IRQLAB_SOURCE_DIR) + "/scenarios/";
  const fs::path one_hart = scratch_dir("pieces_scenario") / "one_hart.yaml";
  write_text(one_hart,
             scenario("  - source: 17\n    priority: 2\n    handler_cycles: 300\n"
                      "    stimulus: { random: { mean_gap: 900, count: 30 } }\n"
                      "  - source: 25\n    priority: 5\n    handler_cycles: 80\n"
                      "    stimulus: { periodic: { start: 100, period: 1499, count: 20 } }\n",
                      1, 40000));
  const std::vector<std::pair<std::string, std::vector<std::string>>> runs = {
      {"one_hart", {one_hart.string()}},
      {"default", {source + "default.yaml", "-c", "kernel.personality=freebsd"}},
      {"busy", {std::string(IRQLAB_SOURCE_DIR) + "/bench/scenarios/busy.yaml"}},
      {"nic",
       {source + "nic.yaml", "-c", "kernel.personality=linux", "-c", "duration_cycles=60000"}},
      {"ipsec",
       {source + "ipsec.yaml", "-c", "kernel.personality=bsd43", "-c", "duration_cycles=60000"}},
  };
  for (const auto& [name, scenario_args] : runs) {
    SCOPED_TRACE(name);
    std::map<std::string, std::string> vcd;
    std::map<std::string, std::string> results;
    std::map<std::string, std::string> samples;
    for (const std::string pieces : {"0", "333"}) {
      const fs::path out = scratch_dir("pieces_" + name + "_" + pieces);
      std::vector<std::string> args{"run"};
      args.insert(args.end(), scenario_args.begin(), scenario_args.end());
      args.insert(args.end(), {"--out", out.string(), "--piece-cycles", pieces});
      RunningIrqlab run(args, out.parent_path() / ("pieces_" + name + "_" + pieces + ".txt"));
      const Ended ended = run.wait();
      ASSERT_EQ(ended.exit_status, 0) << ended.output;
      results[pieces] = read_text(out / "results.json");
      samples[pieces] = read_text(out / "samples.jsonl");
      vcd[pieces] = strip_date(vcd_of(out / "waves.fst"));
    }
    EXPECT_EQ(results["0"], results["333"]);
    EXPECT_EQ(samples["0"], samples["333"]);
    EXPECT_GT(vcd["0"].size(), 1000U);
    EXPECT_TRUE(vcd["0"] == vcd["333"]) << "waves differ";
  }
}

TEST(OutputDir, AReusedDirectoryLosesIrqlabsOutputsOnly) {
  const fs::path dir = scratch_dir("reused");
  const fs::path out = dir / "out";
  fs::create_directories(out / "waves-filters");
  fs::create_directories(out / "report-plots");
  for (const char* stale :
       {"waves.fst", "waves.fst.hier", "waves.gtkw", "report.html", "tx.pcap", "timeline.json",
        "waves-filters/lwp.txt", "report-plots/cdf.png", ".results.json.tmp-99"})
    write_text(out / stale, "stale");
  write_text(out / "notes.txt", "mine");
  const ProcessResult p = run_irqlab("run " + kDefaultScenario +
                                     " -c kernel.personality=linux "
                                     "--no-waves --out " +
                                     out.string());
  ASSERT_EQ(p.exit_status, 0) << p.output;
  std::vector<std::string> left;
  for (const auto& e : fs::recursive_directory_iterator(out))
    left.push_back(fs::relative(e.path(), out).string());
  std::sort(left.begin(), left.end());
  // What a run without waves writes, and the foreign file; none of them the stale text.
  EXPECT_EQ(left, (std::vector<std::string>{"latency-histogram-us.txt", "latency-histogram.txt",
                                            "notes.txt", "results.json", "samples.jsonl",
                                            "timeline.json"}));
  for (const std::string& name : left) EXPECT_NE(read_text(out / name), "stale") << name;
  EXPECT_EQ(read_text(out / "notes.txt"), "mine");
}

// A comparison whose first child is killed with SIGKILL: reported on stderr, in the
// table and the comparison file, in the exit status; the stale results.json an earlier
// run left in that child's directory is not read; an earlier comparison's directory of a
// personality not in this one is gone; a foreign file stays.
TEST(Comparison, AKilledChildIsReportedAndStaleResultsAreNotRead) {
  const fs::path dir = scratch_dir("compare_killed");
  const fs::path out = dir / "out";
  fs::create_directories(out / "linux");
  fs::create_directories(out / "netbsd");
  write_text(out / "linux/results.json",
             R"({"schema": "irqlab.results/2", "status": "ok", "run_id": null})");
  write_text(out / "netbsd/results.json", R"({"schema": "irqlab.results/2", "status": "ok"})");
  write_text(out / "notes.txt", "mine");
  RunningIrqlab parent(
      {"run", kDefaultScenario, "-c", "duration_cycles=" + std::to_string(kLongCycles), "-c",
       "kernel.personality=[linux, freebsd]", "--no-waves", "--max-seconds", "1.5", "--out",
       out.string()},
      dir / "output.txt");
  pid_t child = 0;
  ASSERT_TRUE(wait_until([&] {
    const std::vector<pid_t> children = children_of(parent.pid());
    if (!children.empty()) child = children.front();
    return child != 0;
  }));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  kill(child, SIGKILL);
  const Ended ended = parent.wait();
  EXPECT_EQ(ended.exit_status, 1) << ended.output;
  EXPECT_NE(ended.output.find("linux: killed: killed by SIGKILL"), std::string::npos)
      << ended.output;
  EXPECT_TRUE(std::regex_search(ended.output, std::regex(R"(status +killed +interrupted\n)")))
      << ended.output;

  const nlohmann::json doc = read_json(out / "results.json");
  EXPECT_EQ(doc["schema"], "irqlab.comparison/2");
  EXPECT_EQ(doc["status"], "failed");
  EXPECT_EQ(doc["children"]["linux"],
            nlohmann::json::parse(R"({"status": "killed", "exit": null, "signal": 9,
                                      "message": "killed by SIGKILL"})"));
  EXPECT_TRUE(doc["runs"]["linux"].is_null());
  EXPECT_EQ(doc["children"]["freebsd"]["status"], "interrupted");
  EXPECT_EQ(doc["children"]["freebsd"]["exit"], 3);
  EXPECT_EQ(doc["runs"]["freebsd"]["status"], "interrupted");
  EXPECT_TRUE(doc["runs"]["freebsd"]["run_id"].is_string());
  EXPECT_FALSE(fs::exists(out / "linux/results.json"));
  EXPECT_FALSE(fs::exists(out / "netbsd"));
  EXPECT_EQ(read_text(out / "notes.txt"), "mine");
}

// SIGINT to the parent reaches the running child once (its own process group keeps a
// terminal's Ctrl-C from reaching it twice); the child ends with its outputs, the next
// personality does not start, and the comparison is written with what there is.
TEST(Comparison, SigintIsForwardedAndTheComparisonIsWrittenWithWhatItHas) {
  const fs::path dir = scratch_dir("compare_sigint");
  const fs::path out = dir / "out";
  RunningIrqlab parent(
      {"run", kDefaultScenario, "-c", "duration_cycles=" + std::to_string(kLongCycles), "-c",
       "kernel.personality=[netbsd, bsd43]", "-c", kLongWaves, "--out", out.string()},
      dir / "output.txt");
  ASSERT_TRUE(wait_until([&] { return fs::exists(out / "netbsd/waves.fst"); }));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  parent.signal(SIGINT);
  const Ended ended = parent.wait();
  EXPECT_EQ(ended.exit_status, 130) << ended.output;
  const nlohmann::json doc = read_json(out / "results.json");
  EXPECT_EQ(doc["status"], "interrupted");
  EXPECT_EQ(doc["error"], "interrupted by SIGINT");
  EXPECT_EQ(doc["children"]["netbsd"],
            nlohmann::json::parse(R"({"status": "interrupted", "exit": 130, "signal": null,
                                      "message": "interrupted by SIGINT"})"));
  EXPECT_EQ(doc["runs"]["netbsd"]["status"], "interrupted");
  EXPECT_EQ(doc["children"]["bsd43"]["status"], "missing");
  EXPECT_EQ(doc["children"]["bsd43"]["message"],
            "not run: the comparison was interrupted by SIGINT");
  EXPECT_FALSE(fs::exists(out / "bsd43"));
  EXPECT_FALSE(fs::exists(out / "netbsd/waves.fst.hier"));
}

// A parent killed outright takes its child with it: the child gets SIGTERM and ends its
// run with its outputs.
TEST(Comparison, ChildrenDieWithTheParent) {
  const fs::path dir = scratch_dir("compare_parent_killed");
  const fs::path out = dir / "out";
  RunningIrqlab parent(
      {"run", kDefaultScenario, "-c", "duration_cycles=" + std::to_string(kLongCycles), "-c",
       "kernel.personality=[linux, netbsd]", "--no-waves", "--out", out.string()},
      dir / "output.txt");
  pid_t child = 0;
  ASSERT_TRUE(wait_until([&] {
    const std::vector<pid_t> children = children_of(parent.pid());
    if (!children.empty()) child = children.front();
    return child != 0;
  }));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  parent.signal(SIGKILL);
  parent.wait();
  EXPECT_TRUE(wait_until([&] { return fs::exists(out / "linux/results.json"); }, 20));
  EXPECT_TRUE(wait_until([&] { return !process_exists(child); }, 20));
  const nlohmann::json results = read_json(out / "linux/results.json");
  EXPECT_EQ(results["status"], "interrupted");
  EXPECT_EQ(results["error"], "interrupted by SIGTERM");
}

TEST(CommandLine, VersionNamesTheVersionAndCommit) {
  const ProcessResult p = run_irqlab("--version");
  EXPECT_EQ(p.exit_status, 0);
  const std::regex expected(
      "irqlab " + std::regex_replace(std::string(IRQLAB_VERSION), std::regex("\\."), "\\.") +
      R"( \(commit ([0-9a-f]{7,}(-dirty)?|unknown)\)\n)");
  EXPECT_TRUE(std::regex_match(p.output, expected)) << p.output;
}

TEST(CommandLine, GlobalOptionsAfterTheSubcommandAndLogLinesWithNames) {
  const fs::path dir = scratch_dir("log_after_run");
  const ProcessResult p =
      run_irqlab("run --log debug " + kDefaultScenario +
                 " -c kernel.personality=linux --no-waves --out " + (dir / "out").string());
  ASSERT_EQ(p.exit_status, 0) << p.output;
  // default.yaml: the timer of hart 0 is source 1 in the SoC (docs/rtl.md) and named timer0
  // in results.json; its source 16 is "nic", served on hart 0.
  EXPECT_NE(p.output.find(": Claim source 16 (nic)"), std::string::npos) << p.output;
  EXPECT_NE(p.output.find("announce source 17 (random)"), std::string::npos);
  EXPECT_NE(p.output.find("announce lock"), std::string::npos);
  EXPECT_TRUE(
      std::regex_search(p.output, std::regex(R"(: Switch to LWP [0-9]+ \([^)]+\) (full|light))")));
  EXPECT_EQ(p.output.find("0x"), std::string::npos) << "numbers in hex";
}

TEST(CommandLine, ConfigTakesExactlyOneKeyValue) {
  const fs::path dir = scratch_dir("config_one");
  write_text(dir / "mine.yaml", read_text(kDefaultScenario));
  // Not default.yaml: a copy elsewhere, whose cost profile path is relative to it.
  fs::create_directories(dir / "costs");
  fs::copy_file(std::string(IRQLAB_SOURCE_DIR) + "/scenarios/costs/default.yaml",
                dir / "costs/default.yaml");
  std::string text = read_text(dir / "mine.yaml");
  text.replace(text.find("name: default"), 13, "name: mine");
  write_text(dir / "mine.yaml", text);
  const ProcessResult p =
      run_irqlab("run -c seed=2 " + (dir / "mine.yaml").string() +
                 " -c kernel.personality=linux --no-waves --out " + (dir / "out").string());
  ASSERT_EQ(p.exit_status, 0) << p.output;
  const nlohmann::json results = read_json(dir / "out/results.json");
  EXPECT_EQ(results["scenario"]["name"], "mine");
  EXPECT_EQ(results["scenario"]["seed"], 2);

  const ProcessResult bad = run_irqlab("run -c seed " + kDefaultScenario);
  EXPECT_EQ(bad.exit_status, 2);  // bad input, as documented
  EXPECT_NE(bad.output.find("-c takes one key=value, got 'seed'"), std::string::npos) << bad.output;
}

TEST(CommandLine, AnUnknownSubcommandNamesTheValidOnes) {
  const ProcessResult typo = run_irqlab("lsit");
  EXPECT_EQ(typo.exit_status, 2);
  EXPECT_EQ(typo.output,
            "irqlab: unknown subcommand 'lsit'; did you mean 'list'? The subcommands are: run, "
            "regress, tune, list, report, waves.\n");
  const ProcessResult version = run_irqlab("--log warn version");
  EXPECT_EQ(version.exit_status, 2);
  EXPECT_EQ(version.output,
            "irqlab: unknown subcommand 'version'. The subcommands are: run, regress, tune, list, "
            "report, waves. "
            "The version: "
            "irqlab --version.\n");
}

}  // namespace run_control_test
}  // namespace irqlab::test
