// irqlab: the command line. Global options here, accepted before or after the
// subcommand's name; each subcommand in its own file, listed in cli/commands.cpp.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <systemc>

#include "cli/command.h"
#include "cli/unknown_subcommand.h"
#include "log/sim_log.h"
#include "output/build_info.h"

int sc_main(int argc, char* argv[]) {
  using namespace irqlab::cosim;
  CLI::App app{"irqlab: interrupt hardware under real kernel interrupt architectures, cycle-accurately"};
  app.require_subcommand(1);
  // Subcommands inherit this: an option a subcommand does not know is the parent's, so
  // `irqlab run --log debug` works as `irqlab --log debug run`.
  app.fallthrough();
  app.set_version_flag("--version", "irqlab " + std::string(irqlab_version()) + " (commit " +
                                        std::string(irqlab_commit()) + ")");
  GlobalOptions global;
  app.add_option("--log", global.log_level, "log level: trace, debug, info, warn, error, off")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));

  const std::vector<std::unique_ptr<Command>> commands = make_commands();
  std::vector<std::pair<CLI::App*, Command*>> subcommands;
  for (const auto& command : commands)
    subcommands.emplace_back(command->add_to(app), command.get());

  if (const std::optional<std::string> message = unknown_subcommand_message(app, argc, argv)) {
    std::fprintf(stderr, "irqlab: %s\n", message->c_str());
    return 2;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help prints and succeeds; any other parse error is bad input, status 2 as
    // documented, whatever code CLI11 gives its kind of error.
    return app.exit(e) == 0 ? 0 : 2;
  }
  init_logging(global.log_level, [] { return irqlab::kernel::Cycle{0}; });
  for (const auto& [sub, command] : subcommands)
    if (sub->parsed()) return command->run(global);
  return 2;  // unreachable: CLI11 requires one subcommand
}

// SystemC prints its banner while it starts; a command-line tool keeps stdout for results.
int main(int argc, char* argv[]) {
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
  return sc_core::sc_elab_and_sim(argc, argv);
}
