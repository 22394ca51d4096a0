#include "config/config_node.h"

#include <charconv>
#include <fstream>
#include <sstream>

namespace irqlab::cosim {

namespace {
// Marks values that came from -c key=value, so errors point at the command line.
constexpr const char* kOverrideTag = "!irqlab-override";
}  // namespace

ConfigNode::ConfigNode(YAML::Node node, std::string file, std::string path, bool from_command_line)
    : node_(std::move(node)),
      file_(std::move(file)),
      path_(std::move(path)),
      from_command_line_(from_command_line || node_.Tag() == kOverrideTag) {}

ConfigNode ConfigNode::load_file(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw ConfigError(file.string() + ": cannot open file");
  std::stringstream text;
  text << in.rdbuf();
  try {
    YAML::Node root = YAML::Load(text.str());
    if (!root || root.IsNull()) throw ConfigError(file.string() + ": the file is empty");
    ConfigNode node(root, file.string(), "");
    node.require_map();
    return node;
  } catch (const YAML::Exception& e) {
    throw ConfigError(file.string() + ":" + std::to_string(e.mark.line + 1) + ":" +
                      std::to_string(e.mark.column + 1) + ": malformed YAML: " + e.msg);
  }
}

std::string ConfigNode::where() const {
  const YAML::Mark mark = node_.Mark();
  std::string at = file_;
  if (from_command_line_) {
    at += " (set on the command line)";
  } else if (mark.line >= 0) {
    at += ":" + std::to_string(mark.line + 1);
  }
  if (!path_.empty()) at += ": key '" + path_ + "'";
  return at;
}

void ConfigNode::fail(const std::string& problem) const { throw ConfigError(where() + ": " + problem); }

void ConfigNode::require_map() const {
  if (!node_.IsMap()) fail("expected a mapping of keys to values");
}

bool ConfigNode::has(std::string_view key) const {
  return node_.IsMap() && node_[std::string(key)].IsDefined() && !node_[std::string(key)].IsNull();
}

ConfigNode ConfigNode::at(std::string_view key) const {
  require_map();
  const std::string k(key);
  const std::string child_path = path_.empty() ? k : path_ + "." + k;
  if (!node_[k].IsDefined() || node_[k].IsNull()) fail("missing required key '" + child_path + "'");
  return ConfigNode(node_[k], file_, child_path, from_command_line_);
}

std::vector<ConfigNode> ConfigNode::items() const {
  if (!node_.IsSequence()) fail("expected a list");
  std::vector<ConfigNode> out;
  for (std::size_t i = 0; i < node_.size(); ++i)
    out.emplace_back(node_[i], file_, path_ + "[" + std::to_string(i) + "]", from_command_line_);
  return out;
}

std::uint64_t ConfigNode::as_uint() const {
  if (!node_.IsScalar()) fail("expected a non-negative integer");
  const std::string& text = node_.Scalar();
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size())
    fail("expected a non-negative integer, got '" + text + "'");
  return value;
}

double ConfigNode::as_double() const {
  if (!node_.IsScalar()) fail("expected a number");
  const std::string& text = node_.Scalar();
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) fail("expected a number, got '" + text + "'");
  return value;
}

bool ConfigNode::as_bool() const {
  if (node_.IsScalar()) {
    const std::string& text = node_.Scalar();
    if (text == "true") return true;
    if (text == "false") return false;
  }
  fail("expected true or false");
}

std::string ConfigNode::as_string() const {
  if (!node_.IsScalar()) fail("expected a string");
  return node_.Scalar();
}

std::uint64_t ConfigNode::uint_or(std::string_view key, std::uint64_t fallback) const {
  return has(key) ? at(key).as_uint() : fallback;
}

bool ConfigNode::bool_or(std::string_view key, bool fallback) const {
  return has(key) ? at(key).as_bool() : fallback;
}

std::string ConfigNode::string_or(std::string_view key, std::string fallback) const {
  return has(key) ? at(key).as_string() : fallback;
}

void ConfigNode::allow_only(std::initializer_list<std::string_view> allowed) const {
  require_map();
  for (const auto& entry : node_) {
    const std::string key = entry.first.Scalar();
    bool known = false;
    for (std::string_view a : allowed) known = known || key == a;
    if (known) continue;
    std::string list;
    for (std::string_view a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
    ConfigNode(entry.first, file_, path_.empty() ? key : path_ + "." + key, from_command_line_)
        .fail("unknown key (expected one of: " + list + ")");
  }
}

void apply_override(YAML::Node root, const std::string& assignment) {
  const auto eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0)
    throw ConfigError("-c " + assignment + ": expected key=value");
  const std::string key = assignment.substr(0, eq);
  YAML::Node value;
  try {
    value = YAML::Load(assignment.substr(eq + 1));
    value.SetTag(kOverrideTag);
  } catch (const YAML::Exception& e) {
    throw ConfigError("-c " + assignment + ": malformed value: " + e.msg);
  }
  std::vector<YAML::Node> chain{root};
  std::size_t begin = 0;
  for (;;) {
    const auto dot = key.find('.', begin);
    const std::string part = key.substr(begin, dot - begin);
    if (part.empty()) throw ConfigError("-c " + assignment + ": empty key component");
    if (!chain.back().IsMap() && chain.back().IsDefined() && !chain.back().IsNull())
      throw ConfigError("-c " + assignment + ": '" + key.substr(0, begin - 1) + "' is not a mapping");
    if (dot == std::string::npos) {
      chain.back()[part] = value;
      return;
    }
    chain.push_back(chain.back()[part]);
    begin = dot + 1;
  }
}

}  // namespace irqlab::cosim
