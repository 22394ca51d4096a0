#pragma once
// irqlab list [--markdown]: personalities and their options, scenario keys, the tunable
// parameters of irqlab tune, cost-profile keys, the scenarios with their descriptions
// (--markdown: the key reference of docs/scenario-format.md).
#include "cli/command.h"

namespace irqlab::cosim {

class ListCommand : public Command {
 public:
  CLI::App* add_to(CLI::App& app) override;
  int run(const GlobalOptions& global) override;

 private:
  bool markdown_ = false;
};

}  // namespace irqlab::cosim
