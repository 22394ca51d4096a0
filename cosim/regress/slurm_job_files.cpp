#include "regress/slurm_job_files.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace irqlab::cosim::regress {

std::string shell_quote(std::string_view word) {
  std::string quoted = "'";
  for (const char c : word) {
    if (c == '\'')
      quoted += "'\\''";
    else if (c == '\n')
      quoted += "'$'\\n''";
    else
      quoted += c;
  }
  return quoted + "'";
}

std::string manifest_text(const std::vector<ManifestEntry>& entries) {
  std::string text;
  for (const ManifestEntry& entry : entries) {
    text += shell_quote(entry.log_file.string());
    for (const std::string& arg : entry.argv) text += ' ' + shell_quote(arg);
    text += '\n';
  }
  return text;
}

std::string batch_script_text(const std::filesystem::path& manifest,
                              const std::filesystem::path& status_dir) {
  // The case runs in the foreground under a TERM trap: on scancel or at the time limit Slurm
  // sends SIGTERM to every process of the task, the case ends its run and writes its
  // outputs, and the shell, which defers the trap until the case has ended, still records
  // the status. `set -- $line` by eval is safe: every word of the line is shell_quote()d.
  return "#!/bin/bash\n"
         "# Written by irqlab's Slurm launcher: array task i runs line i+1 of the manifest.\n"
         "set -u\n"
         "manifest=" +
         shell_quote(manifest.string()) +
         "\n"
         "status_dir=" +
         shell_quote(status_dir.string()) +
         "\n"
         "task=${SLURM_ARRAY_TASK_ID:?this script runs as a Slurm array task}\n"
         "tag=${SLURM_ARRAY_JOB_ID}_${task}\n"
         "line=$(sed -n \"$((task + 1))p\" \"$manifest\")\n"
         "if [ -z \"$line\" ]; then echo \"irqlab: no line $((task + 1)) in $manifest\" >&2; "
         "exit 2; fi\n"
         "eval \"set -- $line\"\n"
         "log=$1\n"
         "shift\n"
         "trap 'true' TERM\n"
         "started=$(date +%s.%N)\n"
         ": > \"$status_dir/$tag.started\"\n"
         "\"$@\" > \"$log\" 2>&1\n"
         "status=$?\n"
         "echo \"$status $started $(date +%s.%N)\" > \"$status_dir/$tag.exit.tmp\"\n"
         "mv -f \"$status_dir/$tag.exit.tmp\" \"$status_dir/$tag.exit\"\n"
         "exit \"$status\"\n";
}

std::optional<int> TaskExit::signal() const {
  if (shell_status > 128) return shell_status - 128;
  return std::nullopt;
}

std::filesystem::path exit_status_file(const std::filesystem::path& status_dir,
                                       const std::string& array_job_id, unsigned task) {
  return status_dir / (array_job_id + "_" + std::to_string(task) + ".exit");
}

std::filesystem::path started_file(const std::filesystem::path& status_dir,
                                   const std::string& array_job_id, unsigned task) {
  return status_dir / (array_job_id + "_" + std::to_string(task) + ".started");
}

std::optional<TaskExit> read_task_exit(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) return std::nullopt;
  std::string line;
  std::getline(in, line);
  std::istringstream fields(line);
  TaskExit exit;
  std::string rest;
  if (!(fields >> exit.shell_status >> exit.started_at >> exit.ended_at) || (fields >> rest) ||
      exit.shell_status < 0 || exit.shell_status > 255)
    throw std::runtime_error(file.string() + ": expected \"STATUS START END\", found \"" + line +
                             "\"");
  return exit;
}

}  // namespace irqlab::cosim::regress
