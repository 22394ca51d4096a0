#pragma once
// Slurm's client commands as the launcher uses them: building sbatch's command line from
// the launcher's options, running a command with its output captured, and reading the
// answers of sbatch --parsable and squeue. The commands find the cluster as any Slurm
// client does (slurm.conf, or SLURM_CONF in the environment).
// Main thread (running a command forks; it is not meant for concurrent use).
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "regress/launcher.h"

namespace irqlab::cosim::regress {

struct CommandOutput {
  int exit_status = 0;  // 128 + N when a signal ended it; 127 when it could not start
  std::string out, err;
  // "exit N: <stderr, or stdout when stderr is empty>" on one line (lines joined by "; "),
  // for error messages.
  std::string failure() const;
};

// Runs argv (argv[0] looked up in PATH) with stdin from /dev/null, in its own process
// group (a terminal's Ctrl-C does not reach it), and waits for it.
CommandOutput run_command(const std::vector<std::string>& argv);

// sbatch's command line for an array of `tasks` tasks of `script`, with the resources and
// the throttle from `options` (an empty option is left to the cluster's default). -j N
// (options.jobs) above 1 is the array's throttle, %N; 1, irqlab regress's default for local
// runs, leaves the array unthrottled: a serial array is never what a cluster is for.
std::vector<std::string> sbatch_command(const LauncherOptions& options, unsigned tasks,
                                        const std::filesystem::path& script,
                                        const std::filesystem::path& slurm_output_pattern);

// The job id in sbatch --parsable's answer ("ID" or "ID;CLUSTER"), or nothing.
std::optional<std::string> parse_sbatch_job_id(const std::string& out);

// One array task as squeue lists it.
struct SlurmTaskState {
  std::string state;    // PENDING, RUNNING, COMPLETED, FAILED, CANCELLED, TIMEOUT, ...
  std::string reason;   // squeue's %r: why pending, or how it ended
  bool active() const;  // not yet ended (pending, running, completing, suspended, ...)
};

// The squeue command listing every task of array job `job_id` in any state, one per line.
std::vector<std::string> squeue_command(const std::string& job_id);

// squeue_command's answer: task index -> state. Lines that are not one task (a pending
// range such as "4-7", which --array does not produce) are skipped.
std::map<unsigned, SlurmTaskState> parse_squeue_tasks(const std::string& out);

}  // namespace irqlab::cosim::regress
