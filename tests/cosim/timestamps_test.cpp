// T0–T5 of each request (docs/results-schema.md, "Timestamps T0–T5") on back-to-back and
// nested interrupts: every part is >= 0 and the parts add up to the whole, and the points
// are the cycles the documented constants and the cost profile give (e2e_support.h),
// computed here from the scenario's timing, never read from the run.
#include <gtest/gtest.h>

#include "e2e_support.h"

namespace irqlab::test {
namespace timestamps_test {

std::uint64_t at(const nlohmann::json& sample, const char* point) {
  return sample.at(point).get<std::uint64_t>();
}

// A register access: interconnect, TL-UL handshake, interconnect.
constexpr std::uint64_t kAccess = kRequestCycles + kHandshakeCycles + kResponseCycles;

// The points are ordered and the decomposition's parts add up to T2 - T0.
void expect_consistent(const nlohmann::json& s) {
  SCOPED_TRACE(s.dump());
  const std::uint64_t t0 = at(s, "t0"), t1 = at(s, "t1"), t2 = at(s, "t2");
  ASSERT_LE(t0, t1);
  ASSERT_LE(t1, t2);
  if (!s["irq"].is_null()) {
    const std::uint64_t irq = s["irq"];
    ASSERT_LE(t0, irq);
    ASSERT_LE(irq, t1);
    EXPECT_EQ((irq - t0) + (t1 - irq) + (t2 - t1), t2 - t0);
  }
  if (s.contains("t3")) {
    EXPECT_LE(t2, at(s, "t3"));
  }
  if (s.contains("t4")) {
    EXPECT_LE(t2, at(s, "t4"));
  }
  ASSERT_TRUE(s.contains("t5"));
  EXPECT_LE(t2, at(s, "t5"));
}

std::string one_hart(const std::string& personality, const std::string& sources) {
  return "name: points\nduration_cycles: 8000\nplatform: { harts: 1, bus: { request_cycles: 1, "
         "response_cycles: 1 } }\n"
         "kernel:\n  cost_profile: " +
         kCostProfile + "\n  tick_period: 0\n  personality: " + personality + "\nsources:\n" +
         sources;
}

// Three plain handlers (no personality wrapper) on an idle hart: B arrives while A's
// handler runs, so A's trap claims it (T1 = that claim); C arrives while the trap is
// leaving, so the hart traps for it as soon as the trap has returned.
TEST(Timestamps, BackToBackInterruptsOnOneHart) {
  constexpr std::uint64_t kHandler = 100;
  const RunOutput r = run_scenario(
      "points_back_to_back",
      one_hart("bsd43",
               "  - { source: 24, priority: 3, handler_cycles: 100, stimulus: { at: [1000] } }\n"
               "  - { source: 25, priority: 3, handler_cycles: 100, stimulus: { at: [1070] } }\n"
               "  - { source: 26, priority: 3, handler_cycles: 100, stimulus: { at: [1290] } }\n"),
      "--no-waves");
  ASSERT_EQ(r.process.exit_status, 0) << r.process.output;
  const auto a = r.samples.of("latency", 24).at(0);
  const auto b = r.samples.of("latency", 25).at(0);
  const auto c = r.samples.of("latency", 26).at(0);
  for (const auto* s : {&a, &b, &c}) expect_consistent(*s);

  // A traps on an idle hart: T1 at its line's rise, then trap entry, the claim, dispatch.
  EXPECT_EQ(at(a, "irq"), 1000 + kPlicCycles);
  EXPECT_EQ(at(a, "t1"), 1000 + kPlicCycles);
  EXPECT_FALSE(a["in_running_trap"].get<bool>());
  const std::uint64_t a_t2 =
      1000 + kPlicCycles + cost("trap_entry") + kAccess + cost("irq_dispatch");
  EXPECT_EQ(at(a, "t2"), a_t2);

  // B: its line rose during A's handler; A's trap claims it after A's completion write.
  EXPECT_TRUE(b["in_running_trap"].get<bool>());
  EXPECT_EQ(at(b, "irq"), 1070 + kPlicCycles);
  const std::uint64_t b_t1 = a_t2 + kHandler + kAccess /* complete */ + kAccess /* claim */;
  EXPECT_EQ(at(b, "t1"), b_t1);
  EXPECT_EQ(at(b, "t2"), b_t1 + cost("irq_dispatch"));
  EXPECT_EQ(source_entry(r.results, 25)["claimed_in_running_trap"], 1);

  // The trap ends after B's completion, a claim that finds nothing, and the trap exit:
  // A's and B's T5. C rose before it and is taken at once when the trap has returned.
  const std::uint64_t t5 = at(b, "t2") + kHandler + kAccess + kAccess + cost("trap_exit");
  EXPECT_EQ(at(a, "t5"), t5);
  EXPECT_EQ(at(b, "t5"), t5);
  EXPECT_FALSE(c["in_running_trap"].get<bool>());
  EXPECT_EQ(at(c, "irq"), 1290 + kPlicCycles);
  EXPECT_EQ(at(c, "t1"), t5);
  EXPECT_EQ(at(c, "t2"), t5 + cost("trap_entry") + kAccess + cost("irq_dispatch"));
  EXPECT_FALSE(a.contains("t3"));
  EXPECT_FALSE(a.contains("t4"));

  // The summaries hold these parts: trap_to_handler of B is the dispatch alone.
  const auto& b_parts = source_entry(r.results, 25)["decomposition"];
  EXPECT_EQ(b_parts["trap_to_handler"]["max"], cost("irq_dispatch"));
  EXPECT_EQ(b_parts["sampling"]["max"], b_t1 - (1070 + kPlicCycles));
  EXPECT_EQ(source_entry(r.results, 26)["decomposition"]["sampling"]["max"],
            t5 - (1290 + kPlicCycles));
}

// Linux runs softirqs at the end of a trap with interrupts open: B's trap nests inside A's
// softirq, with its own T1 and T5, and A's T5 comes after B's.
TEST(Timestamps, NestedInterruptHasItsOwnTrap) {
  const RunOutput r = run_scenario(
      "points_nested",
      one_hart("linux",
               "  - { source: 24, priority: 3, handler_cycles: 100, stimulus: { at: [1000] },\n"
               "      deferred: { level: net, cycles: 2000 } }\n"
               "  - { source: 25, priority: 4, handler_cycles: 100, stimulus: { at: [1600] } }\n"),
      "--no-waves");
  ASSERT_EQ(r.process.exit_status, 0) << r.process.output;
  const auto a = r.samples.of("latency", 24).at(0);
  const auto b = r.samples.of("latency", 25).at(0);
  expect_consistent(a);
  expect_consistent(b);
  ASSERT_TRUE(a.contains("t3"));
  ASSERT_LT(at(a, "t3"), 1600U);  // the softirq runs when B arrives
  // B on a hart with interrupts open: traps in the cycle its line rises.
  EXPECT_EQ(at(b, "t1"), 1600 + kPlicCycles);
  EXPECT_FALSE(b["in_running_trap"].get<bool>());
  EXPECT_EQ(at(b, "t2") - at(b, "t1"), cost("trap_entry") + kAccess + cost("irq_dispatch"));
  EXPECT_LT(at(b, "t5"), at(a, "t5"));
  EXPECT_GT(at(a, "t5"), at(a, "t3") + 2000);  // the softirq's work is inside A's trap
}

// FreeBSD's network deferred work runs in a software-interrupt thread the handler wakes.
// On an idle hart the trap returns to the idle loop (T5), which switches to that thread
// at once (T4); the work starts after the switch's cost: a run-queue pick and a full switch.
TEST(Timestamps, WokenThreadGivesT4) {
  const RunOutput r = run_scenario(
      "points_woken",
      one_hart(
          "freebsd",
          "  - { source: 24, priority: 3, handler_cycles: 100, stimulus: { at: [1000, 3000] },\n"
          "      deferred: { level: net, cycles: 300 } }\n"),
      "--no-waves");
  ASSERT_EQ(r.process.exit_status, 0) << r.process.output;
  const auto samples = r.samples.of("latency", 24);
  ASSERT_EQ(samples.size(), 2U);
  for (const auto& s : samples) {
    SCOPED_TRACE(s.dump());
    expect_consistent(s);
    ASSERT_TRUE(s.contains("t4"));
    ASSERT_TRUE(s.contains("t3"));
    EXPECT_EQ(at(s, "t4"), at(s, "t5"));
    EXPECT_EQ(at(s, "t3"), at(s, "t4") + cost("runq_pick") + cost("switch_full"));
    // The trap leaves after the handler (and its wake-up), a completion and an empty claim.
    EXPECT_GE(at(s, "t5"), at(s, "t2") + 100 + 2 * kAccess + cost("trap_exit"));
  }
}

}  // namespace timestamps_test
}  // namespace irqlab::test
