// The statistics of a run against its samples: every `distribution` is the multiset of
// the samples behind it, per source, per hart and per deferred work; the gateway's drops
// by cause add up to asserted - requests; and the cyclictest-format histograms, read by a
// parser written from cyclictest's output format (rt-tests' print_hist), hold every
// sample's T2 - T0 in its hart's column. Expected figures are computed here from
// samples.jsonl, never taken from the summaries under test.
#include <gtest/gtest.h>
#include <map>
#include <regex>
#include <sstream>

#include "e2e_support.h"

namespace irqlab::test {
namespace statistics_test {

using Distribution = std::map<std::uint64_t, std::uint64_t>;

Distribution distribution_of(const nlohmann::json& summary) {
  Distribution d;
  std::uint64_t previous = 0;
  bool first = true;
  for (const auto& pair : summary.at("distribution")) {
    const std::uint64_t value = pair.at(0);
    EXPECT_TRUE(first || value > previous) << "ascending, one entry a value";
    first = false;
    previous = value;
    d[value] = pair.at(1);
  }
  return d;
}

std::uint64_t total(const Distribution& d) {
  std::uint64_t n = 0;
  for (const auto& [value, count] : d) n += count;
  return n;
}

// The default scenario's shape, short: ticks, a source with deferred work that takes a
// lock a thread holds, a random source and a burst that the gateway partly drops.
std::string statistics_scenario(const std::string& personality) {
  std::string yaml = scenario(
      "  - { source: 16, name: nic, priority: 3, handler_cycles: 250, cpus: [0],\n"
      "      stimulus: { periodic: { start: 5000, period: 1913, count: 30 } },\n"
      "      deferred: { level: net, cycles: 600, may_block: true, lock: so_lock } }\n"
      "  - { source: 17, priority: 2, handler_cycles: 250, stimulus: { random: { mean_gap: 3000, "
      "count: 25 } } }\n"
      "  - { source: 24, priority: 5, handler_cycles: 120, stimulus: { at: [40000, 40010, 40020, "
      "60000] } }\n",
      2, 80000);
  yaml.replace(yaml.find("tick_period: 0"), 14, "tick_period: 3000\n  personality: " + personality);
  yaml +=
      "locks: [so_lock]\nthreads:\n  - { name: app, user: true, cpu: 0, repeat: 0,\n"
      "      steps: [ {user: 4000}, {lock: so_lock}, {kernel: 1500}, {unlock: so_lock} ] }\n";
  return yaml;
}

TEST(Statistics, DistributionsAreTheSamplesBehindThem) {
  for (const char* personality : {"linux", "freebsd", "netbsd", "bsd43"}) {
    SCOPED_TRACE(personality);
    const RunOutput r = run_scenario(std::string("stats_") + personality,
                                     statistics_scenario(personality), "--no-waves");
    ASSERT_EQ(r.process.exit_status, 0) << r.process.output;
    std::map<unsigned, Distribution> per_hart;
    for (const auto& src : r.results["sources"]) {
      SCOPED_TRACE(src["name"].get<std::string>());
      const unsigned id = src["source"];
      Distribution latency, deferred;
      std::map<unsigned, Distribution> per_cpu;
      for (const auto& s : r.samples.of("latency", id)) {
        const std::uint64_t value = s["t2"].get<std::uint64_t>() - s["t0"].get<std::uint64_t>();
        ++latency[value];
        ++per_cpu[s["cpu"]][value];
      }
      for (const auto& s : r.samples.of("deferred", id))
        ++deferred[s["t3"].get<std::uint64_t>() - s["t0"].get<std::uint64_t>()];
      EXPECT_EQ(distribution_of(src["latency"]), latency);
      EXPECT_EQ(total(distribution_of(src["latency"])), src["latency"]["count"]);
      EXPECT_EQ(distribution_of(src["deferred_latency"]), deferred);
      std::map<unsigned, Distribution> reported;
      for (const auto& c : src["per_cpu"]) reported[c["cpu"]] = distribution_of(c["latency"]);
      EXPECT_EQ(reported, per_cpu);
      // Drops by cause: every asserted edge is a request or a drop (the injected sources
      // are edge-triggered).
      if (src["kind"] == "injected") {
        const std::uint64_t dropped = src["dropped"]["while_pending"].get<std::uint64_t>() +
                                      src["dropped"]["while_in_service"].get<std::uint64_t>();
        EXPECT_EQ(dropped,
                  src["asserted"].get<std::uint64_t>() - src["requests"].get<std::uint64_t>());
      }
    }
    // The burst: 40000 is taken; 40010 and 40020 come while it is pending or in service.
    EXPECT_EQ(source_entry(r.results, 24)["requests"], 2);
    // Per hart: every latency record, the IPIs' too (results.json does not list their sources).
    for (const auto& s : r.samples.records)
      if (s["kind"] == "latency")
        ++per_hart[s["cpu"]][s["t2"].get<std::uint64_t>() - s["t0"].get<std::uint64_t>()];
    for (const auto& c : r.results["cpus"])
      EXPECT_EQ(distribution_of(c["latency"]), per_hart[c["cpu"]]);
    // One deferred work, serving source 16: its per-work latency is the source's.
    ASSERT_EQ(r.results["deferred"].size(), 1U);
    EXPECT_EQ(distribution_of(r.results["deferred"][0]["latency"]),
              distribution_of(source_entry(r.results, 16)["deferred_latency"]));
    // Each wait for a lock, from the stream, against the lock's own counters.
    for (const auto& lock : r.results["locks"]) {
      const Distribution waits = distribution_of(lock["waits"]);
      std::uint64_t cycles = 0;
      for (const auto& [value, count] : waits) cycles += value * count;
      EXPECT_EQ(total(waits), lock["contended"]) << lock["name"];
      EXPECT_EQ(cycles, lock["blocked_cycles"]) << lock["name"];
    }
  }
}

// cyclictest's histogram output as its readers expect it: "# Histogram", rows of a 6-digit
// bucket then tab-separated 6-digit counts, then "# Total:" (9 digits a column) and the
// min/avg/max/overflow lines (5 digits a column).
struct CyclictestFile {
  std::vector<std::vector<std::uint64_t>> rows;  // counts by bucket, then hart
  std::map<std::string, std::vector<std::uint64_t>> footer;
};

CyclictestFile parse_cyclictest(const std::string& text) {
  CyclictestFile f;
  std::istringstream in(text);
  std::string line;
  EXPECT_TRUE(std::getline(in, line) && line == "# Histogram");
  const std::regex row(R"(^(\d{6}) (\d{6}(?:\t\d{6})*)$)");
  const std::regex footer(
      R"(^# (Total|Min Latencies|Avg Latencies|Max Latencies|Histogram Overflows):((?: \d+)+)$)");
  std::smatch m;
  while (std::getline(in, line)) {
    if (std::regex_match(line, m, row)) {
      EXPECT_TRUE(f.footer.empty()) << "a row after the footer";
      EXPECT_EQ(std::stoull(m[1]), f.rows.size()) << "rows are consecutive buckets from 0";
      std::vector<std::uint64_t> counts;
      std::istringstream cells(m[2].str());
      for (std::string cell; std::getline(cells, cell, '\t');) counts.push_back(std::stoull(cell));
      f.rows.push_back(counts);
    } else if (std::regex_match(line, m, footer)) {
      const std::size_t width = m[1] == "Total" ? 9 : 5;
      std::istringstream cells(m[2].str());
      for (std::string cell; cells >> cell;) {
        EXPECT_EQ(cell.size(), width) << line;
        f.footer[m[1]].push_back(std::stoull(cell));
      }
    } else {
      ADD_FAILURE() << "not cyclictest's format: '" << line << "'";
    }
  }
  return f;
}

void expect_cyclictest(const std::filesystem::path& file,
                       const std::map<unsigned, std::vector<std::uint64_t>>& by_hart,
                       unsigned harts) {
  SCOPED_TRACE(file.filename().string());
  const CyclictestFile f = parse_cyclictest(read_text(file));
  for (const char* title :
       {"Total", "Min Latencies", "Avg Latencies", "Max Latencies", "Histogram Overflows"})
    ASSERT_EQ(f.footer.at(title).size(), harts) << title;
  for (unsigned h = 0; h < harts; ++h) {
    SCOPED_TRACE(h);
    const std::vector<std::uint64_t> values =
        by_hart.count(h) ? by_hart.at(h) : std::vector<std::uint64_t>{};
    std::uint64_t in_rows = 0, min = values.empty() ? 0 : UINT64_MAX, max = 0, sum = 0;
    for (std::uint64_t v : values) {
      min = std::min(min, v);
      max = std::max(max, v);
      sum += v;
    }
    std::map<std::uint64_t, std::uint64_t> expected_rows;
    for (std::uint64_t v : values) ++expected_rows[v];
    for (std::size_t b = 0; b < f.rows.size(); ++b) {
      ASSERT_EQ(f.rows[b].size(), harts);
      in_rows += f.rows[b][h];
      EXPECT_EQ(f.rows[b][h], expected_rows.count(b) ? expected_rows[b] : 0) << "bucket " << b;
    }
    EXPECT_EQ(f.footer.at("Total")[h], values.size());
    EXPECT_EQ(in_rows, values.size());
    EXPECT_EQ(f.footer.at("Histogram Overflows")[h], 0U);
    EXPECT_EQ(f.footer.at("Min Latencies")[h], min);
    EXPECT_EQ(f.footer.at("Max Latencies")[h], max);
    EXPECT_EQ(f.footer.at("Avg Latencies")[h], values.empty() ? 0 : sum / values.size());
  }
  EXPECT_FALSE(f.rows.empty());
}

TEST(Statistics, CyclictestHistogramsHoldEverySampleInCyclesAndMicroseconds) {
  std::string yaml = statistics_scenario("freebsd");
  // 5 ns a cycle: 200 cycles a microsecond, so the µs buckets differ from the cycle ones.
  yaml.replace(yaml.find("clock_period_ps: 10000"), 22, "clock_period_ps: 5000");
  const RunOutput r = run_scenario("cyclictest", yaml, "--no-waves");
  ASSERT_EQ(r.process.exit_status, 0) << r.process.output;
  std::map<unsigned, std::vector<std::uint64_t>> cycles, microseconds;
  for (const auto& s : r.samples.records) {
    if (s["kind"] != "latency") continue;
    const std::uint64_t value = s["t2"].get<std::uint64_t>() - s["t0"].get<std::uint64_t>();
    cycles[s["cpu"]].push_back(value);
    microseconds[s["cpu"]].push_back(value * 5000 / 1000000);  // truncated to whole µs
  }
  ASSERT_FALSE(cycles.empty());
  expect_cyclictest(r.dir / "out/latency-histogram.txt", cycles, 2);
  expect_cyclictest(r.dir / "out/latency-histogram-us.txt", microseconds, 2);
}

}  // namespace statistics_test
}  // namespace irqlab::test
