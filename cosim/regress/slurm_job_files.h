#pragma once
// The files a Slurm job array of cases runs from, in the launcher's work directory (which,
// like the cases' output directories, must be on a filesystem the compute nodes share):
// - the manifest: line i+1 is array task i, shell words: the case's log file, then its argv;
// - the batch script: array task i runs line i+1 of the manifest with stdout and stderr into
//   the log, then writes the exit status file <status dir>/<array job id>_<i>.exit, through
//   a rename so the submitting side never reads half of it. A <array job id>_<i>.started
//   file, written before the case starts, tells a task that never ran from one that died.
// The exit status file is the launcher's source of truth for how a case ended: it needs no
// Slurm accounting (sacct needs slurmdbd, which many test clusters and this project's CI
// lack) and it names the case's own status, not the batch shell's.
// Plain functions and values; any thread.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace irqlab::cosim::regress {

// `word` as one POSIX shell word that never spans a line: single-quoted, with ' and
// newlines written outside the quotes ('\'' and $'\n').
std::string shell_quote(std::string_view word);

struct ManifestEntry {
  std::filesystem::path log_file;
  std::vector<std::string> argv;
};

// The manifest's text: one line per entry, in order.
std::string manifest_text(const std::vector<ManifestEntry>& entries);

// The batch script's text: runs the manifest line of $SLURM_ARRAY_TASK_ID, records its
// status in `status_dir`. Both paths absolute (the script runs in the job's directory).
std::string batch_script_text(const std::filesystem::path& manifest,
                              const std::filesystem::path& status_dir);

// How an array task's case ended, as its batch script recorded it.
struct TaskExit {
  int shell_status = 0;   // $? of the case in the batch shell: 0-255
  double started_at = 0;  // seconds since the epoch, on the compute node
  double ended_at = 0;
  // The shell's convention: a status above 128 is 128 + the signal that ended the case.
  std::optional<int> signal() const;
};

std::filesystem::path exit_status_file(const std::filesystem::path& status_dir,
                                       const std::string& array_job_id, unsigned task);
std::filesystem::path started_file(const std::filesystem::path& status_dir,
                                   const std::string& array_job_id, unsigned task);

// The task's exit status file, or nothing while it does not exist. Throws
// std::runtime_error naming the file when it exists but is not what the script writes.
std::optional<TaskExit> read_task_exit(const std::filesystem::path& file);

}  // namespace irqlab::cosim::regress
