#pragma once
// The bench's figures: per workload and harness, one speed and one peak RSS per round;
// printed as tables of medians and written as JSON.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

namespace irqlab::bench {

struct Series {
  std::string harness;  // key in the JSON: bare, sc, irqlab, irqlab_no_skip, irqlab_waves,
                        // irqlab_timeline, irqlab_reference
  std::string label;    // as printed
  std::vector<double> cycles_per_s{};  // one per round
  std::vector<long> peak_rss_kb{};     // one per round
};

struct WorkloadResult {
  std::string name;
  std::string summary;
  std::string scenario;
  std::vector<std::string> overrides;  // what irqlab ran with, stretched stimulus included
  std::size_t pulses = 0;
  std::vector<Series> series;  // the bare loop first, the --sc model second, irqlab third
};

struct BenchResult {
  std::string date;  // UTC, ISO 8601
  unsigned cpus = 0;
  std::uint64_t cycles = 0;
  unsigned rounds = 0;
  std::vector<WorkloadResult> workloads;
};

// Where irqlab with every output sink off sits in WorkloadResult::series.
inline constexpr std::size_t kIrqlabSeries = 2;

// Harness, median cycles/s, min-max, median of the per-round ratios to the bare loop, to
// the --sc model and to irqlab with every sink off (a sink's row: the sink's cost), and
// the largest peak RSS over the rounds.
void print_table(const BenchResult& bench, const WorkloadResult& workload, std::FILE* out);

void write_json(const BenchResult& bench, const std::filesystem::path& file);

}  // namespace irqlab::bench
