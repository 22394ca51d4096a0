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
namespace {

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

}  // namespace
}  // namespace irqlab::test
