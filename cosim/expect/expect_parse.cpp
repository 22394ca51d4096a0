#include "expect/expect_parse.h"

#include <charconv>
#include <cmath>

#include "config/printable_text.h"
#include "personality/registry.h"
#include "scenario/scenario_keys.h"

namespace irqlab::cosim::expect {

namespace {

constexpr std::string_view kSpaces = " \t";
constexpr std::string_view kOpCharacters = "=!<>";
constexpr std::string_view kValueKinds = "a number, true, false or a quoted string";

std::string_view trimmed(std::string_view text) {
  const std::size_t begin = text.find_first_not_of(kSpaces);
  if (begin == std::string_view::npos) return {};
  return text.substr(begin, text.find_last_not_of(kSpaces) - begin + 1);
}

// An integer (uint64, or int64 when negative) or a finite number, the whole text; else
// nullopt. No hexadecimal, no "inf" or "nan".
std::optional<ExpectedValue> number_of(std::string_view text) {
  const char* const begin = text.data();
  const char* const end = text.data() + text.size();
  if (text.empty()) return std::nullopt;
  if (text.front() == '-') {
    std::int64_t v = 0;
    if (const auto [stop, ec] = std::from_chars(begin, end, v); ec == std::errc() && stop == end)
      return v;
  } else {
    std::uint64_t v = 0;
    if (const auto [stop, ec] = std::from_chars(begin, end, v); ec == std::errc() && stop == end)
      return v;
  }
  double v = 0;
  const auto [stop, ec] = std::from_chars(begin, end, v, std::chars_format::general);
  if (ec == std::errc() && stop == end && std::isfinite(v)) return v;
  return std::nullopt;
}

// A string value must be printable UTF-8 (it is written back into results.json and logs).
ExpectedValue checked_string(const ConfigNode& node, std::string text) {
  if (!text.empty())
    if (const std::optional<std::string> problem = name_problem(text))
      node.fail("the quoted string: " + *problem);
  return text;
}

// VALUE of the string form: the same kinds as a YAML scalar, quotes written out.
ExpectedValue value_of_text(const ConfigNode& node, std::string_view text) {
  if (text.size() >= 2 && (text.front() == '"' || text.front() == '\'') &&
      text.back() == text.front())
    return checked_string(node, std::string(text.substr(1, text.size() - 2)));
  if (text == "true") return true;
  if (text == "false") return false;
  if (std::optional<ExpectedValue> n = number_of(text)) return *n;
  node.fail("the value must be " + std::string(kValueKinds) + ", got '" + std::string(text) + "'");
}

// Only numbers are ordered: a boolean or a string takes == or !=.
void check_op_fits(const ConfigNode& node, CompareOp op, const ExpectedValue& value) {
  if (op == CompareOp::Equal || op == CompareOp::NotEqual) return;
  const char* kind = std::holds_alternative<bool>(value)          ? "a boolean"
                     : std::holds_alternative<std::string>(value) ? "a string"
                                                                  : nullptr;
  if (kind != nullptr)
    node.fail("'" + std::string(op_text(op)) + "' orders numbers; " + kind +
              " is compared with == or !=");
}

// Dot-separated, no empty segment, printable.
std::string metric_path(const ConfigNode& node, std::string path) {
  if (const std::optional<std::string> problem = name_problem(path))
    node.fail("the metric path: " + *problem);
  if (path.front() == '.' || path.back() == '.' || path.find("..") != std::string::npos)
    node.fail("the metric path '" + path +
              "' has an empty segment (segments are separated by one '.')");
  return path;
}

Expectation located(const ConfigNode& node) {
  Expectation e;
  e.file = node.from_command_line() ? "-c " + node.override_text() : node.file();
  const YAML::Mark mark = node.yaml().Mark();
  e.line = mark.line >= 0 ? static_cast<unsigned>(mark.line) + 1 : 0;
  return e;
}

// "PATH OP VALUE": OP is the first word (between spaces) made of =!<> characters.
Expectation from_text(const ConfigNode& node) {
  if (!node.yaml().IsScalar())
    node.fail("expected \"PATH OP VALUE\" or a map {metric, op, value}, got a list");
  const std::string text = node.as_string();
  Expectation e = located(node);
  std::size_t at = 0;
  for (;;) {
    const std::size_t begin = text.find_first_not_of(kSpaces, at);
    if (begin == std::string::npos) break;
    const std::size_t end = std::min(text.find_first_of(kSpaces, begin), text.size());
    const std::string_view word = std::string_view(text).substr(begin, end - begin);
    at = end;
    if (begin == 0 || word.find_first_not_of(kOpCharacters) != std::string_view::npos) continue;
    const std::optional<CompareOp> op = op_named(word);
    if (!op)
      node.fail("unknown comparison '" + std::string(word) + "' (expected " + op_list() + ")");
    e.op = *op;
    const std::string_view path = trimmed(std::string_view(text).substr(0, begin));
    if (path.empty()) node.fail("no metric path before '" + std::string(word) + "'");
    e.metric = metric_path(node, std::string(path));
    const std::string_view value = trimmed(std::string_view(text).substr(end));
    if (value.empty()) node.fail("no value after '" + std::string(word) + "'");
    e.value = value_of_text(node, value);
    check_op_fits(node, e.op, *e.value);
    return e;
  }
  node.fail("expected \"PATH OP VALUE\" with OP one of " + op_list() + " between spaces, got '" +
            text + "'");
}

std::string personality_list() {
  std::string list;
  const auto all = kernel::registered_personalities();
  for (std::size_t i = 0; i < all.size(); ++i)
    list += std::string(i == 0 ? "" : i + 1 == all.size() ? " or " : ", ") + all[i]->name;
  return list;
}

// {metric, op, value}; value a scalar or a map from personality names to scalars.
Expectation from_map(const ConfigNode& node) {
  allow_declared_keys(node);
  Expectation e = located(node);
  e.metric = metric_path(node.at("metric"), node.at("metric").as_string());
  const ConfigNode op_node = node.at("op");
  const std::optional<CompareOp> op = op_named(op_node.as_string());
  if (!op)
    op_node.fail("unknown comparison '" + op_node.as_string() + "' (expected " + op_list() + ")");
  e.op = *op;
  const ConfigNode value = node.at("value");
  if (!value.yaml().IsMap()) {
    e.value = read_expected_value(value);
    check_op_fits(value, e.op, *e.value);
    return e;
  }
  for (const auto& entry : value.yaml()) {
    const ConfigNode key = value.key_of(entry);
    const std::string name = entry.first.Scalar();
    if (kernel::find_personality(name) == nullptr)
      key.fail("unknown personality '" + name + "' (expected " + personality_list() + ")");
    const ConfigNode v = value.at(name);
    e.per_personality[name] = read_expected_value(v);
    check_op_fits(v, e.op, e.per_personality[name]);
  }
  if (e.per_personality.empty()) value.fail("the map of personalities to values is empty");
  return e;
}

}  // namespace

ExpectedValue read_expected_value(const ConfigNode& node) {
  const YAML::Node& y = node.yaml();
  if (!y.IsScalar())
    node.fail("expected " + std::string(kValueKinds) +
              (node.yaml().IsSequence() ? ", got a list" : ", got a map"));
  // "!": the non-specific tag of a quoted scalar; "!!str" after the document's round trip
  // (ConfigNode::text keeps quoted scalars strings).
  if (y.Tag() == "!" || y.Tag() == "tag:yaml.org,2002:str") return checked_string(node, y.Scalar());
  const std::string& text = y.Scalar();
  if (text == "true") return true;
  if (text == "false") return false;
  if (std::optional<ExpectedValue> n = number_of(text)) return *n;
  node.fail("expected " + std::string(kValueKinds) + ", got '" + text +
            "' (quote it if it is a string)");
}

std::vector<Expectation> read_expectations(const ConfigNode& list) {
  std::vector<Expectation> out;
  for (const ConfigNode& entry : list.items())
    out.push_back(entry.yaml().IsMap() ? from_map(entry) : from_text(entry));
  return out;
}

}  // namespace irqlab::cosim::expect
