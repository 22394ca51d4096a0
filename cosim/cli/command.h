#pragma once
// A subcommand of the irqlab command line. Each lives in its own file (cli/*_command.cpp)
// and is listed once in cli/commands.cpp; main.cpp parses the global options, lets each
// command add its CLI11 subcommand, and runs the one that was given.
#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <vector>

namespace irqlab::cosim {

// Options that every subcommand sees, parsed before or after the subcommand's name.
struct GlobalOptions {
  std::string log_level = "info";
};

class Command {
 public:
  virtual ~Command() = default;
  // Adds the subcommand and its options to `app`; called once, before parsing.
  virtual CLI::App* add_to(CLI::App& app) = 0;
  // Runs it after a successful parse; returns the process exit status.
  virtual int run(const GlobalOptions& global) = 0;
};

// Every subcommand, in the order `irqlab --help` lists them.
std::vector<std::unique_ptr<Command>> make_commands();

}  // namespace irqlab::cosim
