#include "run/compare.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <spdlog/spdlog.h>
#include <sstream>
#include <unistd.h>

#include "output/atomic_file.h"
#include "personality/registry.h"
#include "run/child_outcome.h"
#include "run/compare_table.h"
#include "run/output_dir.h"

namespace irqlab::cosim {

namespace {

using nlohmann::ordered_json;

std::optional<std::string> read_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// A prefix no earlier comparison used: this process's id and 64 random bits.
std::string run_id_prefix() {
  std::random_device entropy;
  const std::uint64_t random = (std::uint64_t{entropy()} << 32) | entropy();
  char text[48];
  std::snprintf(text, sizeof text, "%d-%016llx", static_cast<int>(getpid()),
                static_cast<unsigned long long>(random));
  return text;
}

// Nothing of an earlier run or comparison in `out` survives as current: its own outputs
// and every directory named after a personality (irqlab's outputs in it; the directory
// too once empty).
void clear_comparison_outputs(const std::filesystem::path& out) {
  clear_run_outputs(out);
  for (const kernel::PersonalityDescriptor* p : kernel::registered_personalities())
    remove_run_directory(out / p->name);
}

std::vector<std::string> child_arguments(const ComparisonRequest& request,
                                         const std::string& personality,
                                         const std::string& run_id) {
  std::vector<std::string> args{request.irqlab.string(), "--log", request.log_level, "run",
                                request.scenario_file.string()};
  for (const std::string& o : request.overrides) args.insert(args.end(), {"-c", o});
  args.insert(args.end(), {"-c", "kernel.personality=" + personality, "--out",
                           (request.out_dir / personality).string(), "--run-id", run_id});
  if (request.limits.max_seconds) {
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%.17g", *request.limits.max_seconds);
    args.insert(args.end(), {"--max-seconds", seconds});
  }
  if (request.limits.max_rss)
    args.insert(args.end(), {"--max-rss", std::to_string(*request.limits.max_rss)});
  if (request.evaluate_every_falling_edge) args.emplace_back("--eval-every-falling-edge");
  return args;
}

int exit_status_of(const std::vector<ChildOutcome>& outcomes) {
  std::optional<int> interrupted;
  for (const ChildOutcome& o : outcomes) {
    if (o.ok()) continue;
    if (o.status != "interrupted") return 1;
    if (!interrupted) interrupted = o.ended.exit_status.value_or(1);
  }
  return interrupted.value_or(0);
}

}  // namespace

int run_comparison(const ComparisonRequest& request) {
  clear_comparison_outputs(request.out_dir);
  const std::string id_prefix = run_id_prefix();
  std::vector<ChildOutcome> outcomes;
  for (std::size_t i = 0; i < request.personalities.size(); ++i) {
    const std::string& personality = request.personalities[i];
    if (const int signal = InterruptSignals::received()) {
      outcomes.push_back(
          not_run("not run: the comparison was interrupted by " + signal_name(signal)));
      continue;
    }
    const std::string run_id = id_prefix + "-" + std::to_string(i + 1);
    std::printf("\n== personality %s (%zu of %zu) ==\n", personality.c_str(), i + 1,
                request.personalities.size());
    const ChildExit ended = run_child(child_arguments(request, personality, run_id));
    outcomes.push_back(
        judge_child(ended, read_file(request.out_dir / personality / "results.json"), run_id));
    const ChildOutcome& outcome = outcomes.back();
    if (outcome.ok()) {
      spdlog::info("{}: ok", personality);
    } else {
      spdlog::error("{}: {}: {}", personality, outcome.status, outcome.message);
    }
  }

  const int signal = InterruptSignals::received();
  const bool all_ok =
      std::all_of(outcomes.begin(), outcomes.end(), [](const ChildOutcome& o) { return o.ok(); });
  ordered_json runs = ordered_json::object();
  ordered_json children = ordered_json::object();
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    runs[request.personalities[i]] = outcomes[i].results;
    children[request.personalities[i]] = children_entry(outcomes[i]);
  }
  const ordered_json doc = {
      {"schema", "irqlab.comparison/2"},
      {"status", signal != 0 ? "interrupted"
                 : all_ok    ? "ok"
                             : "failed"},
      {"error",
       signal != 0 ? ordered_json("interrupted by " + signal_name(signal)) : ordered_json()},
      {"personalities", request.personalities},
      {"children", children},
      {"runs", runs}};
  write_file_atomically(request.out_dir / "results.json", doc.dump(2) + '\n');
  print_comparison_table(request.personalities, outcomes);
  spdlog::info("compared {} personalities; outputs in {}", request.personalities.size(),
               request.out_dir.string());
  if (signal != 0) return exit_status_for_signal(signal);
  return exit_status_of(outcomes);
}

}  // namespace irqlab::cosim
