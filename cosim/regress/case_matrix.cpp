#include "regress/case_matrix.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

#include "config/config_node.h"
#include "config/printable_text.h"
#include "personality/registry.h"
#include "scenario/scenario.h"
#include "scenario/scenario_keys.h"

namespace irqlab::cosim::regress {

namespace {

namespace fs = std::filesystem;

// A case id's parts become directory names under <out>/cases: no separator, no dot
// directory, nothing a shell or a CI system would have to quote.
constexpr std::size_t kMaxIdPartBytes = 100;

std::optional<std::string> id_part_problem(const std::string& part) {
  if (part.empty()) return "is empty";
  if (part.size() > kMaxIdPartBytes)
    return "is longer than " + std::to_string(kMaxIdPartBytes) + " bytes";
  const auto allowed = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  };
  if (!std::all_of(part.begin(), part.end(), allowed) || part.front() == '.' || part.front() == '-')
    return "may hold only letters, digits, '.', '_' and '-', and start with a letter or digit";
  return std::nullopt;
}

std::vector<std::string> string_list(const ConfigNode& node) {
  std::vector<std::string> values;
  if (node.yaml().IsScalar()) {
    values.push_back(node.as_string());
  } else {
    for (const ConfigNode& item : node.items()) values.push_back(item.as_string());
  }
  return values;
}

// The case's -c list: the regression's, then its own.
std::vector<std::string> joined(const std::vector<std::string>& first,
                                const std::vector<std::string>& second) {
  std::vector<std::string> all = first;
  all.insert(all.end(), second.begin(), second.end());
  return all;
}

// Loads the case as `irqlab run` would; `where` is the node that defined it.
void check_case_loads(const RegressCase& c, const std::vector<std::string>& overrides,
                      const ConfigNode& where) {
  Scenario loaded;
  try {
    loaded = load_scenario(c.scenario, joined(overrides, c.overrides));
  } catch (const ConfigError& e) {
    where.fail("case " + c.id + " does not load: " + e.what());
  }
  if (loaded.personalities.size() > 1)
    where.fail("case " + c.id + " runs " + std::to_string(loaded.personalities.size()) +
               " personalities; a case runs one (give kernel.personality=NAME in its overrides)");
}

}  // namespace

std::vector<RegressCase> scenario_cases(const fs::path& file,
                                        const std::vector<std::string>& overrides) {
  // The scenario as a whole first: its errors are the loader's, naming file and line.
  const Scenario scenario = load_scenario(file, overrides);
  ConfigNode loaded = ConfigNode::load_file(file);
  for (const std::string& o : overrides) apply_override(loaded.yaml(), o);
  const ConfigNode root(loaded.yaml(), file.string(), "");

  const std::string stem = file.stem().string();
  if (const std::optional<std::string> problem = id_part_problem(stem))
    root.fail("the file's name '" + escape_for_line(stem) + "' starts its case ids, and it " +
              *problem + "; rename the file");

  // Without kernel.personality a scenario runs the default one.
  std::vector<std::string> personalities = scenario.personalities;
  if (personalities.empty()) personalities.push_back(scenario.personality.name);
  std::vector<RegressCase> cases;
  std::vector<ConfigNode> defined_by;
  std::optional<ConfigNode> block;
  if (root.has("regress")) {
    block = root.at("regress");
    block->require_map();
    allow_declared_keys(*block);
    if (block->has("personalities")) {
      const ConfigNode list = block->at("personalities");
      personalities = string_list(list);
      for (const std::string& p : personalities)
        if (kernel::find_personality(p) == nullptr) {
          std::string known;
          for (const kernel::PersonalityDescriptor* d : kernel::registered_personalities())
            known += (known.empty() ? "" : ", ") + d->name;
          list.fail("unknown personality '" + escape_for_line(p) + "' (known: " + known + ")");
        }
    }
  }
  const ConfigNode kernel = root.at("kernel");
  const ConfigNode personality_node = block && block->has("personalities")
                                          ? block->at("personalities")
                                      : kernel.has("personality") ? kernel.at("personality")
                                                                  : kernel;
  for (const std::string& p : personalities) {
    cases.push_back({stem + "/" + p, file, p, {"kernel.personality=" + p}});
    defined_by.push_back(personality_node);
  }
  if (block && block->has("variants")) {
    for (const ConfigNode& v : block->at("variants").items()) {
      v.require_map();
      allow_declared_keys(v);
      const ConfigNode name = v.at("name");
      const std::string variant = name.as_string();
      if (const std::optional<std::string> problem = id_part_problem(variant))
        name.fail("a variant's name ends its case id, and it " + *problem);
      cases.push_back({stem + "/" + variant, file, variant, string_list(v.at("overrides"))});
      defined_by.push_back(name);
    }
  }
  if (cases.empty()) (block ? *block : root).fail("the scenario gives no regression case");
  std::set<std::string> ids;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    if (!ids.insert(cases[i].id).second)
      defined_by[i].fail("case " + cases[i].id + " is defined twice");
    check_case_loads(cases[i], overrides, defined_by[i]);
  }
  return cases;
}

std::vector<RegressCase> case_matrix(const std::vector<fs::path>& files,
                                     const std::vector<std::string>& overrides) {
  std::vector<RegressCase> all;
  std::map<std::string, fs::path> file_of_stem;
  for (const fs::path& file : files) {
    const auto [known, added] = file_of_stem.emplace(file.stem().string(), file);
    if (!added)
      throw ConfigError(escape_for_line(file.string()) + " and " +
                        escape_for_line(known->second.string()) +
                        " have one name, and a case id starts with the file's name; "
                        "rename one of them");
    const std::vector<RegressCase> cases = scenario_cases(file, overrides);
    all.insert(all.end(), cases.begin(), cases.end());
  }
  std::sort(all.begin(), all.end(),
            [](const RegressCase& a, const RegressCase& b) { return a.id < b.id; });
  return all;
}

Shard parse_shard(const std::string& text) {
  const auto fail = [&] {
    throw ConfigError("--shard takes i/n with 1 <= i <= n (e.g. 2/3), got '" +
                      escape_for_line(text) + "'");
  };
  const std::size_t slash = text.find('/');
  if (slash == std::string::npos) fail();
  const auto number = [&](std::string_view digits) {
    unsigned value = 0;
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (digits.empty() || error != std::errc() || end != digits.data() + digits.size()) fail();
    return value;
  };
  const std::string_view all(text);
  const Shard shard{number(all.substr(0, slash)), number(all.substr(slash + 1))};
  if (shard.index < 1 || shard.index > shard.count) fail();
  return shard;
}

std::vector<RegressCase> shard_cases(const std::vector<RegressCase>& cases, Shard shard) {
  std::vector<RegressCase> mine;
  for (std::size_t i = 0; i < cases.size(); ++i)
    if (i % shard.count == shard.index - 1) mine.push_back(cases[i]);
  return mine;
}

}  // namespace irqlab::cosim::regress
