// results.json's description of its run (results/run_description.h): the resolved
// configuration from the key table, the personality's options, the overrides as given and
// the RTL from the SoC description. Expected values come from docs/scenario-format.md's
// key reference (defaults), docs/personalities.md and docs/rtl.md / rtl/soc/soc.yaml
// (addresses, sources, parameters), not from the code under test.
#include "results/run_description.h"

#include <fstream>
#include <gtest/gtest.h>

#include "results/resolved_config.h"
#include "scenario/scenario.h"
#include "scenario/scenario_keys.h"

namespace irqlab::cosim {
namespace run_description_test {

const std::filesystem::path kCosts =
    std::filesystem::path(IRQLAB_SOURCE_DIR) / "scenarios/costs/default.yaml";

std::filesystem::path write_scenario(const std::string& name, const std::string& body) {
  const std::filesystem::path dir = std::filesystem::path(IRQLAB_TEST_SCRATCH) / "run_description";
  std::filesystem::create_directories(dir);
  const std::filesystem::path file = dir / (name + ".yaml");
  std::ofstream(file) << "duration_cycles: 1000\nkernel:\n  cost_profile: " << kCosts.string()
                      << "\n"
                      << body;
  return file;
}

// The value at a dotted path of the resolved tree (list elements as [n]).
const nlohmann::ordered_json& at(const nlohmann::ordered_json& tree, const std::string& path) {
  const nlohmann::ordered_json* node = &tree;
  std::size_t begin = 0;
  while (begin <= path.size()) {
    const std::size_t end = path.find('.', begin);
    std::string part = path.substr(begin, end - begin);
    const std::size_t bracket = part.find('[');
    node = &node->at(part.substr(0, bracket));
    if (bracket != std::string::npos) node = &node->at(std::stoul(part.substr(bracket + 1)));
    if (end == std::string::npos) break;
    begin = end + 1;
  }
  return *node;
}

TEST(ResolvedConfiguration, AbsentKeysTakeTheDocumentedDefaults) {
  const Scenario s = load_scenario(write_scenario("defaults", ""));
  const nlohmann::ordered_json r = resolved_configuration(s.document);
  EXPECT_EQ(at(r, "seed"), 1);
  EXPECT_EQ(at(r, "duration_cycles"), 1000);
  EXPECT_EQ(at(r, "waves"), true);  // the shorthand default
  EXPECT_EQ(at(r, "platform.harts"), 2);
  EXPECT_EQ(at(r, "platform.clock_period_ps"), 10000);
  EXPECT_EQ(at(r, "platform.bus.request_cycles"), 1);
  EXPECT_EQ(at(r, "platform.memory_latency"), 2);
  EXPECT_EQ(at(r, "platform.instruction_cycles"), 1);
  EXPECT_EQ(at(r, "platform.skip_quiescent"), true);
  EXPECT_EQ(at(r, "platform.timer.step"), 1);
  EXPECT_EQ(at(r, "kernel.tick_period"), 0);
  EXPECT_EQ(at(r, "kernel.personality"), "none");
  EXPECT_EQ(at(r, "kernel.linux.threadirqs"), false);
  EXPECT_EQ(at(r, "kernel.linux.kernel_preemption"), true);
  EXPECT_EQ(at(r, "kernel.linux.max_softirq_restart"), 10);
  EXPECT_EQ(at(r, "kernel.cost_profile"), kCosts.string());  // as written
  EXPECT_EQ(at(r, "sources"), nlohmann::ordered_json::array());
  EXPECT_EQ(at(r, "locks"), nlohmann::ordered_json::array());
  // Prose defaults and blocks whose presence turns a part on resolve to null.
  EXPECT_TRUE(at(r, "name").is_null());
  for (const char* off : {"nic", "traffic", "crypto", "ipsec"})
    EXPECT_TRUE(at(r, off).is_null()) << off;
  // No key declared at the top level is missing, none undeclared is there.
  std::size_t top_level = 0;
  for (const ScenarioKey& k : scenario_keys())
    if (k.path.find_first_of(".[") == std::string::npos) {
      ++top_level;
      EXPECT_TRUE(r.contains(k.path)) << k.path;
    }
  EXPECT_EQ(r.size(), top_level);
}

TEST(ResolvedConfiguration, GivenValuesAndOverridesWinAndListsResolvePerElement) {
  const Scenario s = load_scenario(
      write_scenario("given",
                     "  personality: linux\n  linux: { threadirqs: true }\n"
                     "sources:\n  - source: 17\n    priority: 2\n    handler_cycles: 300\n"
                     "    stimulus: { periodic: { period: 100, count: 3 } }\n"
                     "nic: { itr: 16 }\n"),
      {"platform.harts=4", "sources=[{source: 18, priority: 3, handler_cycles: 5, cpus: [1]}]",
       "seed=9"});
  EXPECT_EQ(s.overrides,
            (std::vector<std::string>{
                "platform.harts=4",
                "sources=[{source: 18, priority: 3, handler_cycles: 5, cpus: [1]}]", "seed=9"}));
  const nlohmann::ordered_json r = resolved_configuration(s.document);
  EXPECT_EQ(at(r, "platform.harts"), 4);
  EXPECT_EQ(at(r, "seed"), 9);
  EXPECT_EQ(at(r, "kernel.personality"), "linux");
  EXPECT_EQ(at(r, "kernel.linux.threadirqs"), true);
  ASSERT_EQ(at(r, "sources").size(), 1U);  // the override replaced the list
  EXPECT_EQ(at(r, "sources[0].source"), 18);
  EXPECT_EQ(at(r, "sources[0].cpus"), nlohmann::ordered_json::array({1}));
  EXPECT_TRUE(at(r, "sources[0].name").is_null());      // "src<source>": the loader's rule
  EXPECT_TRUE(at(r, "sources[0].stimulus").is_null());  // no stimulus: the line stays low
  EXPECT_TRUE(at(r, "sources[0].deferred").is_null());
  EXPECT_EQ(at(r, "nic.itr"), 16);
  EXPECT_EQ(at(r, "nic.rx_descriptors"), 64);
  EXPECT_EQ(at(r, "nic.polling"), true);
  EXPECT_TRUE(at(r, "nic.cpus").is_null());  // "all harts"
  EXPECT_TRUE(at(r, "traffic").is_null());
}

TEST(ResolvedConfiguration, AStimulusResolvesItsAbsentPartsToo) {
  const Scenario s = load_scenario(
      write_scenario("stimulus",
                     "sources:\n  - source: 17\n    priority: 2\n    handler_cycles: 300\n"
                     "    stimulus: { periodic: { period: 100, count: 3 } }\n"));
  const nlohmann::ordered_json r = resolved_configuration(s.document);
  EXPECT_EQ(at(r, "sources[0].stimulus.periodic.start"), 0);
  EXPECT_EQ(at(r, "sources[0].stimulus.periodic.period"), 100);
  EXPECT_EQ(at(r, "sources[0].stimulus.pulse_cycles"), 1);
  EXPECT_EQ(at(r, "sources[0].stimulus.at"), nlohmann::ordered_json::array());
  EXPECT_TRUE(at(r, "sources[0].stimulus.random").is_null());
}

TEST(RunDescription, PersonalityOptionsAreEveryOptionSetOrDefault) {
  const Scenario s = load_scenario(write_scenario("personality", "  personality: linux\n"),
                                   {"kernel.linux.max_softirq_restart=3"});
  const nlohmann::ordered_json d = scenario_json(s);
  EXPECT_EQ(d["personality"]["name"], "linux");
  const nlohmann::ordered_json& o = d["personality"]["options"];
  EXPECT_EQ(o["max_softirq_restart"], 3);
  EXPECT_EQ(o["max_softirq_jiffies"], 2);
  EXPECT_EQ(o["kernel_preemption"], true);
  EXPECT_EQ(o["preempt_rt"], false);
  EXPECT_EQ(d["overrides"], nlohmann::ordered_json::array({"kernel.linux.max_softirq_restart=3"}));
  EXPECT_EQ(d["file"], s.file.string());
  const Scenario none = load_scenario(write_scenario("none", ""));
  EXPECT_EQ(
      scenario_json(none)["personality"],
      (nlohmann::ordered_json{{"name", "none"}, {"options", nlohmann::ordered_json::object()}}));
}

TEST(RunDescription, RtlIsTheSocDescription) {
  const nlohmann::ordered_json rtl = rtl_json();
  // rtl/soc/soc.yaml and docs/rtl.md's address map.
  EXPECT_EQ(rtl["parameters"]["NumHarts"], 4);
  EXPECT_EQ(rtl["parameters"]["NumExt"], 16);
  EXPECT_EQ(rtl["parameters"]["NumSrc"], 32);
  EXPECT_EQ(rtl["parameters"]["PrioW"], 3);
  EXPECT_EQ(rtl["ram"]["base"], 0x8000'0000U);
  EXPECT_EQ(rtl["external_sources"]["first"], 16);
  EXPECT_EQ(rtl["external_sources"]["last"], 31);
  EXPECT_EQ(rtl["edge_triggered_sources"],
            nlohmann::ordered_json::array({24, 25, 26, 27, 28, 29, 30, 31}));
  ASSERT_EQ(rtl["devices"].size(), 5U);
  const nlohmann::ordered_json& plic = rtl["devices"][0];
  EXPECT_EQ(plic["name"], "plic");
  EXPECT_EQ(plic["base"], 0x0C00'0000U);
  EXPECT_EQ(plic["size"], 0x0040'0000U);
  EXPECT_EQ(plic["sources"], nlohmann::ordered_json::array());
  const nlohmann::ordered_json& timer = rtl["devices"][1];
  EXPECT_EQ(timer["name"], "timer");
  EXPECT_EQ(timer["sources"], nlohmann::ordered_json::array({1, 2, 3, 4}));
  EXPECT_EQ(timer["source_per_hart"], true);
  EXPECT_EQ(timer["parameters"]["NumHarts"], 4);
  const nlohmann::ordered_json& nic = rtl["devices"][3];
  EXPECT_EQ(nic["name"], "nic");
  EXPECT_EQ(nic["base"], 0x1002'0000U);
  EXPECT_EQ(nic["size"], 0x0001'0000U);
  EXPECT_EQ(nic["sources"], nlohmann::ordered_json::array({5}));
  EXPECT_EQ(nic["parameters"]["RxFifoBytes"], 8192);
  EXPECT_EQ(rtl["devices"][4]["parameters"]["MaxJobBytes"], 16384);
}

}  // namespace run_description_test
}  // namespace irqlab::cosim
