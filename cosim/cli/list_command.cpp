#include "cli/list_command.h"

#include <cstdio>
#include <filesystem>

#include "scenario/key_reference.h"

namespace irqlab::cosim {

CLI::App* ListCommand::add_to(CLI::App& app) {
  CLI::App* list = app.add_subcommand(
      "list",
      "list personalities, scenario keys, tunable parameters, cost-profile keys and scenarios");
  list->add_flag("--markdown", markdown_, "print the key reference of docs/scenario-format.md");
  return list;
}

int ListCommand::run(const GlobalOptions&) {
  const std::filesystem::path scenarios_dir =
      std::filesystem::path(IRQLAB_DEFAULT_SCENARIO).parent_path();
  std::fputs((markdown_ ? key_reference_markdown() : key_reference_text(scenarios_dir)).c_str(),
             stdout);
  return 0;
}

}  // namespace irqlab::cosim
