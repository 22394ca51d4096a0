#include "cli/report_command.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <spawn.h>
#include <sys/wait.h>

#ifndef IRQLAB_PYTHON
#error "IRQLAB_PYTHON must name the Python interpreter that sees python3-matplotlib"
#endif
#ifndef IRQLAB_REPORT_SCRIPT
#error "IRQLAB_REPORT_SCRIPT must name tools/report/report.py"
#endif

extern char** environ;

namespace irqlab::cosim {

CLI::App* ReportCommand::add_to(CLI::App& app) {
  CLI::App* report = app.add_subcommand(
      "report", "write OUTDIR/report.html with plots (report-plots/) from a run's results.json");
  report->add_option("outdir", out_dir_, "the output directory of `irqlab run`")->required();
  return report;
}

int ReportCommand::run(const GlobalOptions&) {
  std::string python = IRQLAB_PYTHON;
  std::string script = IRQLAB_REPORT_SCRIPT;
  // posix_spawn takes the arguments as they are: no shell, so any directory name works.
  char* argv[] = {python.data(), script.data(), out_dir_.data(), nullptr};
  pid_t child = 0;
  const int spawn_error = posix_spawn(&child, python.c_str(), nullptr, nullptr, argv, environ);
  if (spawn_error != 0) {
    std::fprintf(stderr, "irqlab report: error: cannot start %s: %s\n", python.c_str(),
                 std::strerror(spawn_error));
    return 1;
  }
  int status = 0;
  while (waitpid(child, &status, 0) < 0) {
    if (errno != EINTR) {
      std::fprintf(stderr, "irqlab report: error: waiting for %s: %s\n", script.c_str(),
                   std::strerror(errno));
      return 1;
    }
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  std::fprintf(stderr, "irqlab report: error: %s stopped by signal %d\n", script.c_str(),
               WIFSIGNALED(status) ? WTERMSIG(status) : 0);
  return 1;
}

}  // namespace irqlab::cosim
