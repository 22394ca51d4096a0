// timeline.json (docs/timeline.md) against what results.json of the same run counts, an
// account kept by other sinks: one handler slice per handler start of each source, one
// trap slice per trap entry of each hart, one slice per run of each deferred work item, a
// flow from every NIC interrupt to the deferred work it raised, ts at the run's clock.
// Its counter tracks against what the specification says they must show: the IPL levels
// each personality's table has and its handlers run at (docs/kernel-rules.md N-IPL-1,
// B-1; docs/personalities.md), a run queue that moves one LWP at a time and never holds
// more LWPs than the run has, the NIC's RX FIFO within its RTL depth and empty between
// frames that arrive one at a time.
// The format itself is checked by tests/tools/check_chrome_trace.py (ctest timeline_*).
#include <gtest/gtest.h>
#include <map>
#include <optional>
#include <set>

#include "e2e_support.h"

namespace irqlab::test {
namespace timeline_test {

using nlohmann::json;

// A slice of the timeline as written: its B event and where its E closed it.
struct Slice {
  unsigned pid = 0, tid = 0;
  double start = 0, end = 0;
  std::string name;
  json args;
};

struct CounterSample {
  double ts = 0;
  std::uint64_t value = 0;
};

struct Timeline {
  std::map<unsigned, std::string> processes;                     // pid -> name
  std::map<std::pair<unsigned, unsigned>, std::string> threads;  // (pid, tid) -> name
  std::vector<Slice> slices;
  std::vector<json> flow_starts, flow_finishes;
  // Counter tracks, keyed as Perfetto keys them: (pid, name); samples in file order.
  std::map<std::pair<unsigned, std::string>, std::vector<CounterSample>> counters;

  const std::vector<CounterSample>& counter(unsigned pid, const std::string& name) const {
    static const std::vector<CounterSample> none;
    const auto it = counters.find({pid, name});
    return it == counters.end() ? none : it->second;
  }
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
    if (ph == "C")
      t.counters[{pid, e.at("name").get<std::string>()}].push_back(
          {e.at("ts").get<double>(), e.at("args").at("value").get<std::uint64_t>()});
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

// An IPL table as the specification lists it, lowest level first: netbsd's is N-IPL-1,
// bsd43's B-1 (docs/kernel-rules.md); linux and freebsd have no spl levels and run with
// the minimal NONE, HIGH (docs/personalities.md).
struct IplLevelSpec {
  std::string name;
  bool soft = false;
};

const std::vector<IplLevelSpec>& ipl_table(const std::string& personality) {
  static const std::map<std::string, std::vector<IplLevelSpec>> tables = {
      {"linux", {{"NONE"}, {"HIGH"}}},
      {"freebsd", {{"NONE"}, {"HIGH"}}},
      {"netbsd",
       {{"NONE"},
        {"PREEMPT", true},
        {"SOFTCLOCK", true},
        {"SOFTBIO", true},
        {"SOFTNET", true},
        {"SOFTSERIAL", true},
        {"VM"},
        {"SCHED"},
        {"HIGH"}}},
      {"bsd43",
       {{"SPL0"}, {"SOFTCLOCK", true}, {"SOFTNET", true}, {"BIO"}, {"IMP"}, {"CLOCK"}, {"HIGH"}}}};
  return tables.at(personality);
}

std::uint64_t level_named(const std::vector<IplLevelSpec>& table, const std::string& name) {
  for (std::size_t l = 0; l < table.size(); ++l)
    if (table[l].name == name) return l;
  ADD_FAILURE() << "no IPL " << name;
  return 0;
}

// The level a device of PLIC `priority` is handled at (docs/personalities.md: the lowest
// hardware level masking it), the hardware levels masking, highest first, priorities up
// to max, max - 1, ... (the IPL tables' convention, docs/personalities.md "configure").
std::uint64_t device_level(const std::vector<IplLevelSpec>& table, unsigned priority,
                           unsigned max_priority) {
  std::vector<unsigned> masks(table.size(), 0);
  unsigned mask = max_priority;
  for (std::size_t l = table.size(); l-- > 1;)
    if (!table[l].soft) masks[l] = mask--;
  for (std::size_t l = 1; l < table.size(); ++l)
    if (!table[l].soft && masks[l] >= priority) return l;
  return table.size() - 1;
}

// The counter's value in effect at `ts` (0 before its first sample: every level starts at 0).
std::uint64_t value_at(const std::vector<CounterSample>& samples, double ts) {
  std::uint64_t value = 0;
  for (const CounterSample& s : samples)
    if (s.ts <= ts) value = s.value;
  return value;
}

json rtl_parameters(const json& results, const std::string& device) {
  for (const json& d : results["scenario"]["rtl"]["devices"])
    if (d["name"] == device) return d["parameters"];
  ADD_FAILURE() << "no RTL device " << device;
  return json::object();
}

// The IPsec scenario's counter tracks (docs/timeline.md, Counters): one hart, the NIC and
// the crypto engine at PLIC priority 3, packets one at a time, 100 us apart.
void expect_ipsec_counters(const std::filesystem::path& dir, const std::string& personality) {
  SCOPED_TRACE(dir.string());
  const Timeline t = read_timeline(dir / "timeline.json");
  const json results = read_json(dir / "results.json");
  const unsigned harts = results["scenario"]["harts"];

  // IPL: within the personality's table; linux and freebsd leave NONE only for a spin
  // lock (HIGH: the crypto driver's ring lock, the framework's return queue); netbsd and bsd43 run
  // the receive path's soft work at SOFTNET (N-SI-4, B-4). The drivers' own handlers run at
  // hard-interrupt level as they are (kernel.h attach_hard_irq), so the NIC's raise no level here;
  // DeviceLevels checks those that do.
  const std::vector<IplLevelSpec>& table = ipl_table(personality);
  std::set<std::uint64_t> levels{0};
  for (unsigned h = 0; h < harts; ++h)
    for (const CounterSample& s : t.counter(h + 1, "IPL")) levels.insert(s.value);
  EXPECT_LT(*levels.rbegin(), table.size());
  if (personality == "linux" || personality == "freebsd") {
    EXPECT_EQ(levels, (std::set<std::uint64_t>{0, level_named(table, "HIGH")}));
  }
  if (personality == "netbsd" || personality == "bsd43") {
    EXPECT_TRUE(levels.contains(level_named(table, "SOFTNET")));
  }

  // Run queue: one LWP in or out at a time, from empty; never more queued than the run has
  // LWPs besides the idle ones; a woken receiver waits there at least once.
  std::uint64_t lwps = 0;
  for (const json& l : results["lwps"])
    if (!l["name"].get<std::string>().starts_with("idle/")) ++lwps;
  for (unsigned h = 0; h < harts; ++h) {
    const std::vector<CounterSample>& queue = t.counter(h + 1, "run queue");
    std::uint64_t before = 0, most = 0;
    for (const CounterSample& s : queue) {
      if (s.ts == 0 && before == 0 && s.value == 0) continue;  // the starting level itself
      EXPECT_EQ(s.value > before ? s.value - before : before - s.value, 1U) << "at ts " << s.ts;
      before = s.value;
      most = std::max(most, s.value);
    }
    EXPECT_LE(most, lwps);
    EXPECT_GE(most, 1U) << "hart " << h;
  }

  // NIC RX FIFO: never above its RTL depth; each received frame fills it from empty and
  // its space is freed before the next arrives 100 us later; empty at the end.
  const std::vector<CounterSample>& fifo = t.counter(harts + 1, "NIC RX FIFO words");
  ASSERT_FALSE(fifo.empty());
  const std::uint64_t depth_words =
      rtl_parameters(results, "nic")["RxFifoBytes"].get<std::uint64_t>() / 4;
  std::uint64_t before = 0, fills = 0, most = 0;
  for (const CounterSample& s : fifo) {
    if (before == 0 && s.value > 0) ++fills;
    before = s.value;
    most = std::max(most, s.value);
  }
  EXPECT_LE(most, depth_words);
  EXPECT_GE(most, 64U / 4) << "a frame is at least 64 bytes on the wire";
  EXPECT_EQ(fifo.back().value, 0U);
  EXPECT_EQ(fills, results["nic"]["received"].get<std::uint64_t>());
}

TEST(Timeline, IpsecRunsMatchTheirResults) {
  const std::filesystem::path out = scratch_dir("timeline_ipsec") / "out";
  const ProcessResult p =
      run_irqlab("run " + std::string(IRQLAB_SOURCE_DIR) + "/scenarios/ipsec.yaml --out " +
                 out.string() + " -c waves=false");
  ASSERT_EQ(p.exit_status, 0) << p.output;
  for (const char* personality : {"linux", "freebsd", "netbsd", "bsd43"}) {
    expect_timeline_matches_results(out / personality);
    expect_ipsec_counters(out / personality, personality);
  }
}

// The default scenario's nic source raises deferred work, so its handler is attached
// through the personality (kernel.h attach_irq) and runs at its device's level: the
// lowest hardware level masking PLIC priority 3, VM under netbsd, BIO under bsd43
// (docs/personalities.md). Every such handler slice sees that level and no other.
TEST(Timeline, DeviceLevels) {
  const std::filesystem::path out = scratch_dir("timeline_levels") / "out";
  const ProcessResult p =
      run_irqlab("run " + std::string(IRQLAB_SOURCE_DIR) + "/scenarios/default.yaml --out " +
                 out.string() + " -c waves=false -c kernel.personality=[netbsd,bsd43]");
  ASSERT_EQ(p.exit_status, 0) << p.output;
  for (const std::string personality : {"netbsd", "bsd43"}) {
    SCOPED_TRACE(personality);
    const Timeline t = read_timeline(out / personality / "timeline.json");
    const json results = read_json(out / personality / "results.json");
    const std::vector<IplLevelSpec>& table = ipl_table(personality);
    const unsigned max_priority =
        (1U << rtl_parameters(results, "plic")["PrioW"].get<unsigned>()) - 1;
    std::optional<unsigned> nic, nic_priority;
    for (const json& s : results["scenario"]["resolved"]["sources"])
      if (s["name"] == "nic") {
        nic = s["source"].get<unsigned>();
        nic_priority = s["priority"].get<unsigned>();
      }
    ASSERT_TRUE(nic);
    const std::uint64_t level = device_level(table, *nic_priority, max_priority);
    EXPECT_EQ(table[level].name, personality == "netbsd" ? "VM" : "BIO");
    unsigned handlers = 0;
    for (const Slice& s : t.slices) {
      if (!s.args.contains("source") || s.args["source"] != *nic || resumed(s)) continue;
      ++handlers;
      const std::vector<CounterSample>& ipl = t.counter(s.pid, "IPL");
      std::set<std::uint64_t> during{value_at(ipl, s.start)};
      for (const CounterSample& c : ipl)
        if (c.ts > s.start && c.ts < s.end) during.insert(c.value);
      EXPECT_EQ(during, (std::set<std::uint64_t>{level})) << "handler at cycle " << s.args["cycle"];
    }
    for (const json& src : results["sources"]) {
      if (src["name"] == "nic") {
        EXPECT_EQ(handlers, src["handled"].get<unsigned>());
      }
    }
    EXPECT_GT(handlers, 0U);
  }
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

}  // namespace timeline_test
}  // namespace irqlab::test
