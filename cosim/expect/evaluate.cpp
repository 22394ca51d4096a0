#include "expect/evaluate.h"

#include <compare>
#include <optional>

#include "expect/metric_path.h"

namespace irqlab::cosim::expect {

namespace {

using nlohmann::ordered_json;

// How many nearest paths a message about a missing metric lists.
constexpr std::size_t kNearestPaths = 5;

// An integer as sign and magnitude, so int64 and uint64 values compare exactly.
struct Integer {
  bool negative = false;
  std::uint64_t magnitude = 0;
};

std::strong_ordering compare(Integer a, Integer b) {
  if (a.negative != b.negative)
    return a.negative ? std::strong_ordering::less : std::strong_ordering::greater;
  return a.negative ? b.magnitude <=> a.magnitude : a.magnitude <=> b.magnitude;
}

Integer integer_of(std::int64_t v) {
  return v < 0 ? Integer{true, 0 - static_cast<std::uint64_t>(v)}
               : Integer{false, static_cast<std::uint64_t>(v)};
}

std::optional<Integer> integer_of(const ordered_json& v) {
  if (v.is_number_unsigned()) return Integer{false, v.get<std::uint64_t>()};
  if (v.is_number_integer()) return integer_of(v.get<std::int64_t>());
  return std::nullopt;
}

std::optional<Integer> integer_of(const ExpectedValue& v) {
  if (const auto* u = std::get_if<std::uint64_t>(&v)) return Integer{false, *u};
  if (const auto* i = std::get_if<std::int64_t>(&v)) return integer_of(*i);
  return std::nullopt;
}

double double_of(const ExpectedValue& v) {
  if (const auto* u = std::get_if<std::uint64_t>(&v)) return static_cast<double>(*u);
  if (const auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
  return std::get<double>(v);
}

bool is_number(const ExpectedValue& v) {
  return !std::holds_alternative<bool>(v) && !std::holds_alternative<std::string>(v);
}

const char* kind_of(const ordered_json& v) {
  if (v.is_number()) return "a number";
  if (v.is_boolean()) return "a boolean";
  if (v.is_string()) return "a string";
  return "null";
}

const char* kind_of(const ExpectedValue& v) {
  if (std::holds_alternative<bool>(v)) return "a boolean";
  if (std::holds_alternative<std::string>(v)) return "a string";
  return "a number";
}

// measured <=> expected, or nullopt when they are of different kinds.
std::optional<std::partial_ordering> compare(const ordered_json& measured,
                                             const ExpectedValue& expected) {
  if (measured.is_number() && is_number(expected)) {
    const std::optional<Integer> m = integer_of(measured);
    const std::optional<Integer> e = integer_of(expected);
    if (m && e) return compare(*m, *e);
    return measured.get<double>() <=> double_of(expected);
  }
  if (measured.is_boolean() && std::holds_alternative<bool>(expected))
    return measured.get<bool>() <=> std::get<bool>(expected);
  if (measured.is_string() && std::holds_alternative<std::string>(expected))
    return measured.get_ref<const std::string&>() <=> std::get<std::string>(expected);
  return std::nullopt;
}

bool holds(CompareOp op, std::partial_ordering order) {
  switch (op) {
    case CompareOp::Equal:
      return order == 0;
    case CompareOp::NotEqual:
      return order != 0;
    case CompareOp::Less:
      return order < 0;
    case CompareOp::LessEqual:
      return order <= 0;
    case CompareOp::Greater:
      return order > 0;
    case CompareOp::GreaterEqual:
      return order >= 0;
  }
  return false;
}

std::string list_of(const std::vector<std::string>& paths) {
  std::string out;
  for (const std::string& p : paths) out += (out.empty() ? "" : ", ") + p;
  return out.empty() ? "(none)" : out;
}

// The nearest value paths to `metric`; for a path that names an object or an array, the
// values under it come first.
std::vector<std::string> suggestions(const std::vector<std::string>& all,
                                     const std::string& metric) {
  std::vector<std::string> under;
  for (const std::string& p : all)
    if (p.size() > metric.size() && p.compare(0, metric.size(), metric) == 0 &&
        p[metric.size()] == '.')
      under.push_back(p);
  return nearest_paths(under.empty() ? all : under, metric, kNearestPaths);
}

class Checker {
 public:
  explicit Checker(const ordered_json& results) : results_(results) {}

  // One check's entry of the section.
  ordered_json check(const Expectation& e, const ExpectedValue& expected) {
    const std::string where = e.file + ":" + std::to_string(e.line) + ": " + e.metric;
    const std::string wanted =
        "expected " + std::string(op_text(e.op)) + " " + value_text(expected);
    const ordered_json* measured = find_metric(results_, e.metric);
    bool passed = false;
    std::string message;
    if (measured == nullptr) {
      message = where + ": no such metric in results.json; nearest: " + nearest(e.metric);
    } else if (measured->is_object() || measured->is_array()) {
      message = where + ": names " + (measured->is_object() ? "an object" : "an array") +
                ", not a value; nearest: " + nearest(e.metric);
    } else if (const std::optional<std::partial_ordering> order = compare(*measured, expected)) {
      passed = holds(e.op, *order);
      message = where + ": " + wanted + ", measured " + measured->dump();
    } else {
      message = where + ": " + wanted + ", measured " + measured->dump() + " (" +
                kind_of(*measured) + ", not " + kind_of(expected) + ")";
    }
    const bool scalar = measured != nullptr && !measured->is_object() && !measured->is_array();
    return {{"metric", e.metric},
            {"op", op_text(e.op)},
            {"expected", value_json(expected)},
            {"measured", scalar ? *measured : ordered_json()},
            {"passed", passed},
            {"file", e.file},
            {"line", e.line},
            {"message", message}};
  }

 private:
  std::string nearest(const std::string& metric) {
    if (!paths_) paths_ = value_paths(results_);  // once, and only for a path that is wrong
    return list_of(suggestions(*paths_, metric));
  }

  const ordered_json& results_;
  std::optional<std::vector<std::string>> paths_;
};

}  // namespace

ordered_json value_json(const ExpectedValue& value) {
  return std::visit([](const auto& v) { return ordered_json(v); }, value);
}

Verdict evaluate_expectations(const std::vector<Expectation>& expectations,
                              std::string_view personality, const ordered_json& results) {
  Verdict verdict;
  Checker checker(results);
  ordered_json checks = ordered_json::array();
  for (const Expectation& e : expectations) {
    const std::optional<ExpectedValue> expected = e.expected_for(personality);
    if (!expected) continue;
    ordered_json c = checker.check(e, *expected);
    if (c["passed"].get<bool>()) {
      ++verdict.passed;
    } else {
      ++verdict.failed;
      verdict.failures.push_back(c["message"].get<std::string>());
    }
    checks.push_back(std::move(c));
  }
  verdict.section = {
      {"passed", verdict.passed}, {"failed", verdict.failed}, {"checks", std::move(checks)}};
  return verdict;
}

}  // namespace irqlab::cosim::expect
