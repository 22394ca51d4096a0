#include "cli/command.h"
#include "cli/list_command.h"
#include "cli/regress_command.h"
#include "cli/report_command.h"
#include "cli/run_command.h"
#include "cli/tune_command.h"
#include "cli/waves_command.h"

namespace irqlab::cosim {

std::vector<std::unique_ptr<Command>> make_commands() {
  std::vector<std::unique_ptr<Command>> commands;
  commands.push_back(std::make_unique<RunCommand>());
  commands.push_back(std::make_unique<RegressCommand>());
  commands.push_back(std::make_unique<TuneCommand>());
  commands.push_back(std::make_unique<ListCommand>());
  commands.push_back(std::make_unique<ReportCommand>());
  commands.push_back(std::make_unique<WavesCommand>());
  return commands;
}

}  // namespace irqlab::cosim
