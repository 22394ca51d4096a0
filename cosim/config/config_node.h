#pragma once
// Typed, strict access to YAML configuration: every error names where the value came
// from (the file and line, or the -c override and its text) and the key; unknown keys,
// keys given twice, numbers that are not what they claim to be (negative, too large,
// not finite) and names that are not printable UTF-8 are errors. Error messages are
// one line: what the user wrote is escaped (printable_text.h).
//
// Used by the scenario and cost-profile loaders on the simulation thread before a run.
#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>
#include <yaml-cpp/yaml.h>

namespace irqlab::cosim {

// A configuration file, a scenario or a command-line override is wrong.
struct ConfigError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Largest configuration file read, in bytes (a bound: a device or a huge file is refused
// rather than read whole).
inline constexpr std::uintmax_t kMaxConfigFileBytes = 16u << 20;

class ConfigNode {
 public:
  // `override_text`: the -c key=value that set the node (or an ancestor); empty when the
  // node comes from `file`. A node an override set also carries its text in its tag.
  ConfigNode(YAML::Node node, std::string file, std::string path, std::string override_text = {});

  // Parses a whole file; a missing file, a directory, a file over kMaxConfigFileBytes, bad
  // YAML, a key given twice or a second document is a ConfigError.
  static ConfigNode load_file(const std::filesystem::path& file);

  bool has(std::string_view key) const;
  ConfigNode at(std::string_view key) const;  // required key
  std::vector<ConfigNode> items() const;      // a sequence's entries
  // The key of one of this map's entries, as a node (for errors about the key itself).
  ConfigNode key_of(const std::pair<YAML::Node, YAML::Node>& entry) const;

  std::uint64_t as_uint() const;
  double as_double() const;  // finite only
  bool as_bool() const;
  std::string as_string() const;
  // A string that names something: printable UTF-8, not empty, at most kMaxNameBytes.
  std::string as_name() const;

  std::uint64_t uint_or(std::string_view key, std::uint64_t fallback) const;
  bool bool_or(std::string_view key, bool fallback) const;
  std::string string_or(std::string_view key, std::string fallback) const;

  // Fails on any key of this map that is not in `allowed`.
  void allow_only(std::initializer_list<std::string_view> allowed) const;
  void require_map() const;

  [[noreturn]] void fail(const std::string& problem) const;
  const std::string& file() const { return file_; }
  const std::string& path() const { return path_; }
  bool from_command_line() const { return override_text_ != nullptr; }
  const std::string& override_text() const;
  const YAML::Node& yaml() const { return node_; }
  // This node as YAML text, without the marks overrides leave on the nodes they set (they
  // are not YAML a reader could load back); quoted scalars are written as !!str.
  std::string text() const;

 private:
  // A child shares its parent's override text: a long -c list would otherwise be copied
  // into every one of its entries (quadratic memory in the list's length).
  using SharedText = std::shared_ptr<const std::string>;
  ConfigNode(YAML::Node node, std::string file, std::string path, SharedText override_text);
  std::string where() const;

  YAML::Node node_;
  std::string file_;
  std::string path_;
  SharedText override_text_;  // null when the node comes from `file`
};

// Applies a `key.sub=value` override to a document before it is read; the value is
// parsed as YAML so numbers, booleans and lists work. The nodes it sets or creates carry
// the assignment, so errors about them name "-c <assignment>". Throws ConfigError (naming
// the -c) for a missing '=', an empty key part, an indexed list element (`a[0].b`), an
// empty value, malformed YAML, a key given twice in the value, or a path through a scalar.
void apply_override(YAML::Node root, const std::string& assignment);

}  // namespace irqlab::cosim
