// The scenario key table drives the loader: ranges (the RTL's limits from the SoC),
// defaults, unknown keys, the personalities' own options, and errors naming file, line
// and key. Expected values come from docs/scenario-format.md and docs/rtl.md (4 harts,
// priorities 1..7, sources 16..31), not from the table.
#include "scenario/scenario_keys.h"

#include <array>
#include <fstream>
#include <gtest/gtest.h>
#include <set>

#include "config/config_node.h"
#include "scenario/key_reference.h"
#include "scenario/scenario.h"

namespace irqlab::cosim {
namespace scenario_keys_test {

const std::filesystem::path kCosts = std::filesystem::path(IRQLAB_SOURCE_DIR) / "scenarios/costs/default.yaml";

// Writes a scenario whose line 1 is `duration_cycles` and line 2 `kernel:`.
std::filesystem::path write_scenario(const std::string& name, const std::string& body) {
  const std::filesystem::path dir = std::filesystem::path(IRQLAB_TEST_SCRATCH) / "scenario_keys";
  std::filesystem::create_directories(dir);
  const std::filesystem::path file = dir / (name + ".yaml");
  std::ofstream(file) << "duration_cycles: 1000\nkernel:\n  cost_profile: " << kCosts.string() << "\n" << body;
  return file;
}

std::string load_error(const std::filesystem::path& file, const std::vector<std::string>& overrides = {}) {
  try {
    load_scenario(file, overrides);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "no error";
}

TEST(ScenarioKeys, AbsentKeysTakeTheDocumentedDefaults) {
  const Scenario s = load_scenario(write_scenario("defaults", ""));
  EXPECT_EQ(s.seed, 1u);
  EXPECT_EQ(s.harts, 2u);
  EXPECT_EQ(s.clock_period_ps, 10000u);
  EXPECT_EQ(s.bus.request_cycles, 1u);
  EXPECT_EQ(s.bus.response_cycles, 1u);
  EXPECT_EQ(s.memory_latency, 2u);
  EXPECT_TRUE(s.skip_quiescent);
  EXPECT_TRUE(s.waves.enabled);
  EXPECT_EQ(s.waves.depth, 2u);
  EXPECT_EQ(s.tick.period, 0u);
  EXPECT_EQ(s.tick.priority, 1u);
  EXPECT_EQ(s.tick.prescale, 0u);
  EXPECT_EQ(s.tick.step, 1u);
  EXPECT_EQ(s.personality.name, "none");
  EXPECT_TRUE(s.personalities.empty());
}

TEST(ScenarioKeys, AbsentBlocksAndShorthandsTakeTheDocumentedDefaults) {
  // docs/scenario-format.md: waves.start 0 and waves.depth 2 also under `waves: false`;
  // platform.instruction_cycles 1; threads[].priority 0; ipsec.local_ip 10.0.0.2;
  // traffic.frame_bytes 60 and traffic.esp.payload_bytes 64.
  const std::filesystem::path f = write_scenario("shorthands", "waves: false\n");
  const Scenario s = load_scenario(f, {"threads=[{name: t, steps: [yield]}]"});
  EXPECT_FALSE(s.waves.enabled);
  EXPECT_EQ(s.waves.start, 0u);
  EXPECT_EQ(s.waves.depth, 2u);
  EXPECT_FALSE(s.waves.end);
  EXPECT_EQ(s.instructions.min, 1u);
  EXPECT_EQ(s.instructions.max, 1u);
  ASSERT_EQ(s.workload.threads.size(), 1u);
  EXPECT_EQ(s.workload.threads[0].priority, 0u);
  const Scenario t = load_scenario(f, {"nic={}", "traffic={}"});
  EXPECT_EQ(t.traffic.frame_bytes.min, 60u);
  EXPECT_EQ(t.traffic.frame_bytes.max, 60u);
  const std::vector<std::string> esp = {
      "nic={}", "crypto={}",
      "ipsec={sa: [{spi: 4096, key: " + std::string(64, 'a') + ", salt: deadbeef}]}",
      "traffic={payload: esp}"};
  const Scenario u = load_scenario(f, esp);
  EXPECT_EQ(u.ipsec.local_ip, (std::array<std::uint8_t, 4>{10, 0, 0, 2}));
  EXPECT_EQ(u.traffic.esp.payload_bytes.min, 64u);
  // The default payload is checked against the engine's job size like a written one (it was
  // not before): 64 + (8 UDP + 64 + 2 trailer + 2 padding) = 140 bytes per job.
  std::vector<std::string> small = esp;
  small.push_back("crypto.max_job_bytes=139");
  EXPECT_NE(load_error(f, small).find("key 'traffic.esp.payload_bytes': packets with 64 payload "
                                      "bytes need crypto jobs of 140 bytes"),
            std::string::npos)
      << load_error(f, small);
}

TEST(ScenarioKeys, RangesMirrorTheSoc) {
  const std::filesystem::path f = write_scenario("ranges", "");
  // docs/rtl.md: 4 harts (PLIC contexts), priorities 1..7 (PrioW = 3), external sources 16..31.
  EXPECT_NE(load_error(f, {"platform.harts=5"}).find("key 'platform.harts': must be between 1 and 4, got 5"),
            std::string::npos);
  EXPECT_EQ(load_scenario(f, {"platform.harts=4"}).harts, 4u);
  EXPECT_NE(load_error(f, {"kernel.tick_priority=8"}).find("must be between 1 and 7, got 8"), std::string::npos);
  // A threshold floor is a PLIC threshold (0..7): one for every hart, or one per hart.
  EXPECT_NE(load_error(f, {"kernel.threshold_floor=8"}).find("must be between 0 and 7, got 8"),
            std::string::npos);
  EXPECT_NE(
      load_error(f, {"kernel.threshold_floor=[1]"})
          .find("key 'kernel.threshold_floor': give one floor per hart: 2 (platform.harts), got 1"),
      std::string::npos);
  EXPECT_EQ(load_scenario(f, {"kernel.threshold_floor=[0, 3]"}).threshold_floor,
            (std::vector<unsigned>{0, 3}));
  EXPECT_EQ(load_scenario(f, {"kernel.threshold_floor=2"}).threshold_floor,
            (std::vector<unsigned>{2, 2}));
  EXPECT_NE(load_error(f, {"sources=[{source: 32, priority: 1, handler_cycles: 1}]"})
                .find("key 'sources[0].source': must be between 16 and 31, got 32"),
            std::string::npos);
  EXPECT_NE(load_error(f, {"sources=[{source: 16, priority: 8, handler_cycles: 1}]"})
                .find("key 'sources[0].priority': must be between 1 and 7, got 8"),
            std::string::npos);
  EXPECT_NE(load_error(f, {"platform.harts=2", "sources=[{source: 16, priority: 1, handler_cycles: 1, cpus: [2]}]"})
                .find("key 'sources[0].cpus[0]': must be below platform.harts (2), got 2"),
            std::string::npos);
}

TEST(ScenarioKeys, ErrorsNameFileLineAndKey) {
  const std::filesystem::path f = write_scenario("unknown", "  tick_period: 1000\n  tick_colour: red\n");
  const std::string e = load_error(f);
  EXPECT_NE(e.find(f.string() +
                   ":5: key 'kernel.tick_colour': unknown key (expected one of: cost_profile, "
                   "tick_period, tick_priority, spinout_cycles, personality, bsd43, freebsd, "
                   "linux, netbsd, threshold_floor)"),
            std::string::npos)
      << e;
  const std::filesystem::path g = write_scenario("line", "platform:\n  harts: 9\n");
  EXPECT_NE(load_error(g).find(g.string() + ":5: key 'platform.harts'"), std::string::npos) << load_error(g);
}

TEST(ScenarioKeys, PersonalityOptionsComeFromTheirSchema) {
  // docs/personalities.md documents netbsd.softint_max (64 handler slots by default).
  const Scenario s = load_scenario(write_scenario(
      "netbsd", "  personality: netbsd\n  netbsd: { softint_max: 8, fast_softints: false, kernel_preemption: false }\n"));
  EXPECT_EQ(s.personality.name, "netbsd");
  const kernel::OptionValues& o = s.personality.options_of("netbsd");
  EXPECT_EQ(o.at("softint_max"), 8u);
  EXPECT_EQ(o.at("fast_softints"), 0u);
  EXPECT_EQ(o.count("missing"), 0u);
  const std::filesystem::path f = write_scenario("softint_zero", "  netbsd:\n    softint_max: 0\n");
  EXPECT_NE(load_error(f).find(":5: key 'kernel.netbsd.softint_max': must be between 1 and"), std::string::npos)
      << load_error(f);
  EXPECT_NE(load_error(f, {"kernel.linux.threadirqs=7"}).find("key 'kernel.linux.threadirqs'"), std::string::npos);
  EXPECT_NE(
      load_error(f, {"kernel.freebsd.storm=1"})
          .find("unknown key (expected one of: preemption, preempt_thresh, intr_storm_threshold, "
                "netisr_direct, crypto_cbimm)"),
      std::string::npos);
  EXPECT_NE(load_error(f, {"kernel.personality=solaris"})
                .find("unknown personality \"solaris\": expected bsd43, freebsd, linux, netbsd or none"),
            std::string::npos);
}

TEST(ScenarioKeys, TheTableIsATreeAndTheReferenceListsEveryKey) {
  std::set<std::string> paths;
  for (const ScenarioKey& k : scenario_keys()) {
    EXPECT_TRUE(paths.insert(k.path).second) << k.path << " declared twice";
    const auto cut = k.path.find_last_of(".[");
    if (cut == std::string::npos) continue;
    const std::string parent = k.path.substr(0, cut);
    ASSERT_TRUE(paths.count(parent)) << k.path << " comes before its parent " << parent;
    const KeyType parent_type = scenario_key(parent).type;
    EXPECT_EQ(parent_type, k.path[cut] == '.' ? KeyType::Map : KeyType::List) << k.path;
    EXPECT_FALSE(k.description.empty()) << k.path;
  }
  const std::string markdown = key_reference_markdown();
  for (const std::string& p : paths) EXPECT_NE(markdown.find("| `" + p + "` |"), std::string::npos) << p;
  EXPECT_NE(markdown.find("| `softirq_pass` |"), std::string::npos);  // a cost-profile key
}

}  // namespace scenario_keys_test
}  // namespace irqlab::cosim
