#include "config/config_node.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>

#include "config/printable_text.h"
#include "config/unique_keys.h"

namespace irqlab::cosim {

namespace {

// Marks the nodes a -c key=value set or created; the assignment follows the prefix, so an
// error about the node (or anything under it) names the override rather than the file.
constexpr std::string_view kOverrideTag = "!irqlab-override ";

std::string override_of(const YAML::Node& node) {
  const std::string& tag = node.Tag();
  return tag.rfind(kOverrideTag, 0) == 0 ? tag.substr(kOverrideTag.size()) : std::string();
}

// Gives the nodes an override marked back the non-specific tag of a plain node, so their
// type is resolved from their text again; a quoted scalar becomes an explicit string (its
// quotes would not survive the dump, and "5" must stay a string where a key takes any
// scalar, scenario_keys.h's KeyType::Scalar).
void clear_override_marks(YAML::Node node) {
  if (!override_of(node).empty()) node.SetTag("?");
  if (node.IsScalar() && node.Tag() == "!") node.SetTag("tag:yaml.org,2002:str");
  if (node.IsMap())
    for (auto entry : node) clear_override_marks(entry.second);
  else if (node.IsSequence())
    for (auto item : node) clear_override_marks(item);
}

[[noreturn]] void fail_override(const std::string& assignment, const std::string& problem) {
  throw ConfigError(escape_for_line("-c " + assignment + ": " + problem));
}

// The whole file as text; refuses a directory and anything over kMaxConfigFileBytes.
std::string read_text(const std::filesystem::path& file) {
  std::error_code ec;
  if (std::filesystem::is_directory(file, ec))
    throw ConfigError(escape_for_line(file.string() + ": is a directory, expected a YAML file"));
  std::ifstream in(file, std::ios::binary);
  if (!in)
    throw ConfigError(
        escape_for_line(file.string() + ": cannot open file: " + std::strerror(errno)));
  std::string text;
  char buffer[1 << 16];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    text.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMaxConfigFileBytes)
      throw ConfigError(escape_for_line(file.string() + ": larger than " +
                                        std::to_string(kMaxConfigFileBytes >> 20) +
                                        " MiB, not a configuration file"));
  }
  return text;
}

// "inf", "-Infinity", ".nan", ".Inf" and the like: numbers YAML or strtod would take.
bool names_a_non_finite(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  const std::size_t skip = text.find_first_not_of("+-.");
  if (skip == std::string::npos) return false;
  const std::string word = text.substr(skip);
  return word == "inf" || word == "infinity" || word == "nan";
}

}  // namespace

ConfigNode::ConfigNode(YAML::Node node, std::string file, std::string path,
                       std::string override_text)
    : ConfigNode(std::move(node), std::move(file), std::move(path),
                 override_text.empty()
                     ? nullptr
                     : std::make_shared<const std::string>(std::move(override_text))) {}

ConfigNode::ConfigNode(YAML::Node node, std::string file, std::string path,
                       SharedText override_text)
    : node_(std::move(node)), file_(std::move(file)), path_(std::move(path)) {
  std::string own = override_of(node_);
  override_text_ =
      own.empty() ? std::move(override_text) : std::make_shared<const std::string>(std::move(own));
}

const std::string& ConfigNode::override_text() const {
  static const std::string none;
  return override_text_ ? *override_text_ : none;
}

ConfigNode ConfigNode::load_file(const std::filesystem::path& file) {
  const std::string text = read_text(file);
  try {
    YAML::Node root = YAML::Load(text);
    check_unique_keys(text, {file.string(), true, ""});  // well-formed: its own errors only
    if (!root || root.IsNull())
      throw ConfigError(escape_for_line(file.string() + ": the file is empty"));
    ConfigNode node(root, file.string(), "");
    node.require_map();
    return node;
  } catch (const YAML::Exception& e) {
    throw ConfigError(escape_for_line(file.string() + ":" + std::to_string(e.mark.line + 1) + ":" +
                                      std::to_string(e.mark.column + 1) +
                                      ": malformed YAML: " + e.msg));
  }
}

std::string ConfigNode::where() const {
  std::string at;
  if (override_text_) {
    at = "-c " + *override_text_;
  } else {
    at = file_;
    if (const YAML::Mark mark = node_.Mark(); mark.line >= 0)
      at += ":" + std::to_string(mark.line + 1);
  }
  if (!path_.empty()) at += ": key '" + path_ + "'";
  return at;
}

void ConfigNode::fail(const std::string& problem) const {
  throw ConfigError(escape_for_line(where() + ": " + problem));
}

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
  return ConfigNode(node_[k], file_, child_path, override_text_);
}

std::vector<ConfigNode> ConfigNode::items() const {
  if (!node_.IsSequence()) fail("expected a list");
  std::vector<ConfigNode> out;
  for (std::size_t i = 0; i < node_.size(); ++i)
    out.push_back(
        ConfigNode(node_[i], file_, path_ + "[" + std::to_string(i) + "]", override_text_));
  return out;
}

ConfigNode ConfigNode::key_of(const std::pair<YAML::Node, YAML::Node>& entry) const {
  const std::string name = entry.first.Scalar();
  std::string from_override = override_of(entry.second);
  return ConfigNode(entry.first, file_, path_.empty() ? name : path_ + "." + name,
                    from_override.empty()
                        ? override_text_
                        : std::make_shared<const std::string>(std::move(from_override)));
}

std::uint64_t ConfigNode::as_uint() const {
  if (!node_.IsScalar()) fail("expected a non-negative integer");
  const std::string& text = node_.Scalar();
  std::uint64_t value = 0;
  const char* const end = text.data() + text.size();
  const auto [stop, ec] = std::from_chars(text.data(), end, value);
  if (ec == std::errc() && stop == end) return value;
  if (ec == std::errc::result_out_of_range && stop == end)
    fail("too large: at most " + std::to_string(std::numeric_limits<std::uint64_t>::max()) +
         ", got '" + text + "'");
  if (text.size() > 1 && text[0] == '-' &&
      std::all_of(text.begin() + 1, text.end(), [](unsigned char c) { return std::isdigit(c); }))
    fail("must not be negative, got '" + text + "'");
  fail("expected a non-negative integer, got '" + text + "'");
}

double ConfigNode::as_double() const {
  if (!node_.IsScalar()) fail("expected a number");
  const std::string& text = node_.Scalar();
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  const bool parsed = end == text.data() + text.size();
  if ((ec == std::errc() && parsed && !std::isfinite(value)) ||
      (ec == std::errc::result_out_of_range && parsed) || names_a_non_finite(text))
    fail("expected a finite number, got '" + text + "'");
  if (ec != std::errc() || !parsed) fail("expected a number, got '" + text + "'");
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

std::string ConfigNode::as_name() const {
  std::string name = as_string();
  if (const std::optional<std::string> problem = name_problem(name)) fail(*problem);
  return name;
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
    key_of(entry).fail("unknown key (expected one of: " + list + ")");
  }
}

void apply_override(YAML::Node root, const std::string& assignment) {
  const auto eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0) fail_override(assignment, "expected key=value");
  const std::string key = assignment.substr(0, eq);
  const std::string text = assignment.substr(eq + 1);
  if (key.find_first_of("[]") != std::string::npos)
    fail_override(
        assignment,
        "list elements cannot be set one by one: give the whole list (-c 'sources=[...]')");
  if (text.empty()) fail_override(assignment, "no value after '='");
  YAML::Node value;
  try {
    value = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    fail_override(assignment, "malformed value: " + e.msg);
  }
  check_unique_keys(text, {"-c " + assignment, false, key});
  if (value.IsNull())
    fail_override(assignment, "the value is null; give one (quote it for the text \"null\")");
  const std::string tag = std::string(kOverrideTag) + assignment;
  value.SetTag(tag);
  // Maps the path creates belong to the override too (an error about them names it).
  std::vector<YAML::Node> chain{root};
  std::vector<YAML::Node> created;
  std::size_t begin = 0;
  for (;;) {
    const auto dot = key.find('.', begin);
    const std::string part = key.substr(begin, dot - begin);
    if (part.empty()) fail_override(assignment, "empty key component");
    if (!chain.back().IsMap() && chain.back().IsDefined() && !chain.back().IsNull())
      fail_override(assignment, "'" + key.substr(0, begin - 1) + "' is not a mapping");
    if (dot == std::string::npos) {
      chain.back()[part] = value;
      break;
    }
    chain.push_back(chain.back()[part]);
    if (!chain.back().IsDefined()) created.push_back(chain.back());
    begin = dot + 1;
  }
  for (YAML::Node& node : created) node.SetTag(tag);
}

std::string ConfigNode::text() const {
  YAML::Node copy = YAML::Clone(node_);
  clear_override_marks(copy);
  return YAML::Dump(copy);
}

}  // namespace irqlab::cosim
