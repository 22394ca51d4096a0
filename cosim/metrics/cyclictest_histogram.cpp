#include "metrics/cyclictest_histogram.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <map>
#include <vector>

namespace irqlab::cosim {

namespace {

struct HartColumn {
  std::map<std::uint64_t, std::uint64_t> buckets;  // bucket -> samples (all, overflows too)
  std::uint64_t count = 0;
  std::uint64_t sum = 0;  // of the samples' values in the unit
};

HartColumn column(const CycleHistogram& cycles, CyclictestUnit unit, std::uint64_t period_ps) {
  HartColumn c;
  cycles.for_each_value([&](std::uint64_t value, std::uint64_t n) {
    const std::uint64_t in_unit =
        unit == CyclictestUnit::Cycles ? value : value * period_ps / 1'000'000;
    c.buckets[in_unit] += n;
    c.count += n;
    c.sum += in_unit * n;
  });
  return c;
}

void append(std::string& out, const char* format, std::uint64_t value) {
  char text[32];
  std::snprintf(text, sizeof text, format, value);
  out += text;
}

}  // namespace

std::string cyclictest_histogram(std::span<const CycleHistogram> per_hart, CyclictestUnit unit,
                                 std::uint64_t clock_period_ps) {
  std::vector<HartColumn> harts;
  std::uint64_t largest = 0;
  for (const CycleHistogram& h : per_hart) {
    harts.push_back(column(h, unit, clock_period_ps));
    if (!harts.back().buckets.empty())
      largest = std::max(largest, harts.back().buckets.rbegin()->first);
  }
  const std::uint64_t rows = std::min(largest + 1, kCyclictestRows);
  std::string out = "# Histogram\n";
  for (std::uint64_t row = 0; row < rows; ++row) {
    append(out, "%06" PRIu64 " ", row);
    for (std::size_t h = 0; h < harts.size(); ++h) {
      if (h != 0) out += '\t';
      const auto it = harts[h].buckets.find(row);
      append(out, "%06" PRIu64, it == harts[h].buckets.end() ? 0 : it->second);
    }
    out += '\n';
  }
  const auto line = [&](const char* title, const char* format, auto figure) {
    out += title;
    for (const HartColumn& c : harts) append(out, format, figure(c));
    out += '\n';
  };
  const auto overflows = [&](const HartColumn& c) {
    std::uint64_t n = 0;
    for (auto it = c.buckets.lower_bound(rows); it != c.buckets.end(); ++it) n += it->second;
    return n;
  };
  line("# Total:", " %09" PRIu64, [&](const HartColumn& c) { return c.count - overflows(c); });
  line("# Min Latencies:", " %05" PRIu64,
       [](const HartColumn& c) { return c.buckets.empty() ? 0 : c.buckets.begin()->first; });
  line("# Avg Latencies:", " %05" PRIu64,
       [](const HartColumn& c) { return c.count == 0 ? 0 : c.sum / c.count; });
  line("# Max Latencies:", " %05" PRIu64,
       [](const HartColumn& c) { return c.buckets.empty() ? 0 : c.buckets.rbegin()->first; });
  line("# Histogram Overflows:", " %05" PRIu64, overflows);
  return out;
}

}  // namespace irqlab::cosim
