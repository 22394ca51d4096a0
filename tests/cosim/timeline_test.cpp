// timeline.json (docs/timeline.md) against what results.json of the same run counts, an
// account kept by other sinks: one handler slice per handler start of each source, one
// trap slice per trap entry of each hart, one slice per run of each deferred work item, a
// flow from every NIC interrupt to the deferred work it raised, ts at the run's clock.
// The format itself is checked by tests/tools/check_chrome_trace.py (ctest timeline_*).
#include <gtest/gtest.h>
#include <map>
#include <optional>
#include <set>

#include "e2e_support.h"

namespace irqlab::test {
namespace {

using nlohmann::json;

// A slice of the timeline as written: its B event and where its E closed it.
struct Slice {
  unsigned pid = 0, tid = 0;
  double start = 0, end = 0;
  std::string name;
  json args;
};

struct Timeline {
  std::map<unsigned, std::string> processes;                     // pid -> name
  std::map<std::pair<unsigned, unsigned>, std::string> threads;  // (pid, tid) -> name
  std::vector<Slice> slices;
  std::vector<json> flow_starts, flow_finishes;
};

// Reads the file in its own order per thread (the writer emits B/E in time order there).
Timeline read_timeline(const std::filesystem::path& file) {
  const json doc = read_json(file);
  Timeline t;
  std::map<std::pair<unsigned, unsigned>, std::vector<std::size_t>> open;
  for (const json& e : doc.at("traceEvents")) {
    const std::string ph = e.at("ph");
    const unsigned pid = e.at("pid");
    if (ph == "M" && e["name"] == "process_name") t.processes[pid] = e["args"]["name"];
    if (ph == "M" && e["name"] == "thread_name")
      t.threads[{pid, e["tid"].get<unsigned>()}] = e["args"]["name"];
    if (ph == "B") {
      const unsigned tid = e.at("tid");
      open[{pid, tid}].push_back(t.slices.size());
      t.slices.push_back({pid, tid, e["ts"].get<double>(), 0, e["name"], e["args"]});
    }
    if (ph == "E") {
      std::vector<std::size_t>& stack = open[{pid, e.at("tid").get<unsigned>()}];
      t.slices[stack.back()].end = e["ts"].get<double>();
      stack.pop_back();
    }
    if (ph == "s") t.flow_starts.push_back(e);
    if (ph == "f") t.flow_finishes.push_back(e);
  }
  return t;
}

bool resumed(const Slice& s) { return s.args.value("resumed", false); }

std::string thread_of(const Timeline& t, const Slice& s) { return t.threads.at({s.pid, s.tid}); }

// Checks one run's timeline against its results.json.
void expect_timeline_matches_results(const std::filesystem::path& dir) {
  SCOPED_TRACE(dir.string());
  ASSERT_TRUE(std::filesystem::exists(dir / "timeline.json"));
  const Timeline t = read_timeline(dir / "timeline.json");
  const json results = read_json(dir / "results.json");
  const unsigned harts = results["scenario"]["harts"];
  const double period_ps = results["scenario"]["clock_period_ps"];

  for (unsigned h = 0; h < harts; ++h)
    EXPECT_EQ(t.processes.at(h + 1), "hart " + std::to_string(h));

  // Hard-interrupt slices per source, trap slices per hart, deferred runs per work item.
  std::map<unsigned, std::uint64_t> handlers, traps, runs;
  for (const Slice& s : t.slices) {
    if (resumed(s)) continue;  // the rest of a slice after its LWP was switched back in
    EXPECT_NEAR(s.start * 1e6, s.args.at("cycle").get<double>() * period_ps, 1e-3) << s.name;
    if (s.args.contains("source")) ++handlers[s.args["source"]];
    if (s.name == "trap") ++traps[s.pid - 1];
    if (s.args.contains("work")) ++runs[s.args["work"]];
  }
  for (const json& src : results["sources"]) {
    const unsigned id = src["source"];
    EXPECT_EQ(handlers[id], src["handled"].get<std::uint64_t>()) << "source " << src["name"];
  }
  for (const json& cpu : results["cpus"])
    EXPECT_EQ(traps[cpu["cpu"].get<unsigned>()], cpu["interrupts"].get<std::uint64_t>())
        << "hart " << cpu["cpu"];
  for (const json& d : results["deferred"])
    EXPECT_EQ(runs[d["id"].get<unsigned>()], d["runs"].get<std::uint64_t>())
        << "deferred " << d["name"];

  // Handler slices are named by their source; deferred tracks by work and mechanism.
  for (const Slice& s : t.slices) {
    if (!s.args.contains("source")) continue;
    for (const json& src : results["sources"]) {
      if (src["source"] != s.args["source"]) continue;
      EXPECT_EQ(s.name, "irq " + std::to_string(src["source"].get<unsigned>()) + ": " +
                            src["name"].get<std::string>());
    }
  }
  for (const Slice& s : t.slices) {
    if (!s.args.contains("work")) continue;
    for (const json& d : results["deferred"]) {
      if (d["id"] != s.args["work"]) continue;
      EXPECT_EQ(thread_of(t, s),
                d["name"].get<std::string>() + " · " + d["mechanism"].get<std::string>());
    }
  }

  // Every LWP track is named after an LWP results.json lists.
  std::set<std::string> lwp_names;
  for (const json& l : results["lwps"]) lwp_names.insert(l["name"]);
  for (const Slice& s : t.slices) {
    if (s.name != "user" && s.name != "kernel" && s.name != "idle") continue;
    EXPECT_TRUE(lwp_names.contains(thread_of(t, s))) << thread_of(t, s);
  }

  // Each NIC interrupt raises its deferred receive work: a "raise" flow starts inside
  // every NIC handler slice, and ends on a deferred-work track.
  std::optional<unsigned> nic;
  for (const json& src : results["sources"])
    if (src["name"] == "nic") nic = src["source"].get<unsigned>();
  for (const Slice& s : t.slices) {
    if (!nic || !s.args.contains("source") || s.args["source"] != *nic) continue;
    const bool raised = std::any_of(t.flow_starts.begin(), t.flow_starts.end(), [&](const json& f) {
      return f["name"] == "raise" && f["pid"] == s.pid && f["tid"] == s.tid &&
             f["ts"].get<double>() >= s.start && f["ts"].get<double>() <= s.end;
    });
    EXPECT_TRUE(raised) << "NIC handler at cycle " << s.args["cycle"];
  }
  std::set<std::pair<unsigned, unsigned>> deferred_tracks;
  for (const Slice& s : t.slices)
    if (s.args.contains("work")) deferred_tracks.insert({s.pid, s.tid});
  for (const json& f : t.flow_finishes) {
    if (f["name"] != "raise") continue;
    EXPECT_TRUE(deferred_tracks.contains({f["pid"], f["tid"]}));
  }
}

TEST(Timeline, IpsecRunsMatchTheirResults) {
  const std::filesystem::path out = scratch_dir("timeline_ipsec") / "out";
  const ProcessResult p =
      run_irqlab("run " + std::string(IRQLAB_SOURCE_DIR) + "/scenarios/ipsec.yaml --out " +
                 out.string() + " -c waves=false");
  ASSERT_EQ(p.exit_status, 0) << p.output;
  for (const char* personality : {"linux", "freebsd", "netbsd", "bsd43"})
    expect_timeline_matches_results(out / personality);
}

TEST(Timeline, DefaultScenarioShowsBothHartsAndUserCode) {
  const std::filesystem::path out = scratch_dir("timeline_default") / "out";
  const ProcessResult p =
      run_irqlab("run " + std::string(IRQLAB_SOURCE_DIR) + "/scenarios/default.yaml --out " +
                 out.string() + " -c waves=false -c kernel.personality=netbsd");
  ASSERT_EQ(p.exit_status, 0) << p.output;
  expect_timeline_matches_results(out);
  const Timeline t = read_timeline(out / "timeline.json");
  std::set<unsigned> harts_with_slices;
  bool user = false;
  for (const Slice& s : t.slices) {
    harts_with_slices.insert(s.pid);
    user = user || s.name == "user";
  }
  EXPECT_EQ(harts_with_slices, (std::set<unsigned>{1, 2}));
  EXPECT_TRUE(user);
}

TEST(Timeline, OffWritesNoFileAndLeavesResultsUnchanged) {
  const std::filesystem::path dir = scratch_dir("timeline_off");
  const std::string run =
      "run " + std::string(IRQLAB_SOURCE_DIR) +
      "/scenarios/default.yaml -c waves=false -c kernel.personality=linux --out ";
  ASSERT_EQ(run_irqlab(run + (dir / "on").string()).exit_status, 0);
  const ProcessResult off = run_irqlab(run + (dir / "off").string() + " -c timeline=false");
  ASSERT_EQ(off.exit_status, 0) << off.output;
  EXPECT_FALSE(std::filesystem::exists(dir / "off/timeline.json"));
  EXPECT_TRUE(std::filesystem::exists(dir / "on/timeline.json"));
  // Every figure the same; only the configuration the results record differs.
  auto figures = [](const std::filesystem::path& file) {
    nlohmann::json results = nlohmann::json::parse(read_text(file));
    results["scenario"].erase("overrides");
    results["scenario"]["resolved"].erase("timeline");
    return results.dump(2);
  };
  EXPECT_EQ(figures(dir / "on/results.json"), figures(dir / "off/results.json"));
  EXPECT_EQ(read_text(dir / "on/samples.jsonl"), read_text(dir / "off/samples.jsonl"));
}

}  // namespace
}  // namespace irqlab::test
