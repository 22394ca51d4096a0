#include "config/unique_keys.h"

#include <map>
#include <optional>
#include <sstream>
#include <vector>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include "config/config_node.h"
#include "config/printable_text.h"

namespace irqlab::cosim {

namespace {

// Follows the events with a stack of open collections; each node's dotted path is built
// as the loader builds it (`sources[0].name`).
class UniqueKeys final : public YAML::EventHandler {
 public:
  explicit UniqueKeys(const YamlOrigin& origin) : origin_(origin) {}

  void OnDocumentStart(const YAML::Mark& mark) override {
    if (++documents_ > 1)
      fail(mark, "", "the text holds more than one YAML document ('---'); give one");
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t) override { leaf(mark, std::nullopt); }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override { leaf(mark, std::nullopt); }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                const std::string& value) override {
    leaf(mark, value);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    open(mark, false);
  }
  void OnSequenceEnd() override { open_.pop_back(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    open(mark, true);
  }
  void OnMapEnd() override { open_.pop_back(); }

 private:
  struct Collection {
    bool map = false;
    std::string path;
    std::size_t next_index = 0;            // a sequence's next element
    bool at_key = true;                    // a map: the next node is a key
    std::string key;                       // a map: the key whose value comes next
    std::map<std::string, int> key_lines;  // a map: its keys so far, at their lines
  };

  // A scalar, null or alias: a key when the enclosing map expects one, else a value.
  void leaf(const YAML::Mark& mark, const std::optional<std::string>& scalar) {
    if (!open_.empty() && open_.back().map && open_.back().at_key) {
      Collection& map = open_.back();
      if (!scalar) fail(mark, map.path, "a key must be a plain name, not null or an alias");
      const std::string path = map.path.empty() ? *scalar : map.path + "." + *scalar;
      const auto [seen, inserted] = map.key_lines.emplace(*scalar, mark.line + 1);
      if (!inserted)
        fail(mark, path,
             origin_.has_lines ? "given twice, at lines " + std::to_string(seen->second) + " and " +
                                     std::to_string(mark.line + 1) + " (a key may appear once)"
                               : "given twice (a key may appear once)");
      map.key = *scalar;
      map.at_key = false;
      return;
    }
    value_path(mark);
  }

  void open(const YAML::Mark& mark, bool map) {
    const std::string path = value_path(mark);
    open_.push_back({map, path, 0, true, "", {}});
  }

  // The path of the value starting here; consumes its slot in the enclosing collection.
  std::string value_path(const YAML::Mark& mark) {
    if (open_.empty()) return origin_.base_path;
    Collection& parent = open_.back();
    if (!parent.map) return parent.path + "[" + std::to_string(parent.next_index++) + "]";
    if (parent.at_key)
      fail(mark, parent.path, "a key must be a plain name, not a list or a mapping");
    parent.at_key = true;
    return parent.path.empty() ? parent.key : parent.path + "." + parent.key;
  }

  [[noreturn]] void fail(const YAML::Mark& mark, const std::string& path,
                         const std::string& problem) const {
    std::string where = origin_.name;
    if (origin_.has_lines && mark.line >= 0) where += ":" + std::to_string(mark.line + 1);
    if (!path.empty()) where += ": key '" + path + "'";
    throw ConfigError(escape_for_line(where + ": " + problem));
  }

  const YamlOrigin& origin_;
  std::vector<Collection> open_;
  int documents_ = 0;
};

}  // namespace

void check_unique_keys(const std::string& text, const YamlOrigin& origin) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  UniqueKeys handler(origin);
  try {
    while (parser.HandleNextDocument(handler)) {
    }
  } catch (const YAML::Exception&) {
    // Not reached for text YAML::Load has read (the loader parses first).
  }
}

}  // namespace irqlab::cosim
