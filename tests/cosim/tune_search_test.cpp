// irqlab tune end to end on tests/cosim/tune/two_periodic.yaml, whose optimum is computed
// by hand. Two edge-triggered sources on one idle hart pulse in the same cycle; each
// handler spends 1000 cycles. The source the PLIC hands out first starts its handler
// T2 - T0 = 2 (gateway and target flops) + 40 (trap_entry) + 4 (claim read: bus 1 + TL-UL
// 2 + 1) + 12 (irq_dispatch) = 58 cycles after T0 (docs/architecture.md, scenarios/costs/
// default.yaml). The other is claimed by the same trap's loop: after the first handler
// (1000), its complete write (4), its own claim read (4) and dispatch (12): 58 + 1020 =
// 1078. The PLIC serves the higher priority first and, at equal priority, the lower ID
// (RISC-V PLIC spec), which is "slow" (24). Deadlines: fast <= 100, slow <= 1200. So a
// candidate is feasible exactly when priority(fast) > priority(slow), with worst slack
// 100 - 58 = 42; otherwise fast measures 1078 and the worst slack is 100 - 1078 = -978.
// Deadline-monotonic priorities over the values 1..3 give fast (tighter) 3 and slow 2.
#include <gtest/gtest.h>

#include "cosim/irqlab_process.h"

namespace irqlab::test {
namespace tune_search_test {

const std::string kScenario =
    std::string(IRQLAB_SOURCE_DIR) + "/tests/cosim/tune/two_periodic.yaml";

std::filesystem::path scratch(const std::string& name) {
  const std::filesystem::path dir =
      std::filesystem::path(IRQLAB_TEST_SCRATCH) / "tune_search" / name;
  std::filesystem::remove_all(dir);
  return dir;
}

TEST(TuneSearch, ExhaustiveSearchFindsTheDeadlineMonotonicOptimum) {
  const std::filesystem::path out = scratch("exhaustive");
  const ProcessResult r = run_irqlab("tune " + kScenario + " -j 2 --out " + out.string());
  ASSERT_EQ(r.exit_status, 0) << r.output;
  const nlohmann::json tune = read_json(out / "tune.json");
  EXPECT_EQ(tune["method"], "exhaustive");
  EXPECT_EQ(tune["space_size"], 9);
  EXPECT_EQ(tune["simulations"], 10);  // 9 candidates and the winner's re-run
  ASSERT_EQ(tune["candidates"].size(), 9U);
  for (const nlohmann::json& c : tune["candidates"]) {
    SCOPED_TRACE(c.dump());
    const int slow = c["values"]["sources[slow].priority"];
    const int fast = c["values"]["sources[fast].priority"];
    const bool fast_first = fast > slow;
    EXPECT_EQ(c["feasible"], fast_first);
    EXPECT_EQ(c["deadlines"][0]["measured"], fast_first ? 1078 : 58);  // slow
    EXPECT_EQ(c["deadlines"][1]["measured"], fast_first ? 58 : 1078);  // fast
    EXPECT_EQ(c["worst_slack"], fast_first ? 42 : -978);
    EXPECT_EQ(c["drops"], 0);
  }
  EXPECT_TRUE(tune["feasible"]);
  EXPECT_TRUE(tune["winner"]["verified"]);
  EXPECT_GT(tune["winner"]["values"]["sources[fast].priority"],
            tune["winner"]["values"]["sources[slow].priority"]);
  EXPECT_NE(r.output.find("feasible: worst slack 42 cycles"), std::string::npos) << r.output;
}

TEST(TuneSearch, LocalSearchStartsFromDeadlineMonotonicPrioritiesWithinItsBudget) {
  const std::filesystem::path out = scratch("local");
  const ProcessResult r =
      run_irqlab("tune " + kScenario + " -j 2 -c tune.exhaustive_limit=1 -c tune.budget=3 --out " +
                 out.string());
  ASSERT_EQ(r.exit_status, 0) << r.output;
  const nlohmann::json tune = read_json(out / "tune.json");
  EXPECT_EQ(tune["method"], "coordinate descent");
  EXPECT_EQ(tune["candidates"].size(), 3U);
  EXPECT_EQ(tune["simulations"], 4);
  EXPECT_TRUE(tune["budget_spent"]);
  const nlohmann::json& start = tune["candidates"][0];
  EXPECT_EQ(start["values"]["sources[slow].priority"], 2);
  EXPECT_EQ(start["values"]["sources[fast].priority"], 3);
  EXPECT_TRUE(start["feasible"]);
  EXPECT_EQ(tune["winner"]["index"], 0);
}

// Successive halving over seeds (docs/tune.md, "Search") on the same 9 candidates with
// the exhaustive limit below them and 4 seeds. By the method: rung 0 runs all 9 on one
// seed (9 simulations); rung 1 keeps ceil(9/2) = 5 and runs each on its second seed (5);
// rung 2 keeps ceil(5/2) = 3 and runs each on seeds 3 and 4 (3 x 2 = 6): 20, and the
// winner's re-run 21. The stimulus is periodic, so every seed measures the derivation
// above; the 3 feasible candidates (fast > slow) rank above the 6 others at every rung,
// so they are exactly the 3 judged on 4 seeds.
TEST(TuneSearch, SuccessiveHalvingOverSeedsKeepsTheFeasibleCandidates) {
  const std::filesystem::path out = scratch("halving");
  const ProcessResult r = run_irqlab("tune " + kScenario +
                                     " -j 2 -c tune.exhaustive_limit=8 -c tune.search=halving "
                                     "-c tune.seeds=4 --out " +
                                     out.string());
  ASSERT_EQ(r.exit_status, 0) << r.output;
  const nlohmann::json tune = read_json(out / "tune.json");
  EXPECT_EQ(tune["method"], "successive halving");
  EXPECT_EQ(tune["seeds"], 4);
  EXPECT_EQ(tune["simulations"], 21);
  EXPECT_EQ(tune["rungs"], nlohmann::json::parse(R"([
      {"candidates": 9, "seeds": 1, "simulations": 9},
      {"candidates": 5, "seeds": 2, "simulations": 5},
      {"candidates": 3, "seeds": 4, "simulations": 6}])"));
  ASSERT_EQ(tune["candidates"].size(), 9U);
  std::size_t on_four_seeds = 0;
  for (const nlohmann::json& c : tune["candidates"]) {
    SCOPED_TRACE(c.dump());
    const bool fast_first =
        c["values"]["sources[fast].priority"] > c["values"]["sources[slow].priority"];
    EXPECT_EQ(c["worst_slack"], fast_first ? 42 : -978);
    EXPECT_EQ(c["seeds"] == 4, fast_first);
    on_four_seeds += c["seeds"] == 4 ? 1 : 0;
  }
  EXPECT_EQ(on_four_seeds, 3U);
  EXPECT_TRUE(tune["winner"]["verified"]);
  EXPECT_GT(tune["winner"]["values"]["sources[fast].priority"],
            tune["winner"]["values"]["sources[slow].priority"]);
  EXPECT_NE(r.output.find("rung 2: 3 candidates on 4 seeds, 6 simulations"), std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("feasible: worst slack 42 cycles"), std::string::npos) << r.output;
  // Seed offset k runs the scenario's seed (1) + k: candidate 1 (slow 1, fast 2) is feasible.
  EXPECT_EQ(
      read_json(out / "cases/two_periodic/c0001-s3/results.json")["scenario"]["resolved"]["seed"],
      4);
}

TEST(TuneSearch, SuccessiveHalvingAboveTheBudgetIsRefused) {
  const ProcessResult r = run_irqlab("tune " + kScenario +
                                     " -c tune.exhaustive_limit=8 -c tune.search=halving "
                                     "-c tune.seeds=4 -c tune.budget=19 --out " +
                                     scratch("halving_budget").string());
  EXPECT_EQ(r.exit_status, 2) << r.output;
  EXPECT_NE(r.output.find("successive halving over 9 candidates and 4 seeds spends 20 "
                          "simulations, above tune.budget (19)"),
            std::string::npos)
      << r.output;
}

TEST(TuneSearch, AnInfeasibleScenarioNamesTheBindingDeadline) {
  // fast <= 50 is below the 58 cycles of the best case: nothing meets it.
  const std::filesystem::path out = scratch("infeasible");
  const ProcessResult r = run_irqlab("tune " + kScenario + " -j 2 --out " + out.string() +
                                     " -c 'tune.deadlines=[{metric: sources.slow.latency.max, max: "
                                     "1200}, {metric: sources.fast.latency.max, max: 50}]'");
  EXPECT_EQ(r.exit_status, 1) << r.output;
  EXPECT_NE(r.output.find("infeasible: binding deadline sources.fast.latency.max <= 50 (measured "
                          "58, slack -8) at -c "
                          "tune.deadlines="),
            std::string::npos)
      << r.output;
  const nlohmann::json tune = read_json(out / "tune.json");
  EXPECT_FALSE(tune["feasible"]);
  EXPECT_EQ(tune["winner"]["worst_slack"], -8);
}

// tests/cosim/tune/threshold_floor.yaml, by hand with the costs above: "noise" (priority 1,
// handler 1500) pulses at 1000 + 5000 k, "fast" (priority 2, handler 1000) at 2000 + 5000 k.
// - Floor 0: noise interrupts the idle hart, T2 - T0 = 58, its handler ends 1058 + 1500 =
//   2558; fast, pending since 2000, is claimed by the same trap's loop: 2558 + 4 + 4 + 12 =
//   2578, i.e. 578 cycles.
// - Floor 1: noise (1 <= 1) never raises the hart's interrupt; fast does: 58 cycles, its
//   handler ends 3058, and the loop's next claim (the claim ignores the threshold) returns
//   noise: T2 = 3058 + 20 = 3078, 2078 cycles after its pulse. Every period repeats this
//   (noise's handler ends at 4578, long before the next pulses): no drops.
// - Floor 2: neither interrupts, nothing claims them: no sample, and each gateway, its
//   first request pending for ever, drops the other 9.
// With fast's deadline of 100 cycles only floor 1 is feasible (slack 42); floor 0 misses by
// 478, floors 2 and 3 have no sample.
const std::string kFloorScenario =
    std::string(IRQLAB_SOURCE_DIR) + "/tests/cosim/tune/threshold_floor.yaml";

const nlohmann::json& source_named(const nlohmann::json& results, const std::string& name) {
  for (const nlohmann::json& s : results["sources"])
    if (s["name"] == name) return s;
  throw std::runtime_error("no source " + name);
}

TEST(ThresholdFloor, ASourceAtOrUnderTheFloorNeverInterruptsTheHart) {
  struct Expected {
    unsigned floor;
    int noise_latency, fast_latency;  // 0: never served
  };
  for (const Expected e : {Expected{0, 58, 578}, Expected{1, 2078, 58}, Expected{2, 0, 0}}) {
    SCOPED_TRACE("floor " + std::to_string(e.floor));
    const std::filesystem::path out = scratch("floor" + std::to_string(e.floor));
    const ProcessResult r = run_irqlab("run " + kFloorScenario + " --out " + out.string() +
                                       " -c kernel.threshold_floor=" + std::to_string(e.floor));
    ASSERT_EQ(r.exit_status, 0) << r.output;
    const nlohmann::json results = read_json(out / "results.json");
    for (const auto& [name, latency] :
         {std::pair{"noise", e.noise_latency}, std::pair{"fast", e.fast_latency}}) {
      SCOPED_TRACE(name);
      const nlohmann::json& source = source_named(results, name);
      EXPECT_EQ(source["latency"]["count"], latency == 0 ? 0 : 10);
      if (latency != 0) {
        EXPECT_EQ(source["latency"]["min"], latency);
        EXPECT_EQ(source["latency"]["max"], latency);
      }
      EXPECT_EQ(source["dropped"]["while_pending"], latency == 0 ? 9 : 0);
    }
  }
}

TEST(ThresholdFloor, TheTunerFindsTheOnlyFeasibleFloorAndExportsIt) {
  const std::filesystem::path out = scratch("floor_tune");
  const ProcessResult r = run_irqlab("tune " + kFloorScenario + " -j 2 --out " + out.string());
  ASSERT_EQ(r.exit_status, 0) << r.output;
  const nlohmann::json tune = read_json(out / "tune.json");
  ASSERT_EQ(tune["candidates"].size(), 4U);
  const nlohmann::json slack = nlohmann::json::array({-478, 42, nullptr, nullptr});
  for (std::size_t floor = 0; floor < 4; ++floor) {
    SCOPED_TRACE(floor);
    const nlohmann::json& c = tune["candidates"][floor];
    EXPECT_EQ(c["values"]["kernel.threshold_floor"], floor);
    EXPECT_EQ(c["worst_slack"], slack[floor]);
    EXPECT_EQ(c["feasible"], floor == 1);
    EXPECT_EQ(c["drops"], floor >= 2 ? 18 : 0);
  }
  EXPECT_EQ(tune["winner"]["values"]["kernel.threshold_floor"], 1);
  EXPECT_TRUE(tune["winner"]["verified"]);
  const std::string header = read_text(out / "winner_regs.h");
  EXPECT_NE(header.find("#define IRQLAB_TUNE_PLIC_THRESHOLD_0 0x1u"), std::string::npos) << header;
}

}  // namespace tune_search_test
}  // namespace irqlab::test
