#pragma once
// Typed, strict access to YAML configuration: every error names the file, the line and
// the key, unknown keys are errors, and numbers must be what they claim to be.
#include <cstdint>
#include <filesystem>
#include <initializer_list>
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

class ConfigNode {
 public:
  // `from_command_line`: the node (or an ancestor) was set by -c key=value.
  ConfigNode(YAML::Node node, std::string file, std::string path, bool from_command_line = false);

  // Parses a whole file; a missing file or bad YAML is a ConfigError.
  static ConfigNode load_file(const std::filesystem::path& file);

  bool has(std::string_view key) const;
  ConfigNode at(std::string_view key) const;  // required key
  std::vector<ConfigNode> items() const;      // a sequence's entries

  std::uint64_t as_uint() const;
  double as_double() const;
  bool as_bool() const;
  std::string as_string() const;

  std::uint64_t uint_or(std::string_view key, std::uint64_t fallback) const;
  bool bool_or(std::string_view key, bool fallback) const;
  std::string string_or(std::string_view key, std::string fallback) const;

  // Fails on any key of this map that is not in `allowed`.
  void allow_only(std::initializer_list<std::string_view> allowed) const;
  void require_map() const;

  [[noreturn]] void fail(const std::string& problem) const;
  const std::string& file() const { return file_; }
  const std::string& path() const { return path_; }
  bool from_command_line() const { return from_command_line_; }
  const YAML::Node& yaml() const { return node_; }

 private:
  std::string where() const;

  YAML::Node node_;
  std::string file_;
  std::string path_;
  bool from_command_line_;
};

// Applies a `key.sub=value` override to a document before it is read; the value is
// parsed as YAML so numbers, booleans and lists work.
void apply_override(YAML::Node root, const std::string& assignment);

}  // namespace irqlab::cosim
