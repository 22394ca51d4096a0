#include "report.h"

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace irqlab::bench {

namespace {

using nlohmann::ordered_json;

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

// Ratios are taken round by round, so that a slow moment of the shared machine, which
// slows every harness of that round alike, cancels out.
double median_ratio(const Series& s, const Series& reference) {
  std::vector<double> ratios;
  for (std::size_t r = 0; r < s.cycles_per_s.size(); ++r)
    ratios.push_back(s.cycles_per_s[r] / reference.cycles_per_s[r]);
  return median(ratios);
}

struct Summary {
  double median = 0, min = 0, max = 0, vs_bare = 0, vs_sc = 0;
  double vs_irqlab = 0;  // a sink's cost: its row against irqlab with every sink off
  long peak_rss_kb = 0;
};

Summary summarize(const Series& s, const WorkloadResult& w) {
  return {median(s.cycles_per_s),
          *std::min_element(s.cycles_per_s.begin(), s.cycles_per_s.end()),
          *std::max_element(s.cycles_per_s.begin(), s.cycles_per_s.end()),
          median_ratio(s, w.series[0]),
          median_ratio(s, w.series[1]),
          median_ratio(s, w.series[kIrqlabSeries]),
          *std::max_element(s.peak_rss_kb.begin(), s.peak_rss_kb.end())};
}

}  // namespace

void print_table(const BenchResult& bench, const WorkloadResult& w, std::FILE* out) {
  std::fprintf(out, "== %s: %s (%llu cycles, %zu pulses, %u rounds) ==\n", w.name.c_str(), w.summary.c_str(),
               static_cast<unsigned long long>(bench.cycles), w.pulses, bench.rounds);
  std::fprintf(out, "%-22s %12s %17s %8s %8s %9s %9s\n", "harness", "Mcycles/s", "min-max",
               "vs bare", "vs --sc", "vs irqlab", "peak RSS");
  for (const Series& s : w.series) {
    const Summary m = summarize(s, w);
    char range[32];
    std::snprintf(range, sizeof range, "%.3f-%.3f", m.min / 1e6, m.max / 1e6);
    std::fprintf(out, "%-22s %12.3f %17s %8.2f %8.2f %9.2f %6.1f MB\n", s.label.c_str(),
                 m.median / 1e6, range, m.vs_bare, m.vs_sc, m.vs_irqlab,
                 static_cast<double>(m.peak_rss_kb) / 1024);
  }
}

void write_json(const BenchResult& bench, const std::filesystem::path& file) {
  ordered_json workloads = ordered_json::array();
  for (const WorkloadResult& w : bench.workloads) {
    ordered_json harnesses = ordered_json::array();
    for (const Series& s : w.series) {
      const Summary m = summarize(s, w);
      harnesses.push_back({{"harness", s.harness},
                           {"label", s.label},
                           {"cycles_per_s", s.cycles_per_s},
                           {"peak_rss_kb", s.peak_rss_kb},
                           {"median_cycles_per_s", m.median},
                           {"min_cycles_per_s", m.min},
                           {"max_cycles_per_s", m.max},
                           {"ratio_to_bare", m.vs_bare},
                           {"ratio_to_sc", m.vs_sc},
                           {"ratio_to_irqlab", m.vs_irqlab},
                           {"max_peak_rss_kb", m.peak_rss_kb}});
    }
    workloads.push_back({{"name", w.name},
                         {"summary", w.summary},
                         {"scenario", w.scenario},
                         {"irqlab_overrides", w.overrides},
                         {"pulses", w.pulses},
                         {"harnesses", harnesses}});
  }
  const ordered_json doc = {{"schema", "irqlab.bench/1"},
                            {"date", bench.date},
                            {"cpus", bench.cpus},
                            {"cycles", bench.cycles},
                            {"rounds", bench.rounds},
                            {"workloads", workloads}};
  std::ofstream out(file);
  out << doc.dump(2) << '\n';
  if (!out) throw std::runtime_error("cannot write " + file.string());
}

}  // namespace irqlab::bench
