// Expectations (docs/expectations.md): metric paths and comparisons on hand-written
// results documents; the expect: block read with its files and lines; and the binary on
// the IPsec scenario, shortened to 10 packets, with checks that pass (values derived here
// from the documented constants, the cost profile, the research table and the stimulus,
// never read from a run), a check that fails (status failed, exit 1, file, line, metric,
// expected and measured value), a metric that does not exist (the nearest paths) and a
// comparison whose parent reports a child's failed check.
#include <algorithm>
#include <gtest/gtest.h>

#include "config/config_node.h"
#include "e2e_support.h"
#include "expect/evaluate.h"
#include "expect/expect_parse.h"
#include "expect/metric_path.h"

namespace irqlab::cosim::expect {
namespace expect_test {

using nlohmann::ordered_json;

// A results document written by hand: named and unnamed array elements, a name with a
// dot, an element named like an index, a histogram, a null.
const ordered_json kDoc = ordered_json::parse(R"({
  "status": "ok",
  "sources": [
    {"name": "nic", "latency": {"count": 3, "mean": 58.5, "p99": 120,
                                "distribution": [[58, 2], [59, 1]]}},
    {"name": "eth.0", "handled": 7}
  ],
  "cpus": [{"cpu": 0, "interrupts": 4}, {"cpu": 1, "interrupts": 18446744073709551615}],
  "ranks": [{"name": "1", "v": "named"}, {"name": "x", "v": "second"}],
  "locks": [{"name": "sadb", "holder": null, "flag": true}],
  "offset": -5
})");

TEST(MetricPath, KeysNamesAndIndices) {
  EXPECT_EQ(*find_metric(kDoc, "sources.nic.latency.p99"), 120);
  EXPECT_EQ(*find_metric(kDoc, "cpus.1.interrupts"), 18446744073709551615ULL);
  EXPECT_EQ(*find_metric(kDoc, "sources.eth.0.handled"), 7);  // a name holding a dot
  EXPECT_EQ(*find_metric(kDoc, "ranks.1.v"), "named");        // a name before an index
  EXPECT_EQ(*find_metric(kDoc, "ranks.0.v"), "named");        // index 0 is that element
  EXPECT_EQ(*find_metric(kDoc, "sources.nic.latency.distribution.1.0"), 59);
  EXPECT_TRUE(find_metric(kDoc, "locks.sadb.holder")->is_null());
  EXPECT_TRUE(find_metric(kDoc, "sources.nic")->is_object());
  for (const char* missing : {"sources.nick.latency.p99", "cpus.2.interrupts", "cpus.01x",
                              "status.x", "sources.nic.latency.p95", "offset.0"})
    EXPECT_EQ(find_metric(kDoc, missing), nullptr) << missing;
}

TEST(MetricPath, ValuePathsAndTheNearestOnes) {
  const std::vector<std::string> paths = value_paths(kDoc);
  const std::vector<std::string> expected{"status",
                                          "sources.nic.name",
                                          "sources.nic.latency.count",
                                          "sources.nic.latency.mean",
                                          "sources.nic.latency.p99",
                                          "sources.eth.0.name",
                                          "sources.eth.0.handled",
                                          "cpus.0.cpu",
                                          "cpus.0.interrupts",
                                          "cpus.1.cpu",
                                          "cpus.1.interrupts",
                                          "ranks.1.name",
                                          "ranks.1.v",
                                          "ranks.x.name",
                                          "ranks.x.v",
                                          "locks.sadb.name",
                                          "locks.sadb.flag",
                                          "offset"};
  EXPECT_EQ(paths, expected);  // no histogram pairs, no null
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3U);
  EXPECT_EQ(edit_distance("", "abc"), 3U);
  EXPECT_EQ(edit_distance("p99", "p99"), 0U);
  // One edit from p99, then mean (4 edits) and count (5).
  EXPECT_EQ(nearest_paths(paths, "sources.nic.latency.p9", 3),
            (std::vector<std::string>{"sources.nic.latency.p99", "sources.nic.latency.mean",
                                      "sources.nic.latency.count"}));
  EXPECT_EQ(nearest_paths(paths, "offset", 10).front(), "offset");
  EXPECT_EQ(nearest_paths(paths, "x", 100).size(), paths.size());
}

Expectation expectation(std::string metric, CompareOp op, ExpectedValue value) {
  Expectation e;
  e.metric = std::move(metric);
  e.op = op;
  e.value = std::move(value);
  e.file = "s.yaml";
  e.line = 9;
  return e;
}

bool passes(const std::string& metric, CompareOp op, const ExpectedValue& value) {
  const Verdict v = evaluate_expectations({expectation(metric, op, value)}, "linux", kDoc);
  return v.passed == 1 && v.failed == 0;
}

TEST(Evaluate, ComparisonsAreExact) {
  using enum CompareOp;
  EXPECT_TRUE(passes("sources.nic.latency.p99", LessEqual, std::uint64_t{120}));
  EXPECT_FALSE(passes("sources.nic.latency.p99", Less, std::uint64_t{120}));
  EXPECT_TRUE(passes("sources.nic.latency.p99", Equal, 120.0));
  // 2^64 - 1 against 2^64 - 2: no rounding through double.
  EXPECT_TRUE(passes("cpus.1.interrupts", Greater, std::uint64_t{18446744073709551614ULL}));
  EXPECT_FALSE(passes("cpus.1.interrupts", Equal, std::uint64_t{18446744073709551614ULL}));
  EXPECT_TRUE(passes("cpus.1.interrupts", Greater, std::int64_t{-1}));
  EXPECT_TRUE(passes("offset", Less, std::uint64_t{0}));
  EXPECT_TRUE(passes("offset", Equal, std::int64_t{-5}));
  EXPECT_TRUE(passes("offset", Greater, -5.5));
  EXPECT_TRUE(passes("sources.nic.latency.mean", Greater, std::uint64_t{58}));
  EXPECT_FALSE(passes("sources.nic.latency.mean", NotEqual, 58.5));
  EXPECT_TRUE(passes("locks.sadb.flag", Equal, true));
  EXPECT_TRUE(passes("locks.sadb.flag", NotEqual, false));
  EXPECT_TRUE(passes("status", Equal, std::string("ok")));
  EXPECT_FALSE(passes("status", Equal, std::string("failed")));
  // Another kind of value, null, an object, nothing: failed.
  EXPECT_FALSE(passes("status", NotEqual, std::uint64_t{1}));
  EXPECT_FALSE(passes("locks.sadb.holder", NotEqual, std::uint64_t{1}));
  EXPECT_FALSE(passes("sources.nic", NotEqual, std::uint64_t{1}));
  EXPECT_FALSE(passes("sources.nic.latency.p95", NotEqual, std::uint64_t{1}));
}

TEST(Evaluate, TheSectionAndItsMessages) {
  Expectation per_personality =
      expectation("cpus.0.interrupts", CompareOp::Equal, std::uint64_t{0});
  per_personality.value.reset();
  per_personality.per_personality = {{"linux", std::uint64_t{4}}, {"netbsd", std::uint64_t{5}}};
  Expectation bsd_only = per_personality;
  bsd_only.per_personality = {{"bsd43", std::uint64_t{1}}};
  const std::vector<Expectation> list{
      expectation("sources.nic.latency.p99", CompareOp::LessEqual, std::uint64_t{100}),
      per_personality,
      bsd_only,
      expectation("sources.nic.latncy.p99", CompareOp::Less, std::uint64_t{3}),
      expectation("sources.nic.latency", CompareOp::Less, std::uint64_t{3}),
      expectation("status", CompareOp::Equal, true),
  };
  const Verdict v = evaluate_expectations(list, "linux", kDoc);
  EXPECT_EQ(v.passed, 1U);
  EXPECT_EQ(v.failed, 4U);
  ASSERT_EQ(v.section.at("checks").size(), 5U);  // bsd43's alone is not listed
  EXPECT_EQ(v.section.at("passed"), 1);
  EXPECT_EQ(v.section.at("failed"), 4);
  const ordered_json& first = v.section.at("checks").at(0);
  EXPECT_EQ(first.dump(),
            R"({"metric":"sources.nic.latency.p99","op":"<=","expected":100,"measured":120,)"
            R"("passed":false,"file":"s.yaml","line":9,"message":"s.yaml:9: )"
            R"(sources.nic.latency.p99: expected <= 100, measured 120"})");
  EXPECT_EQ(v.section.at("checks").at(1).at("expected"), 4);
  EXPECT_TRUE(v.section.at("checks").at(1).at("passed").get<bool>());
  EXPECT_EQ(v.failures.at(1),
            "s.yaml:9: sources.nic.latncy.p99: no such metric in results.json; nearest: "
            "sources.nic.latency.p99, sources.nic.latency.mean, sources.nic.latency.count, "
            "sources.nic.name, sources.eth.0.name");
  // An object: the values under it first.
  EXPECT_EQ(v.failures.at(2),
            "s.yaml:9: sources.nic.latency: names an object, not a value; nearest: "
            "sources.nic.latency.p99, sources.nic.latency.mean, sources.nic.latency.count");
  EXPECT_EQ(v.failures.at(3),
            "s.yaml:9: status: expected == true, measured \"ok\" (a string, not a boolean)");
  EXPECT_TRUE(v.section.at("checks").at(2).at("measured").is_null());
  EXPECT_EQ(evaluate_expectations(list, "netbsd", kDoc).section.at("checks").at(1).at("expected"),
            5);
}

// `text` as the expect: block of a file "x.yaml" whose first line is the key.
std::vector<Expectation> parsed(const std::string& text) {
  const YAML::Node doc = YAML::Load("expect:\n" + text);
  return read_expectations(ConfigNode(doc["expect"], "x.yaml", "expect"));
}

TEST(Parse, BothFormsWithTheirLines) {
  const std::vector<Expectation> list = parsed(
      "  - \"sources.nic.latency.p99 <= 120\"\n"
      "  - 'status == \"ok\"'\n"
      "  - \"sources.eth 0.handled   !=  -3\"\n"
      "  - metric: ipsec.per_packet.fs\n"
      "    op: \">=\"\n"
      "    value: {linux: 0, freebsd: 7.5}\n"
      "  - {metric: locks.sadb.flag, op: \"==\", value: false}\n"
      "  - {metric: status, op: \"!=\", value: \"12\"}\n");
  ASSERT_EQ(list.size(), 6U);
  EXPECT_EQ(list[0].metric, "sources.nic.latency.p99");
  EXPECT_EQ(list[0].op, CompareOp::LessEqual);
  EXPECT_EQ(list[0].value, ExpectedValue(std::uint64_t{120}));
  EXPECT_EQ(list[0].file, "x.yaml");
  EXPECT_EQ(list[0].line, 2U);
  EXPECT_EQ(list[1].value, ExpectedValue(std::string("ok")));
  EXPECT_EQ(list[2].metric, "sources.eth 0.handled");  // spaces inside a name
  EXPECT_EQ(list[2].value, ExpectedValue(std::int64_t{-3}));
  EXPECT_EQ(list[3].line, 5U);
  EXPECT_FALSE(list[3].value.has_value());
  EXPECT_EQ(list[3].expected_for("freebsd"), ExpectedValue(7.5));
  EXPECT_EQ(list[3].expected_for("linux"), ExpectedValue(std::uint64_t{0}));
  EXPECT_FALSE(list[3].expected_for("netbsd").has_value());
  EXPECT_EQ(list[4].value, ExpectedValue(false));
  EXPECT_EQ(list[4].line, 8U);
  EXPECT_EQ(list[5].value, ExpectedValue(std::string("12")));  // quoted: a string
}

TEST(Parse, AnOverrideIsNamedInsteadOfAFile) {
  YAML::Node doc = YAML::Load("name: x\n");
  apply_override(doc, "expect=[\"status == 'ok'\"]");
  const std::vector<Expectation> list =
      read_expectations(ConfigNode(doc["expect"], "x.yaml", "expect"));
  ASSERT_EQ(list.size(), 1U);
  EXPECT_EQ(list[0].file, "-c expect=[\"status == 'ok'\"]");
  EXPECT_EQ(list[0].line, 1U);
}

// The IPsec scenario (scenarios/ipsec.yaml) with 10 packets, then `expect`; the cost
// profile path made absolute. Returns the text and the line the expect: block's first
// entry is on.
std::pair<std::string, unsigned> ipsec_with(const std::string& expect_block) {
  std::string text = test::read_text(std::string(IRQLAB_SOURCE_DIR) + "/scenarios/ipsec.yaml");
  const std::string relative = "cost_profile: costs/default.yaml";
  text.replace(text.find(relative), relative.size(), "cost_profile: " + test::kCostProfile);
  const std::string count = "count: 150";
  text.replace(text.find(count), count.size(), "count: 10");
  const std::string duration = "duration_cycles: 2000000";
  text.replace(text.find(duration), duration.size(), "duration_cycles: 200000");
  const auto lines = static_cast<unsigned>(std::count(text.begin(), text.end(), '\n'));
  return {text + "expect:\n" + expect_block, lines + 2};
}

// T2 - T0 of a request that traps on a hart running with interrupts open: the PLIC's two
// flops, trap entry, the claim read, dispatch (docs/architecture.md, "Interrupt latency").
std::uint64_t trap_floor() {
  return test::kPlicCycles + test::cost("trap_entry") +
         (test::kRequestCycles + test::kHandshakeCycles + test::kResponseCycles) +
         test::cost("irq_dispatch");
}

// The comparison table's row (run/compare_table.h): a 28-column label, 12-column cells.
std::string table_row(const std::string& label, const std::vector<std::string>& cells) {
  std::string row = label + std::string(28 - label.size(), ' ');
  for (const std::string& c : cells) row += " " + std::string(12 - c.size(), ' ') + c;
  return row;
}

struct ScenarioRun {
  test::ProcessResult process;
  std::filesystem::path out;
  std::filesystem::path scenario;
};

ScenarioRun run_file(const std::string& name, const std::string& text, const std::string& args) {
  const std::filesystem::path dir = test::scratch_dir("expect_" + name);
  test::write_text(dir / "scenario.yaml", text);
  ScenarioRun r{{}, dir / "out", dir / "scenario.yaml"};
  r.process = test::run_irqlab("run " + r.scenario.string() + " --out " + r.out.string() +
                               " --no-waves " + args);
  return r;
}

// Every personality of the scenario (a comparison): the IPsec path's figures the research
// (research/kernel-semantics.md §6) and the stimulus fix, each run checking its own.
TEST(ExpectRun, PassingChecksUnderEveryPersonality) {
  const std::string floor = std::to_string(trap_floor());
  const auto [text, first_line] = ipsec_with(
      "  - \"nic.offered == 10\"\n"               // traffic.count
      "  - \"ipsec.delivery.delivered == 10\"\n"  // bad_tag_every 25: none of 10 is bad
      "  - \"nic.dropped.fifo_overflow == 0\"\n"  // 100 us between packets
      "  - \"ipsec.nic.t2_minus_t0.max == " +
      floor +
      "\"\n"  // U runs at every interrupt
      "  - \"ipsec.crypto.t2_minus_t0.min == " +
      floor +
      "\"\n"
      "  - metric: ipsec.per_packet.fs\n"  // research §6's FS column
      "    op: \"==\"\n"
      "    value: {linux: 0, freebsd: 7, netbsd: 2, bsd43: 0}\n");
  const ScenarioRun r = run_file("pass", text, "");
  ASSERT_EQ(r.process.exit_status, 0) << r.process.output;
  EXPECT_NE(r.process.output.find(table_row("expectations", {"6/6", "6/6", "6/6", "6/6"})),
            std::string::npos)
      << r.process.output;
  for (const char* personality : {"linux", "freebsd", "netbsd", "bsd43"}) {
    SCOPED_TRACE(personality);
    const nlohmann::json results = test::read_results(r.out / personality / "results.json");
    EXPECT_EQ(results["status"], "ok");
    const nlohmann::json& e = results["expectations"];
    EXPECT_EQ(e["passed"], 6);
    EXPECT_EQ(e["failed"], 0);
    ASSERT_EQ(e["checks"].size(), 6U);
    EXPECT_EQ(e["checks"][0]["file"], r.scenario.string());
    EXPECT_EQ(e["checks"][0]["line"], first_line);
    EXPECT_EQ(e["checks"][3]["expected"], trap_floor());
    EXPECT_EQ(e["checks"][5]["line"], first_line + 5);
  }
}

TEST(ExpectRun, AFailedCheckFailsTheRunAndSaysWhereAndWhat) {
  const auto [text, first_line] = ipsec_with(
      "  - \"ipsec.packets == 10\"\n"
      "  - \"nic.offered >= 11\"\n");
  const ScenarioRun r = run_file("fail", text, "-c kernel.personality=netbsd");
  EXPECT_EQ(r.process.exit_status, 1) << r.process.output;
  const std::string message = r.scenario.string() + ":" + std::to_string(first_line + 1) +
                              ": nic.offered: expected >= 11, measured 10";
  EXPECT_NE(r.process.output.find("expectation failed: " + message), std::string::npos)
      << r.process.output;
  const nlohmann::json results = test::read_results(r.out / "results.json");
  EXPECT_EQ(results["status"], "failed");
  EXPECT_EQ(results["error"], "1 of 2 expectations failed: " + message);
  const nlohmann::json& check = results["expectations"]["checks"][1];
  EXPECT_EQ(check["metric"], "nic.offered");
  EXPECT_EQ(check["op"], ">=");
  EXPECT_EQ(check["expected"], 11);
  EXPECT_EQ(check["measured"], 10);
  EXPECT_FALSE(check["passed"].get<bool>());
  EXPECT_EQ(check["line"], first_line + 1);
  EXPECT_EQ(results["expectations"]["passed"], 1);
}

TEST(ExpectRun, AMissingMetricListsTheNearestPaths) {
  const auto [text, first_line] = ipsec_with("  - \"ipsec.nic.t2_minus_t0.p95 <= 100\"\n");
  const ScenarioRun r = run_file("missing", text, "-c kernel.personality=bsd43");
  EXPECT_EQ(r.process.exit_status, 1) << r.process.output;
  const nlohmann::json results = test::read_results(r.out / "results.json");
  const nlohmann::json& check = results["expectations"]["checks"][0];
  EXPECT_TRUE(check["measured"].is_null());
  const std::string message = check["message"];
  // p99 is one edit away; then, two edits away, in document order: the other legs' p99
  // (t1 before t2 in the document) and t2's p50.
  EXPECT_EQ(message, r.scenario.string() + ":" + std::to_string(first_line) +
                         ": ipsec.nic.t2_minus_t0.p95: no such metric in results.json; "
                         "nearest: ipsec.nic.t2_minus_t0.p99, ipsec.nic.t1_minus_t0.p99, "
                         "ipsec.nic.t2_minus_t0.p50, ipsec.nic.t3_minus_t0.p99, "
                         "ipsec.nic.t5_minus_t0.p99");
}

// A malformed check is bad input: exit status 2 before anything runs, no results.
TEST(ExpectRun, AMalformedCheckStopsTheRunBeforeItStarts) {
  const auto [text, first_line] = ipsec_with("  - \"nic.offered =< 10\"\n");
  const ScenarioRun r = run_file("malformed", text, "-c kernel.personality=linux");
  EXPECT_EQ(r.process.exit_status, 2) << r.process.output;
  EXPECT_NE(r.process.output.find(r.scenario.string() + ":" + std::to_string(first_line) +
                                  ": key 'expect[0]': unknown comparison '=<'"),
            std::string::npos)
      << r.process.output;
  EXPECT_FALSE(std::filesystem::exists(r.out / "results.json"));
}

// A comparison: each child checks its own values; the parent's table says which failed,
// and its exit status is 1.
TEST(ExpectRun, AComparisonFailsWhenAChildFailedACheck) {
  const auto [text, first_line] = ipsec_with(
      "  - \"ipsec.packets == 10\"\n"
      "  - metric: ipsec.per_packet.fs\n"
      "    op: \"==\"\n"
      "    value: {netbsd: 2, bsd43: 1}\n");  // research §6: bsd43 has 0
  const ScenarioRun r = run_file("compare", text, "-c 'kernel.personality=[netbsd, bsd43]'");
  EXPECT_EQ(r.process.exit_status, 1) << r.process.output;
  EXPECT_NE(r.process.output.find(table_row("expectations", {"2/2", "1/2 FAILED"})),
            std::string::npos)
      << r.process.output;
  const nlohmann::json results = test::read_results(r.out / "results.json");
  EXPECT_EQ(results["status"], "failed");
  EXPECT_EQ(results["children"]["bsd43"]["status"], "failed");
  EXPECT_EQ(results["children"]["bsd43"]["message"],
            "1 of 2 expectations failed: " + r.scenario.string() + ":" +
                std::to_string(first_line + 1) +
                ": ipsec.per_packet.fs: expected == 1, measured 0.0");
  EXPECT_EQ(results["children"]["netbsd"]["status"], "ok");
}

}  // namespace expect_test
}  // namespace irqlab::cosim::expect
