#include "scenario/key_reference.h"

#include <algorithm>
#include <fstream>
#include <limits>
#include <vector>

#include "cost/cost_profile.h"
#include "personality/registry.h"
#include "scenario/scenario.h"
#include "scenario/scenario_keys.h"
#include "tune/rtl_space.h"
#include "tune/tunable_keys.h"

namespace irqlab::cosim {

namespace {

std::string range_of(KeyType type, std::uint64_t min, std::uint64_t max) {
  if (type == KeyType::Bool) return "true, false";
  if (type != KeyType::Uint && type != KeyType::Number) return "";
  if (max == std::numeric_limits<std::uint64_t>::max()) return ">= " + std::to_string(min);
  return std::to_string(min) + ".." + std::to_string(max);
}

std::string type_of(const ScenarioKey& k) {
  std::string t(key_type_name(k.type));
  if (k.shorthand) t += " or " + std::string(key_type_name(*k.shorthand));
  return t;
}

std::string range_of(const ScenarioKey& k) {
  if (k.type == KeyType::Uint || k.type == KeyType::Number || k.type == KeyType::Bool)
    return range_of(k.type, k.min, k.max);
  if (k.shorthand) return range_of(*k.shorthand, k.min, k.max);
  return "";
}

std::string default_of(const ScenarioKey& k) { return k.required ? "required" : k.default_value; }

// Markdown escapes: a '|' would end a table cell.
std::string cell(std::string text) {
  std::string out;
  for (char c : text) out += c == '|' ? std::string("\\|") : std::string(1, c);
  return out;
}

std::string code(const std::string& text) { return text.empty() ? "" : "`" + text + "`"; }

std::string option_line(const kernel::OptionSpec& o) {
  const bool flag = o.type == kernel::OptionType::Bool;
  return o.name + " (" + (flag ? "bool" : "uint " + range_of(KeyType::Uint, o.min, o.max)) + ", default " +
         (flag ? (o.default_value != 0 ? "true" : "false") : std::to_string(o.default_value)) +
         (o.unit.empty() ? "" : " " + o.unit) + "): " + o.description;
}

// A scenario file's description: the first sentence of its leading comment block.
std::string scenario_description(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::string text;
  for (std::string line; std::getline(in, line) && line.rfind('#', 0) == 0;) {
    const std::size_t start = line.find_first_not_of("# ");
    if (start == std::string::npos) break;
    text += (text.empty() ? "" : " ") + line.substr(start);
    const std::size_t stop = text.find(". ");
    if (stop != std::string::npos) return text.substr(0, stop + 1);
  }
  return text.empty() ? "(no description: the file starts with no comment)" : text;
}

// An RTL parameter's range, from the SoC description.
std::string rtl_range(const tune::RtlLimits& r) {
  return std::to_string(r.min) + ".." + std::to_string(r.max) +
         (r.power_of_two ? ", powers of two" : "");
}

// A tunable key's range, from the key table (a cpus key: lists of harts; a list key with a
// number shorthand, such as kernel.threshold_floor, is tuned through its number).
std::string tunable_range(const tune::TunableKey& t) {
  return t.kind == tune::TunableKind::Enable ? "lists of harts" : range_of(scenario_key(t.path));
}

}  // namespace

std::string key_reference_text(const std::filesystem::path& scenarios_dir) {
  std::string out = "Personalities (kernel.personality; options under kernel.<name>):\n";
  for (const kernel::PersonalityDescriptor* p : kernel::registered_personalities()) {
    out += "  " + p->name + ": " + p->summary + "\n";
    for (const kernel::OptionSpec& o : p->options) out += "    " + option_line(o) + "\n";
  }
  out += "\nScenario keys (docs/scenario-format.md):\n";
  for (const ScenarioKey& k : scenario_keys()) {
    out += "  " + k.path + "  " + type_of(k);
    const KeyType ranged = k.shorthand ? *k.shorthand : k.type;
    if (const std::string r = range_of(k); !r.empty() && ranged != KeyType::Bool) out += " " + r;
    if (k.required)
      out += ", required";
    else if (!k.default_value.empty())
      out += ", default " + k.default_value;
    if (!k.unit.empty()) out += ", " + k.unit;
    out += ": " + k.description + "\n";
  }
  out += "\nCost-profile keys (every one required, in cycles, 0.." +
         std::to_string(kMaxCostCycles) + "):\n";
  for (const kernel::CostField& f : kernel::cost_fields())
    out += "  " + std::string(f.name) + ": " + std::string(f.meaning) + "\n";
  for (const kernel::PersonalityDescriptor* p : kernel::registered_personalities())
    for (const kernel::NamedCost& c : p->costs) out += "  " + c.name + " (" + p->name + "): " + c.meaning + "\n";
  out +=
      "\nTunable parameters (tune.space of irqlab tune, docs/tune.md; sources[<name>].<field> "
      "for one source):\n";
  for (const tune::TunableKey& t : tune::tunable_keys())
    out += "  " + t.path + "  " + tunable_range(t) + ": " + t.register_name + "\n";
  for (const tune::RtlLimits& r : tune::tunable_rtl_parameters())
    out += "  " + std::string(tune::kRtlKeyPrefix) + r.name + "  " + rtl_range(r) +
           ": RTL parameter, a model per value (" + r.desc + ")\n";
  out += "\nScenarios (" + scenarios_dir.string() + "):\n";
  std::vector<std::string> examples;
  if (std::filesystem::is_directory(scenarios_dir))
    for (const auto& entry : std::filesystem::recursive_directory_iterator(scenarios_dir))
      if (entry.is_regular_file() && entry.path().extension() == ".yaml" &&
          entry.path().parent_path().filename() != "costs")
        examples.push_back(std::filesystem::relative(entry.path(), scenarios_dir).string());
  std::sort(examples.begin(), examples.end());
  for (const std::string& e : examples)
    out += "  " + e + ": " + scenario_description(scenarios_dir / e) + "\n";
  return out;
}

std::string key_reference_markdown() {
  std::string out = "### Personalities\n\n| Name | Interrupt architecture | Options |\n|---|---|---|\n";
  for (const kernel::PersonalityDescriptor* p : kernel::registered_personalities()) {
    std::string options;
    for (const kernel::OptionSpec& o : p->options)
      options += (options.empty() ? "" : ", ") + code("kernel." + p->name + "." + o.name);
    out += "| " + code(p->name) + " | " + cell(p->summary) + " | " + (options.empty() ? "none" : options) + " |\n";
  }
  out += "\n### Scenario keys\n\n"
         "`[]` stands for the elements of a list. Type `map or bool` means the key also takes a\n"
         "bool in place of the map (and so on).\n\n"
         "| Key | Type | Range | Default | Unit | Description |\n|---|---|---|---|---|---|\n";
  for (const ScenarioKey& k : scenario_keys())
    out += "| " + code(k.path) + " | " + type_of(k) + " | " + cell(range_of(k)) + " | " + cell(default_of(k)) + " | " +
           k.unit + " | " + cell(k.description) + " |\n";
  out +=
      "\n### Tunable parameters\n\nThe keys `irqlab tune` may search (`tune.space`, docs/tune.md); "
      "`sources[<name>].<field>`\nnames one source's field.\n\n| Key | Values | Register "
      "|\n|---|---|---|\n";
  for (const tune::TunableKey& t : tune::tunable_keys())
    out += "| " + code(t.path) + " | " + cell(tunable_range(t)) + " | " + cell(t.register_name) +
           " |\n";
  for (const tune::RtlLimits& r : tune::tunable_rtl_parameters())
    out += "| " + code(std::string(tune::kRtlKeyPrefix) + r.name) + " | " + cell(rtl_range(r)) +
           " | " + cell("RTL parameter, a model per value: " + r.desc) + " |\n";
  out += "\n### Cost-profile keys\n\nEvery key is required, in cycles, 0.." +
         std::to_string(kMaxCostCycles) + ".\n\n| Key | Declared by | Meaning |\n|---|---|---|\n";
  for (const kernel::CostField& f : kernel::cost_fields())
    out += "| " + code(std::string(f.name)) + " | kernel core | " + cell(std::string(f.meaning)) + " |\n";
  for (const kernel::PersonalityDescriptor* p : kernel::registered_personalities())
    for (const kernel::NamedCost& c : p->costs)
      out += "| " + code(c.name) + " | " + p->name + " | " + cell(c.meaning) + " |\n";
  return out;
}

}  // namespace irqlab::cosim
