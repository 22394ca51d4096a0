#pragma once
// The Slurm launcher ("slurm"): the cases of a regression as ONE sbatch job array.
//
// run() writes into LauncherOptions::work_dir the manifest and the batch script
// (regress/slurm_job_files.h), submits `sbatch --parsable --array=0-(N-1)[%jobs]` with the
// partition, time limit and resources of the options, then polls: each task's exit status
// file (written by the batch script on the compute node) ends its case as it appears, and
// `squeue --states=all` tells a task still pending or running from one that ended. A task
// Slurm says has ended but that left no exit status file within `lost_grace` (the time a
// shared filesystem may take to show a file written on another host) is lost: its batch
// shell was killed (node failure, OOM killer, a kill of the job's shell). SIGINT/SIGTERM:
// scancel the array (Slurm sends SIGTERM to the running cases, which end their runs and
// write their outputs), gather what ended, and end the rest as not_started or signalled.
//
// Polling rather than `sbatch --wait`: --wait says nothing until the whole array has ended
// (no per-case progress for the live summary) and exits with the highest exit status of
// the tasks only; an interrupt must also reach the job, which polling does with scancel.
//
// Requirements on the cluster (docs/regress.md, "Slurm"): the irqlab binary, the scenario
// files, the output directory and the work directory at the same paths on the submitting
// host and on the compute nodes (a shared filesystem); sbatch, squeue and scancel in PATH.
// Main thread only (it polls InterruptSignals).
#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "regress/launcher.h"

namespace irqlab::cosim::regress {

struct SlurmPolling {
  std::chrono::milliseconds interval{500};
  std::chrono::milliseconds lost_grace{30'000};
  // After scancel: how long to wait for the cancelled cases to end and record their status.
  std::chrono::milliseconds cancel_wait{60'000};
  // squeue failing (controller unreachable) for this long ends the remaining cases as lost.
  std::chrono::milliseconds squeue_outage{300'000};
};

class SlurmLauncher : public Launcher {
 public:
  explicit SlurmLauncher(LauncherOptions options, SlurmPolling polling = {});
  std::string name() const override { return "slurm"; }
  std::vector<CaseEnd> run(const std::vector<CaseJob>& jobs,
                           const std::function<void(const CaseEnd&)>& on_end) override;
  // The time a case took on its compute node, from its exit status file.
  std::optional<double> wall_seconds(const std::string& id) const override;

 private:
  LauncherOptions options_;
  SlurmPolling polling_;
  std::map<std::string, double> wall_seconds_;
};

}  // namespace irqlab::cosim::regress
