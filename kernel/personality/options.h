#pragma once
// Personality options as data. Each personality declares its options once, as a table of
// OptionField<Options> bound to the members of its own options struct
// (kernel/personality/<name>/): the scenario parser, `irqlab list`, the generated key
// reference of docs/scenario-format.md and validate_personality() all read that table
// through the untyped OptionSpec. A member's default is the value a default-constructed
// options struct holds, so it is written in one place.
//
// A KernelConfig carries the values a scenario set, by personality and option name
// (PersonalityConfig); a personality turns them back into its struct with read_options()
// when it is configured or constructed. Plain data and templates; any context.
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace irqlab::kernel {

enum class OptionType : std::uint8_t { Bool, Uint };

// One option as the loaders and docs see it. A bool's range is 0..1.
struct OptionSpec {
  std::string name;
  OptionType type = OptionType::Uint;
  std::uint64_t min = 0;
  std::uint64_t max = 0;
  std::uint64_t default_value = 0;
  std::string unit;  // empty for a bool or a plain count
  std::string description;
};

// Option values by name (a bool as 0 or 1); an option absent takes its default.
using OptionValues = std::map<std::string, std::uint64_t, std::less<>>;

// Which personality a kernel runs and the options a configuration set, by personality
// name then option name. Options of personalities that do not run are kept (a scenario
// comparing several personalities gives each its options) and ignored.
struct PersonalityConfig {
  std::string name = "none";
  std::map<std::string, OptionValues, std::less<>> options;

  // The values set for personality `personality` (empty if none).
  const OptionValues& options_of(std::string_view personality) const {
    static const OptionValues kNone;
    const auto it = options.find(personality);
    return it == options.end() ? kNone : it->second;
  }
};

// An option bound to a member of a personality's options struct.
template <class Options>
struct OptionField {
  std::string_view name;
  std::variant<bool Options::*, unsigned Options::*> member;
  std::uint64_t min = 0;  // ignored for a bool
  std::uint64_t max = 1;
  std::string_view unit;
  std::string_view description;
};

// GCC 12 cannot see that a variant holding a `bool Options::*` never reaches the
// `unsigned Options::*` branch, and for an Options with only bool members reports that
// branch's access as out of bounds or uninitialized (-Warray-bounds,
// -Wmaybe-uninitialized, false positives). Silenced for these three templates only, and
// for GCC only: clang has no -Wmaybe-uninitialized and does not report these.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Warray-bounds"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

// The untyped schema of `fields`, defaults taken from a default-constructed Options.
template <class Options>
std::vector<OptionSpec> option_schema(std::span<const OptionField<Options>> fields) {
  const Options defaults{};
  std::vector<OptionSpec> schema;
  for (const OptionField<Options>& f : fields) {
    OptionSpec spec{std::string(f.name), OptionType::Uint, f.min, f.max, 0, std::string(f.unit),
                    std::string(f.description)};
    if (const auto* flag = std::get_if<bool Options::*>(&f.member)) {
      spec.type = OptionType::Bool;
      spec.min = 0;
      spec.max = 1;
      spec.default_value = defaults.*(*flag) ? 1 : 0;
    } else {
      spec.default_value = defaults.*std::get<unsigned Options::*>(f.member);
    }
    schema.push_back(std::move(spec));
  }
  return schema;
}

// The options struct for `values`: defaults, overwritten by every value set. Values are
// range-checked by validate_personality() before a kernel reads them.
template <class Options>
Options read_options(std::span<const OptionField<Options>> fields, const OptionValues& values) {
  Options options{};
  for (const OptionField<Options>& f : fields) {
    const auto value = values.find(f.name);
    if (value == values.end()) continue;
    if (const auto* flag = std::get_if<bool Options::*>(&f.member))
      options.*(*flag) = value->second != 0;
    else
      options.*std::get<unsigned Options::*>(f.member) = static_cast<unsigned>(value->second);
  }
  return options;
}

// Every field of `options` as values (the inverse of read_options).
template <class Options>
OptionValues write_options(std::span<const OptionField<Options>> fields, const Options& options) {
  OptionValues values;
  for (const OptionField<Options>& f : fields) {
    if (const auto* flag = std::get_if<bool Options::*>(&f.member))
      values[std::string(f.name)] = options.*(*flag) ? 1 : 0;
    else
      values[std::string(f.name)] = options.*std::get<unsigned Options::*>(f.member);
  }
  return values;
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

}  // namespace irqlab::kernel
