#include "regress/slurm_launcher.h"

#include <ctime>
#include <optional>

#include "output/atomic_file.h"
#include "regress/slurm_commands.h"
#include "regress/slurm_job_files.h"
#include "run/run_control.h"

namespace irqlab::cosim::regress {

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

const LauncherRegistration kSlurmRegistration{
    "slurm", [](const LauncherOptions& options) -> std::unique_ptr<Launcher> {
      return std::make_unique<SlurmLauncher>(options);
    }};

// Sleeps `duration`; a signal cuts it short, so an interrupt is seen at once.
void pause_for(std::chrono::milliseconds duration) {
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(duration);
  const timespec pause{static_cast<time_t>(seconds.count()),
                       static_cast<long>((duration - seconds).count() * 1'000'000)};
  nanosleep(&pause, nullptr);
}

// The batch shell's own statuses for a command it could not run (126: not executable,
// 127: not found), said in words; "" for any other status, which is the case's own.
std::string shell_could_not_run(int status, const CaseJob& job) {
  if (status != 126 && status != 127) return "";
  return std::string("the batch shell could not run ") + job.argv.front() +
         (status == 127 ? " (not found)" : " (not executable)") + "; log: " + job.log_file.string();
}

double seconds_between(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

// One submitted array while it runs: which tasks ended, and how.
class ArrayWatch {
 public:
  ArrayWatch(const std::vector<CaseJob>& jobs, std::string job_id, fs::path status_dir,
             fs::path work_dir, const std::function<void(const CaseEnd&)>& on_end,
             std::map<std::string, double>& wall_seconds)
      : jobs_(jobs),
        job_id_(std::move(job_id)),
        status_dir_(std::move(status_dir)),
        work_dir_(std::move(work_dir)),
        on_end_(on_end),
        wall_seconds_(wall_seconds),
        ends_(jobs.size()),
        left_since_(jobs.size()),
        left_as_(jobs.size()) {}

  bool done() const { return remaining_ == 0; }

  // Ends the cases whose exit status file has appeared.
  void collect_exit_files() {
    for (unsigned task = 0; task < jobs_.size(); ++task) {
      if (ends_[task]) continue;
      const std::optional<TaskExit> exit =
          read_task_exit(exit_status_file(status_dir_, job_id_, task));
      if (!exit) continue;
      const CaseJob& job = jobs_[task];
      wall_seconds_[job.id] = exit->ended_at - exit->started_at;
      if (const std::optional<int> signal = exit->signal())
        finish(task,
               {job.id, CaseEnd::How::signalled, *signal,
                "exit status " + std::to_string(exit->shell_status) + " in the batch shell (" +
                    signal_name(*signal) + "); log: " + job.log_file.string()});
      else
        finish(task, {job.id, CaseEnd::How::exited, exit->shell_status,
                      shell_could_not_run(exit->shell_status, job)});
    }
  }

  // Reads squeue's answer: tasks no longer active start their grace period; those past it
  // without an exit status file end as lost.
  void note_squeue(const std::map<unsigned, SlurmTaskState>& tasks, Clock::time_point now,
                   std::chrono::milliseconds grace) {
    for (unsigned task = 0; task < jobs_.size(); ++task) {
      if (ends_[task]) continue;
      const auto listed = tasks.find(task);
      if (listed != tasks.end() && listed->second.active()) {
        left_since_[task].reset();
        continue;
      }
      if (!left_since_[task]) {
        left_since_[task] = now;
        left_as_[task] = listed == tasks.end()
                             ? "is no longer listed by squeue"
                             : "ended " + listed->second.state +
                                   (listed->second.reason.empty() || listed->second.reason == "None"
                                        ? ""
                                        : " (" + listed->second.reason + ")");
      } else if (now - *left_since_[task] >= grace) {
        end_lost(task,
                 left_as_[task] + " without recording an exit status (its batch shell was killed)");
      }
    }
  }

  // Whether squeue still lists a task of ours as pending or running.
  bool any_active(const std::map<unsigned, SlurmTaskState>& tasks) const {
    for (const auto& [task, state] : tasks)
      if (task < jobs_.size() && !ends_[task] && state.active()) return true;
    return false;
  }

  void end_rest_lost(const std::string& why) {
    for (unsigned task = 0; task < jobs_.size(); ++task)
      if (!ends_[task]) end_lost(task, why);
  }

  // After scancel: a case that started and left no status was signalled with the
  // interrupt's signal (Slurm passed SIGTERM on); one that never started did not start.
  void end_rest_cancelled(int signal, const std::string& note) {
    for (unsigned task = 0; task < jobs_.size(); ++task) {
      if (ends_[task]) continue;
      const CaseJob& job = jobs_[task];
      if (fs::exists(started_file(status_dir_, job_id_, task)))
        finish(task, {job.id, CaseEnd::How::signalled, signal,
                      "cancelled with scancel after " + signal_name(signal) + note +
                          "; log: " + job.log_file.string()});
      else
        finish(task, {job.id, CaseEnd::How::not_started, 0,
                      "cancelled with scancel after " + signal_name(signal) + " before it started" +
                          note});
    }
  }

  std::vector<CaseEnd> ends() const {
    std::vector<CaseEnd> all;
    for (const std::optional<CaseEnd>& end : ends_) all.push_back(*end);
    return all;
  }

 private:
  void finish(unsigned task, CaseEnd end) {
    ends_[task] = std::move(end);
    --remaining_;
    on_end_(*ends_[task]);
  }

  void end_lost(unsigned task, const std::string& why) {
    const CaseJob& job = jobs_[task];
    const std::string slurm_output =
        (work_dir_ / ("slurm-" + job_id_ + "_" + std::to_string(task) + ".out")).string();
    finish(task, {job.id, CaseEnd::How::lost, 0,
                  "array task " + job_id_ + "_" + std::to_string(task) + " " + why +
                      "; log: " + job.log_file.string() + ", Slurm's output: " + slurm_output});
  }

  const std::vector<CaseJob>& jobs_;
  std::string job_id_;
  fs::path status_dir_, work_dir_;
  const std::function<void(const CaseEnd&)>& on_end_;
  std::map<std::string, double>& wall_seconds_;
  std::vector<std::optional<CaseEnd>> ends_;
  std::vector<std::optional<Clock::time_point>> left_since_;
  std::vector<std::string> left_as_;
  std::size_t remaining_ = ends_.size();
};

}  // namespace

SlurmLauncher::SlurmLauncher(LauncherOptions options, SlurmPolling polling)
    : options_(std::move(options)), polling_(polling) {}

std::optional<double> SlurmLauncher::wall_seconds(const std::string& id) const {
  const auto found = wall_seconds_.find(id);
  if (found == wall_seconds_.end()) return std::nullopt;
  return found->second;
}

std::vector<CaseEnd> SlurmLauncher::run(const std::vector<CaseJob>& jobs,
                                        const std::function<void(const CaseEnd&)>& on_end) {
  wall_seconds_.clear();
  if (jobs.empty()) return {};

  // The files the tasks read and write, under absolute paths (the tasks run elsewhere).
  const fs::path work_dir = fs::absolute(options_.work_dir);
  const fs::path status_dir = work_dir / "status";
  fs::remove_all(status_dir);
  fs::create_directories(status_dir);
  std::vector<ManifestEntry> entries;
  for (const CaseJob& job : jobs) {
    fs::create_directories(job.out_dir);
    const fs::path log_file = fs::absolute(job.log_file);
    fs::create_directories(log_file.parent_path());
    entries.push_back({log_file, job.argv});
  }
  const fs::path manifest = work_dir / "manifest";
  const fs::path script = work_dir / "batch.sh";
  write_file_atomically(manifest, manifest_text(entries));
  write_file_atomically(script, batch_script_text(manifest, status_dir));

  const CommandOutput submitted = run_command(sbatch_command(
      options_, static_cast<unsigned>(jobs.size()), script, work_dir / "slurm-%A_%a.out"));
  const std::optional<std::string> job_id =
      submitted.exit_status == 0 ? parse_sbatch_job_id(submitted.out) : std::nullopt;
  if (!job_id) {
    const std::string why = submitted.exit_status == 0
                                ? "sbatch gave no job id: \"" + submitted.out + "\""
                                : "sbatch failed (" + submitted.failure() + ")";
    std::vector<CaseEnd> ends;
    for (const CaseJob& job : jobs) {
      ends.push_back({job.id, CaseEnd::How::not_started, 0, why});
      on_end(ends.back());
    }
    return ends;
  }

  ArrayWatch watch(jobs, *job_id, status_dir, work_dir, on_end, wall_seconds_);
  Clock::time_point squeue_answered = Clock::now();
  while (!watch.done()) {
    if (const int signal = InterruptSignals::received(); signal != 0) {
      const CommandOutput cancelled = run_command({"scancel", *job_id});
      const std::string note =
          cancelled.exit_status == 0 ? "" : " (scancel failed: " + cancelled.failure() + ")";
      const Clock::time_point give_up = Clock::now() + polling_.cancel_wait;
      while (!watch.done() && Clock::now() < give_up) {
        watch.collect_exit_files();
        const CommandOutput queue = run_command(squeue_command(*job_id));
        if (queue.exit_status == 0 && !watch.any_active(parse_squeue_tasks(queue.out))) break;
        pause_for(polling_.interval);
      }
      watch.collect_exit_files();
      watch.end_rest_cancelled(signal, note);
      break;
    }
    watch.collect_exit_files();
    if (watch.done()) break;
    const CommandOutput queue = run_command(squeue_command(*job_id));
    const Clock::time_point now = Clock::now();
    if (queue.exit_status == 0) {
      squeue_answered = now;
      watch.note_squeue(parse_squeue_tasks(queue.out), now, polling_.lost_grace);
    } else if (now - squeue_answered >= polling_.squeue_outage) {
      watch.end_rest_lost("could not be followed: squeue failed for " +
                          std::to_string(static_cast<int>(seconds_between(squeue_answered, now))) +
                          " s (" + queue.failure() + ")");
    }
    if (!watch.done()) pause_for(polling_.interval);
  }
  return watch.ends();
}

}  // namespace irqlab::cosim::regress
