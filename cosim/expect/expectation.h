#pragma once
// Expectations: a scenario's `expect:` block states what its results.json must say, and a
// run that ends with any of it untrue fails (docs/expectations.md).
//
// Design. Three steps, each in its own file:
//  - expect_parse: at load time, with the scenario (scenario/scenario.cpp), each entry of
//    `expect:` (the string "PATH OP VALUE" or the map {metric, op, value}) becomes an
//    Expectation carrying the file and line it came from. Everything that can be judged
//    without the run is judged here and is bad input (ConfigError, exit 2): an unknown
//    comparison, a missing or non-scalar value, an ordering comparison on a boolean or a
//    string, a per-personality map naming a personality that is not registered, an empty
//    path segment.
//  - metric_path: a path names a value of the results document: dot-separated object keys;
//    on an array a segment selects the element whose `name` equals it, else a decimal
//    index. Whether the path exists is judged on the run's own document, not on the
//    schema: array elements are named by the scenario (sources, locks, LWPs) and optional
//    blocks (nic, ipsec) exist only when the scenario has them, so only the run knows.
//    A path that names nothing, or an object or array, is a failed check whose message
//    lists the nearest valid paths (edit distance over the document's value paths).
//  - evaluate: after the run, on the results document before it is written
//    (results/results_sink.cpp), every expectation that applies to the run's personality
//    is compared exactly (integers as integers, no tolerance) and the `expectations`
//    section of results.json is built; the sink then fails the run if any check failed.
//
// Plain data; any context.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace irqlab::cosim::expect {

enum class CompareOp : std::uint8_t { Equal, NotEqual, Less, LessEqual, Greater, GreaterEqual };

// "==", "!=", "<", "<=", ">", ">=".
std::string_view op_text(CompareOp op);
std::optional<CompareOp> op_named(std::string_view text);
// The operators as a list for messages: "==, !=, <, <=, > or >=".
std::string op_list();

// A value as a scenario writes it: a signed or unsigned integer, a finite number, a
// boolean or a (quoted) string.
using ExpectedValue = std::variant<std::int64_t, std::uint64_t, double, bool, std::string>;

// The value as the scenario would write it: 12, -3, 0.5, true, "text".
std::string value_text(const ExpectedValue& value);

struct Expectation {
  std::string metric;  // the results.json path, as written
  CompareOp op = CompareOp::Equal;
  // The value for every personality, or (when `per_personality` is not empty) none: then
  // only the personalities listed there are checked, each against its own value.
  std::optional<ExpectedValue> value;
  std::map<std::string, ExpectedValue, std::less<>> per_personality;
  std::string file;   // the scenario's path as given, or "-c <assignment>" for an override
  unsigned line = 0;  // 1-based, in that file (or in the override's value)

  // The value a run under `personality` is checked against; nullopt: not checked there.
  std::optional<ExpectedValue> expected_for(std::string_view personality) const;
};

}  // namespace irqlab::cosim::expect
