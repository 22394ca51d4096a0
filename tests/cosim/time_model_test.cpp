// The time model end to end: a busy hart takes each interrupt at its exact cycle, longer
// instructions move the trap to the next boundary, and skipping quiescent RTL changes no
// result and no wave except the free-running counters. Expected cycles come from the
// documented constants (e2e_support.h) and the instruction-boundary law, never from a run.
#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "e2e_support.h"

namespace irqlab::test {
namespace time_model_test {

const char* const kPersonalities[] = {"linux", "freebsd", "netbsd", "bsd43"};

// One hart, a user process that never sleeps, an edge source on it at the given cycles.
std::string busy_scenario(const std::string& personality, const std::string& at, const std::string& platform = "") {
  return "name: busy\nduration_cycles: 30000\nplatform: { harts: 1" + platform + " }\nkernel:\n  cost_profile: " +
         kCostProfile + "\n  personality: " + personality +
         "\nthreads:\n  - { name: app, user: true, repeat: 0, steps: [ {user: 100000} ] }\n"
         "sources:\n  - { source: 24, priority: 3, handler_cycles: 100, stimulus: { at: [" + at + "] } }\n";
}

std::uint64_t handler_path() {
  return cost("trap_entry") + kRequestCycles + kHandshakeCycles + kResponseCycles + cost("irq_dispatch");
}

TEST(TimeModel, BusyHartTakesEachInterruptAtItsExactCycle) {
  for (const char* personality : kPersonalities) {
    SCOPED_TRACE(personality);
    const RunOutput r = run_scenario(std::string("exact_") + personality,
                                     busy_scenario(personality, "3500, 7001, 12345, 17777, 23456"), "--no-waves");
    ASSERT_EQ(r.process.exit_status, 0) << r.process.output;
    ASSERT_EQ(source_entry(r.results, 24)["handled"], 5);
    const auto samples = r.samples.of("latency", 24);
    ASSERT_EQ(samples.size(), 5U);
    for (const auto& s : samples) {
      const std::uint64_t t0 = s["t0"];
      EXPECT_EQ(s["irq"], t0 + kPlicCycles);
      EXPECT_EQ(s["t1"], t0 + kPlicCycles);  // sampling: 0 at the default instruction length
      EXPECT_EQ(s["t2"].get<std::uint64_t>() - t0, kPlicCycles + handler_path());
    }
  }
}

// Instructions of 1000 cycles: the trap waits for the next boundary. Boundaries lie at
// S + k * 1000 from the start S of the user's work; the first run finds S's phase from its
// trap cycle, and the others must trap at the next boundary of that phase.
TEST(TimeModel, LongInstructionsMoveTheTrapToTheNextBoundary) {
  constexpr std::uint64_t kLength = 1000;
  auto trap_of = [&](std::uint64_t at, const std::string& name) {
    const RunOutput r = run_scenario(name, busy_scenario("netbsd", std::to_string(at), ", instruction_cycles: 1000"),
                                     "--no-waves");
    EXPECT_EQ(r.process.exit_status, 0) << r.process.output;
    const auto s = r.samples.of("latency", 24).at(0);
    EXPECT_EQ(s["t2"].get<std::uint64_t>() - s["t1"].get<std::uint64_t>(), handler_path());
    return std::make_pair(s["irq"].get<std::uint64_t>(), s["t1"].get<std::uint64_t>());
  };
  const auto [irq0, trap0] = trap_of(3500, "boundary_0");
  ASSERT_GE(trap0, irq0);
  ASSERT_LT(trap0 - irq0, kLength);
  const std::uint64_t phase = trap0 % kLength;
  for (std::uint64_t at : {3500 + 333, 3500 + 777, 3500 + 1005, 3500 + 2999}) {
    SCOPED_TRACE(at);
    const auto [irq, trap] = trap_of(at, "boundary_" + std::to_string(at));
    const std::uint64_t next = irq + (phase + kLength - irq % kLength) % kLength;
    EXPECT_EQ(trap, next);
  }
}

// A run's results.json without what --no-skip itself changes: the override it adds and the
// resolved platform.skip_quiescent (in every run of a comparison); and without the run id a
// comparison gives each child, new at every invocation.
std::string results_but_skip_setting(const std::filesystem::path& file) {
  nlohmann::json results = read_results(file);
  auto forget = [](nlohmann::json& run) {
    run.erase("run_id");
    run["scenario"].erase("overrides");
    run["scenario"]["resolved"]["platform"].erase("skip_quiescent");
  };
  if (results.contains("runs")) {
    for (auto& [name, run] : results["runs"].items())
      if (!run.is_null()) forget(run);
  } else {
    forget(results);
  }
  return results.dump(2);
}

// Every file a run leaves, except its waves, as text by relative path.
std::map<std::string, std::string> outputs(const std::filesystem::path& out) {
  std::map<std::string, std::string> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(out)) {
    if (!entry.is_regular_file() || entry.path().filename().string().rfind("waves.", 0) == 0)
      continue;
    files[std::filesystem::relative(entry.path(), out).string()] =
        entry.path().filename() == "results.json" ? results_but_skip_setting(entry.path())
                                                  : read_text(entry.path());
  }
  return files;
}

void expect_skipping_changes_nothing(const std::string& name, const std::filesystem::path& scenario_file) {
  SCOPED_TRACE(scenario_file.string());
  const auto dir = scratch_dir(name);
  const std::string run = "run " + scenario_file.string() + " --no-waves --out ";
  const ProcessResult on = run_irqlab(run + (dir / "on").string());
  const ProcessResult off = run_irqlab(run + (dir / "off").string() + " --no-skip");
  ASSERT_EQ(on.exit_status, off.exit_status) << on.output << off.output;
  const auto a = outputs(dir / "on");
  ASSERT_FALSE(a.empty());
  EXPECT_EQ(a, outputs(dir / "off"));
}

// Scenarios that exercise the timer law: ticks with a prescale and step, interrupts on
// several harts, locks and deferred work. A shorter run asks for fewer pulses: every
// pulse must start inside the run (docs/scenario-format.md).
std::string ticking_scenario(const std::string& personality, std::uint64_t cycles = 120000,
                             unsigned random_pulses = 20, unsigned periodic_pulses = 11) {
  return "name: ticking\nseed: 3\nduration_cycles: " + std::to_string(cycles) +
         "\nplatform:\n  harts: 3\n  timer: { prescale: 3, step: 2 }\n"
         "kernel:\n  cost_profile: " +
         kCostProfile + "\n  tick_period: 2500\n  personality: " + personality +
         "\nlocks: [so_lock]\nthreads:\n  - { name: app, user: true, cpu: 0, repeat: 0, steps: [ "
         "{user: 3000}, "
         "{lock: so_lock}, {kernel: 700}, {unlock: so_lock} ] }\n"
         "sources:\n  - { source: 16, name: nic, priority: 3, handler_cycles: 200, cpus: [0], "
         "stimulus: { random: { mean_gap: 5000, count: " +
         std::to_string(random_pulses) +
         " } }, deferred: { level: net, cycles: 400, lock: so_lock } }\n"
         "  - { source: 25, priority: 5, handler_cycles: 90, stimulus: { periodic: { start: 777, "
         "period: 9973, count: " +
         std::to_string(periodic_pulses) + " } } }\n";
}

TEST(TimeModel, SkippingQuiescentRtlChangesNoResult) {
  std::vector<std::filesystem::path> files;
  for (const char* dir : {"scenarios", "bench/scenarios"}) {
    const std::filesystem::path d = std::filesystem::path(IRQLAB_SOURCE_DIR) / dir;
    if (!std::filesystem::exists(d)) continue;
    for (const auto& entry : std::filesystem::directory_iterator(d))
      if (entry.path().extension() == ".yaml") files.push_back(entry.path());
  }
  const auto generated = scratch_dir("skip_scenarios");
  for (const char* personality : kPersonalities) {
    write_text(generated / (std::string("ticking_") + personality + ".yaml"), ticking_scenario(personality));
    files.push_back(generated / (std::string("ticking_") + personality + ".yaml"));
    write_text(generated / (std::string("busy_") + personality + ".yaml"),
               busy_scenario(personality, "3500, 7001, 12345", ", instruction_cycles: { min: 1, max: 30 }"));
    files.push_back(generated / (std::string("busy_") + personality + ".yaml"));
  }
  ASSERT_GE(files.size(), 9U);
  for (std::size_t i = 0; i < files.size(); ++i)
    expect_skipping_changes_nothing("skip_" + std::to_string(i), files[i]);
}

// Signals that change on every cycle by themselves, or show such a signal combinationally:
// the clock, and the read-data nets that carry the timer's mtime while the last address
// stays on the bus. The counters themselves are not traced (rtl/timer/timer.sv).
bool free_running(const std::string& name) {
  static const std::regex counters(R"((^|\.)(clk_i|reg_rdata_o|reg_rdata_i|reg_rdata|dev_rdata)$)");
  return std::regex_search(name, counters);
}

TEST(TimeModel, SkippingKeepsEveryWaveChangeButTheFreeRunningCounters) {
  const auto dir = scratch_dir("skip_waves");
  // 40000 cycles: 7 random pulses (expected end 7 × 5002) and 4 periodic ones fit.
  write_text(dir / "s.yaml", ticking_scenario("netbsd", 40000, 7, 4));
  const std::string run = "run " + (dir / "s.yaml").string() + " -c waves.depth=99 --out ";
  const ProcessResult on = run_irqlab(run + (dir / "on").string());
  const ProcessResult off = run_irqlab(run + (dir / "off").string() + " --no-skip");
  ASSERT_EQ(on.exit_status, 0) << on.output;
  ASSERT_EQ(off.exit_status, 0) << off.output;
  const VcdReader a(vcd_of(dir / "on/waves.fst"));
  const VcdReader b(vcd_of(dir / "off/waves.fst"));
  ASSERT_EQ(a.names(), b.names());
  std::size_t compared = 0, counters = 0;
  for (const std::string& name : a.names()) {
    const auto skipped = a.changes(name);
    const auto clocked = b.changes(name);
    if (!free_running(name)) {
      ++compared;
      ASSERT_EQ(skipped.size(), clocked.size()) << name;
      for (std::size_t i = 0; i < skipped.size(); ++i) {
        EXPECT_EQ(skipped[i].time, clocked[i].time) << name;
        EXPECT_EQ(skipped[i].value, clocked[i].value) << name << " at " << skipped[i].time;
      }
      continue;
    }
    // A counter agrees wherever the skipping run records it.
    ++counters;
    for (const ValueChange& c : skipped) EXPECT_EQ(b.value_at(name, c.time), c.value) << name << " at " << c.time;
  }
  EXPECT_GT(compared, 100U);
  EXPECT_GT(counters, 4U);
  EXPECT_FALSE(a.has(kTop + "u_soc.u_timer.mtime_q"));
}

// Every file a run leaves, its waves as VCD text without the date an FST records.
std::map<std::string, std::string> outputs_and_waves(const std::filesystem::path& out) {
  std::map<std::string, std::string> files = outputs(out);
  for (const auto& entry : std::filesystem::recursive_directory_iterator(out)) {
    const std::string name = entry.path().filename().string();
    if (!entry.is_regular_file() || name.rfind("waves.", 0) != 0) continue;
    files[std::filesystem::relative(entry.path(), out).string()] =
        name == "waves.fst" ? strip_date(vcd_of(entry.path())) : read_text(entry.path());
  }
  return files;
}

// The RTL clock leaves a falling edge unevaluated when no input changed since the last
// evaluation, and evaluates the rising edge without Verilator's input pass (rtl/clock_edge.h).
// Every output, results and waves with every signal, is what a whole eval() at every edge
// gives: for every scenario with skipping on (the edges around
// each burst of activity), and with skipping off (every cycle stepped) on the generated ones.
// A scenario file runs under freebsd alone (its ithreads mask PLIC sources: the most bus
// traffic; four personalities would take four times the CPU), its waves cover its
// first 100 000 cycles (traffic, jobs, ticks).
TEST(TimeModel, ElidedEvaluationsChangeNoOutput) {
  std::vector<std::pair<std::filesystem::path, std::string>> runs;  // scenario, options
  for (const char* dir : {"scenarios", "bench/scenarios"})
    for (const auto& entry :
         std::filesystem::directory_iterator(std::filesystem::path(IRQLAB_SOURCE_DIR) / dir))
      if (entry.path().extension() == ".yaml")
        runs.emplace_back(entry.path(), " -c waves.end=100000 -c kernel.personality=freebsd");
  const auto generated = scratch_dir("falling_scenarios");
  write_text(generated / "ticking.yaml", ticking_scenario("freebsd", 40000, 7, 4));
  write_text(generated / "busy.yaml", busy_scenario("netbsd", "3500, 7001, 12345",
                                                    ", instruction_cycles: { min: 1, max: 30 }"));
  for (const char* options : {"", " --no-skip"}) {
    runs.emplace_back(generated / "ticking.yaml", options);
    runs.emplace_back(generated / "busy.yaml", options);
  }
  ASSERT_GE(runs.size(), 12U);
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const auto& [scenario, options] = runs[i];
    SCOPED_TRACE(scenario.string() + options);
    const auto dir = scratch_dir("falling_" + std::to_string(i));
    const std::string run = "run " + scenario.string() + " -c waves.depth=99" + options + " --out ";
    const ProcessResult elided = run_irqlab(run + (dir / "elided").string());
    const ProcessResult every =
        run_irqlab(run + (dir / "every").string() + " --eval-every-falling-edge");
    ASSERT_EQ(elided.exit_status, every.exit_status) << elided.output << every.output;
    const auto a = outputs_and_waves(dir / "elided");
    ASSERT_TRUE(a.count("results.json") == 1) << elided.output;
    EXPECT_EQ(a, outputs_and_waves(dir / "every"));
  }
}

TEST(TimeModel, QuiescentCyclesAreSkipped) {
  // One interrupt per 100 000 cycles with ticks on: the RTL has work on a few cycles only.
  const auto dir = scratch_dir("sparse");
  write_text(dir / "s.yaml", "name: sparse\nduration_cycles: 1000000\nplatform: { harts: 2 }\nkernel:\n  cost_profile: " +
                                 kCostProfile + "\n  tick_period: 100000\nsources:\n  - { source: 16, priority: 2, "
                                 "handler_cycles: 100, stimulus: { periodic: { start: 5000, period: 100000, count: 10 } } }\n");
  const ProcessResult p = run_irqlab("--log info run " + (dir / "s.yaml").string() + " --no-waves --out " + (dir / "out").string());
  ASSERT_EQ(p.exit_status, 0) << p.output;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(p.output, m, std::regex(R"(RTL evaluated ([0-9]+) cycles, skipped ([0-9]+))")))
      << p.output;
  EXPECT_EQ(std::stoull(m[1]) + std::stoull(m[2]), 1'000'000U);
  EXPECT_LT(std::stoull(m[1]), 10'000U);
}

TEST(Waves, WindowAndDepthSelectWhatIsWritten) {
  const std::string yaml = scenario("  - { source: 24, priority: 3, handler_cycles: 100, cpus: [0], "
                                    "stimulus: { at: [1000, 6000, 12000] } }\n");
  const RunOutput window = run_scenario("waves_window", yaml, "-c waves.start=5000 -c waves.end=9000");
  ASSERT_EQ(window.process.exit_status, 0) << window.process.output;
  const VcdReader w(vcd_of(window.dir / "out/waves.fst"));
  const auto rises = w.changes(kTop + "irq_src_o");
  ASSERT_FALSE(rises.empty());
  for (const ValueChange& c : rises) {
    EXPECT_GE(c.time, 5000 * kPeriodPs);
    EXPECT_LT(c.time, 9000 * kPeriodPs);
  }
  // The pulse at 6000 is inside the window, at its cycle's falling edge.
  EXPECT_EQ(w.first_time(kTop + "irq_src_o", [](std::uint64_t v) { return (v >> 24) & 1U; }),
            6000 * kPeriodPs + kPeriodPs / 2);

  EXPECT_FALSE(w.has(kTop + "u_soc.u_plic.ip_q"));  // default depth 2: the top and the SoC's nets
  EXPECT_TRUE(w.has(kTop + "u_soc.reg_req"));
  EXPECT_TRUE(w.has(kTop + "g_hart[0].u_kernel.activity"));  // probes at any depth
  EXPECT_TRUE(w.has(kTop + "g_lock[0].u_lock.owner"));
  const RunOutput deep = run_scenario("waves_deep", yaml, "-c waves.depth=99");
  ASSERT_EQ(deep.process.exit_status, 0) << deep.process.output;
  EXPECT_TRUE(VcdReader(vcd_of(deep.dir / "out/waves.fst")).has(kTop + "u_soc.u_plic.gen_target[0].u_target.irq_q"));
}

void expect_scenario_error(const std::string& name, const std::string& extra, const std::string& key) {
  SCOPED_TRACE(extra);
  const auto dir = scratch_dir(name);
  write_text(dir / "s.yaml", scenario(""));
  const ProcessResult p = run_irqlab("run " + (dir / "s.yaml").string() + " " + extra + " --out " + (dir / "out").string());
  EXPECT_EQ(p.exit_status, 2) << p.output;
  EXPECT_NE(p.output.find(key), std::string::npos) << p.output;
}

TEST(BadInput, InstructionLengthsAndSkipSettingsAreChecked) {
  expect_scenario_error("instr_zero", "-c platform.instruction_cycles=0", "platform.instruction_cycles");
  expect_scenario_error("instr_negative", "-c platform.instruction_cycles=-3", "platform.instruction_cycles");
  expect_scenario_error("instr_absurd", "-c platform.instruction_cycles=100000000", "platform.instruction_cycles");
  expect_scenario_error("instr_inverted", "-c 'platform.instruction_cycles={min: 9, max: 2}'",
                        "platform.instruction_cycles.max");
  expect_scenario_error("instr_key", "-c 'platform.instruction_cycles={min: 1, mean: 2}'",
                        "platform.instruction_cycles.mean");
  expect_scenario_error("step_removed", "-c platform.step_cycles=50", "platform.step_cycles");
  expect_scenario_error("skip_type", "-c platform.skip_quiescent=maybe", "platform.skip_quiescent");
  expect_scenario_error("skip_contradiction", "--no-skip -c platform.skip_quiescent=true", "--no-skip");
}

TEST(BadInput, WaveWindowOutsideTheRunIsNamed) {
  // The scenario runs 20000 cycles.
  expect_scenario_error("waves_late", "-c waves.start=20000", "waves.start");
  expect_scenario_error("waves_past", "-c waves.end=20001", "waves.end");
  expect_scenario_error("waves_empty", "-c waves.start=500 -c waves.end=500", "waves.end");
  expect_scenario_error("waves_depth", "-c waves.depth=0", "waves.depth");
  expect_scenario_error("waves_key", "-c waves.colour=red", "waves.colour");
}

}  // namespace time_model_test
}  // namespace irqlab::test
