#include "expect/expectation.h"

#include <array>
#include <charconv>
#include <utility>

namespace irqlab::cosim::expect {

namespace {

constexpr std::array<std::pair<CompareOp, std::string_view>, 6> kOps{{
    {CompareOp::Equal, "=="},
    {CompareOp::NotEqual, "!="},
    {CompareOp::Less, "<"},
    {CompareOp::LessEqual, "<="},
    {CompareOp::Greater, ">"},
    {CompareOp::GreaterEqual, ">="},
}};

// The shortest text that reads back as the same double.
std::string number_text(double value) {
  std::array<char, 32> text{};
  const auto [end, ec] = std::to_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() ? std::string(text.data(), end) : std::to_string(value);
}

}  // namespace

std::string_view op_text(CompareOp op) {
  for (const auto& [o, text] : kOps)
    if (o == op) return text;
  return "?";
}

std::optional<CompareOp> op_named(std::string_view text) {
  for (const auto& [o, name] : kOps)
    if (name == text) return o;
  return std::nullopt;
}

std::string op_list() {
  std::string list;
  for (std::size_t i = 0; i < kOps.size(); ++i)
    list += std::string(i == 0                 ? ""
                        : i + 1 == kOps.size() ? " or "
                                               : ", ") +
            std::string(kOps[i].second);
  return list;
}

std::string value_text(const ExpectedValue& value) {
  struct Text {
    std::string operator()(std::int64_t v) const { return std::to_string(v); }
    std::string operator()(std::uint64_t v) const { return std::to_string(v); }
    std::string operator()(double v) const { return number_text(v); }
    std::string operator()(bool v) const { return v ? "true" : "false"; }
    std::string operator()(const std::string& v) const { return "\"" + v + "\""; }
  };
  return std::visit(Text{}, value);
}

std::optional<ExpectedValue> Expectation::expected_for(std::string_view personality) const {
  if (per_personality.empty()) return value;
  const auto it = per_personality.find(personality);
  if (it == per_personality.end()) return std::nullopt;
  return it->second;
}

}  // namespace irqlab::cosim::expect
