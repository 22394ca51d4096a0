// irqlab-bench: simulation speed of irqlab against two references, interleaved in one run.
//
//   bare --cc loop    the co-simulation's Verilated SoC top clocked from a C++ loop, no CPU,
//                     kernel or SystemC: the fastest the RTL can go (harness_bare.cpp);
//   --sc model        the same top Verilated with --sc, clocked by an sc_clock through
//                     sc_signal ports, as Verilator's SystemC examples do (harness_sc.cpp);
//   irqlab            `irqlab run` on the workload's scenario, waves and timeline off, with
//                     skipping of quiescent RTL on and, where irqlab has the switch, off;
//                     then with each output sink on alone (waves, the Perfetto timeline),
//                     so that each sink's cost is its row's ratio to the irqlab row; with
//                     --reference-irqlab, also another irqlab build (e.g. main's) run with
//                     its own defaults apart from waves, so that a change's cost is
//                     measured in the same rounds.
// Every measurement is a child process (SystemC elaborates once per process). Each round
// runs every workload's harnesses in turn, so that a change in the shared machine's load
// falls on all of them alike; tables give medians over the rounds. It measures and
// asserts nothing.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <systemc>
#include <thread>

#include "child.h"
#include "config/config_node.h"
#include "report.h"
#include "workloads.h"

namespace {

using namespace irqlab::bench;

// One child to run per round, and the series its figures go to.
struct Measured {
  std::size_t series;
  std::vector<std::string> argv;
};

// The output sinks a measurement turns on (each is off unless listed); a binary that
// predates a sink's switch is run without it (`timeline_known` false).
struct Sinks {
  bool waves = false;
  bool timeline = false;
  bool timeline_known = true;
};

// irqlab's own speed covers the simulation and, with waves, writing and closing them.
std::vector<std::string> irqlab_command(const std::string& binary, const Workload& w,
                                        const std::vector<std::string>& overrides,
                                        const std::filesystem::path& out, bool skip, Sinks sinks) {
  std::vector<std::string> argv{binary, "--log", "info", "run", w.scenario, "--out", out};
  for (const std::string& o : overrides) argv.insert(argv.end(), {"-c", o});
  if (!skip) argv.emplace_back("--no-skip");
  if (!sinks.waves) argv.emplace_back("--no-waves");
  if (sinks.timeline_known)
    argv.insert(argv.end(), {"-c", sinks.timeline ? "timeline=true" : "timeline=false"});
  return argv;
}

void measure(const std::vector<std::string>& argv, Series& series) {
  const ChildResult r = run_child(argv);
  const std::optional<double> speed = logged_speed(r.output);
  if (r.exit_code != 0 || !speed)
    throw std::runtime_error(argv[0] + " failed (exit " + std::to_string(r.exit_code) + "):\n" + r.output);
  series.cycles_per_s.push_back(*speed);
  series.peak_rss_kb.push_back(r.peak_rss_kb);
}

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

// Creates a fresh directory for schedules and irqlab's outputs; removed on exit.
struct ScratchDir {
  ScratchDir() {
    std::string name = (std::filesystem::temp_directory_path() / "irqlab-bench-XXXXXX").string();
    if (mkdtemp(name.data()) == nullptr) throw std::runtime_error("cannot create a directory in /tmp");
    path = name;
  }
  ~ScratchDir() { std::filesystem::remove_all(path); }
  std::filesystem::path path;
};

int run_bench(int argc, char* argv[]) {
  const std::vector<Workload> workloads = all_workloads(IRQLAB_SOURCE_DIR);
  std::vector<std::string> names;
  for (const Workload& w : workloads) names.push_back(w.name);

  CLI::App app{"irqlab-bench: irqlab's speed against a bare Verilator loop and a --sc model under SystemC"};
  double cycles_option = 2e6;  // a double, so that 2e6 works on the command line
  unsigned rounds = 5;
  std::vector<std::string> selected;
  std::filesystem::path json = "bench-results.json";
  std::string reference;
  app.add_option("--cycles", cycles_option, "cycles per measurement")
      ->capture_default_str()
      ->check(CLI::Validator(
          [](const std::string& text) {
            char* end = nullptr;
            const double v = std::strtod(text.c_str(), &end);
            return *end == '\0' && v >= 1 && v == std::floor(v) ? "" : "expected a whole number of at least 1";
          },
          ""))
      ->type_name("N");
  app.add_option("--rounds", rounds, "rounds; each runs every harness once per workload")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--workload", selected, "workload to run, repeatable (default: all)")->check(CLI::IsMember(names));
  app.add_option("--json", json, "where to write all figures")->capture_default_str();
  app.add_option("--reference-irqlab", reference,
                 "another irqlab binary to run like the irqlab row, interleaved (e.g. main's build)")
      ->check(CLI::ExistingFile);
  CLI11_PARSE(app, argc, argv);
  if (selected.empty()) selected = names;
  const auto cycles = static_cast<std::uint64_t>(cycles_option);

  const ScratchDir scratch;
  const std::filesystem::path irqlab_out = scratch.path / "irqlab";
  BenchResult bench{utc_now(), std::thread::hardware_concurrency(), cycles, rounds, {}};

  std::vector<std::vector<Measured>> plan;  // per workload of bench.workloads
  for (const Workload& w : workloads) {
    if (std::find(selected.begin(), selected.end(), w.name) == selected.end()) continue;
    const std::vector<std::string> overrides = run_overrides(w, cycles);
    const Stimulus stimulus = scenario_stimulus(w, overrides, cycles);
    const std::string schedule = (scratch.path / (w.name + ".lines")).string();
    write_line_schedule(schedule, stimulus.schedule);

    bench.workloads.push_back({w.name,
                               w.summary,
                               w.scenario.string(),
                               overrides,
                               stimulus.pulses,
                               {{"bare", "bare --cc loop"},
                                {"sc", "--sc model, sc_clock"},
                                {"irqlab", "irqlab"},
                                {"irqlab_no_skip", "irqlab, skip off"},
                                {"irqlab_waves", "irqlab, waves"},
                                {"irqlab_timeline", "irqlab, timeline"}}});
    if (!reference.empty()) bench.workloads.back().series.push_back({"irqlab_reference", "irqlab, reference binary"});
    const std::string cycle_count = std::to_string(cycles);
    std::vector<Measured>& runs = plan.emplace_back();
    runs.push_back({0, {IRQLAB_BENCH_BARE_BINARY, "--schedule", schedule, "--cycles", cycle_count}});
    runs.push_back({1, {IRQLAB_BENCH_SC_BINARY, "--schedule", schedule, "--cycles", cycle_count}});
    runs.push_back({2, irqlab_command(IRQLAB_BINARY, w, overrides, irqlab_out, true, {})});
    runs.push_back({3, irqlab_command(IRQLAB_BINARY, w, overrides, irqlab_out, false, {})});
    runs.push_back(
        {4, irqlab_command(IRQLAB_BINARY, w, overrides, irqlab_out, true, {.waves = true})});
    runs.push_back(
        {5, irqlab_command(IRQLAB_BINARY, w, overrides, irqlab_out, true, {.timeline = true})});
    if (!reference.empty())
      runs.push_back({6, irqlab_command(reference, w, overrides, irqlab_out, true,
                                        {.timeline_known = false})});
  }

  for (unsigned round = 1; round <= rounds; ++round) {
    for (std::size_t i = 0; i < plan.size(); ++i) {
      std::fprintf(stderr, "round %u/%u %-8s", round, rounds, bench.workloads[i].name.c_str());
      for (const Measured& m : plan[i]) {
        Series& series = bench.workloads[i].series[m.series];
        measure(m.argv, series);
        std::fprintf(stderr, " %s %.3fM", series.harness.c_str(), series.cycles_per_s.back() / 1e6);
      }
      std::fprintf(stderr, "\n");
    }
  }

  for (const WorkloadResult& w : bench.workloads) {
    std::printf("\n");
    print_table(bench, w, stdout);
  }
  write_json(bench, json);
  std::printf("\nfigures in %s\n", json.c_str());
  return 0;
}

}  // namespace

int sc_main(int argc, char* argv[]) {
  try {
    return run_bench(argc, argv);
  } catch (const irqlab::cosim::ConfigError& e) {
    std::fprintf(stderr, "irqlab-bench: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "irqlab-bench: %s\n", e.what());
    return 1;
  }
}

// The bench runs no simulation itself, but it reads scenarios with irqlab's code, which
// links SystemC, and SystemC's library calls sc_main.
int main(int argc, char* argv[]) {
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
  return sc_core::sc_elab_and_sim(argc, argv);
}
