#include "regress/local_launcher.h"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <stdexcept>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "run/child_process.h"
#include "run/run_control.h"

namespace irqlab::cosim::regress {

namespace {

using Clock = std::chrono::steady_clock;

const LauncherRegistration kLocal{"local", [](const LauncherOptions& options) {
                                    return std::make_unique<LocalLauncher>(options.jobs);
                                  }};

struct RunningCase {
  std::size_t index;  // into the jobs
  pid_t pid;
  Clock::time_point started;
};

// Starts `job` with its output going to its log file; throws std::runtime_error saying why
// it could not.
pid_t start_case(const CaseJob& job) {
  std::error_code error;
  std::filesystem::create_directories(job.out_dir, error);
  if (!error) std::filesystem::create_directories(job.log_file.parent_path(), error);
  if (error)
    throw std::runtime_error("cannot create the directories of " + job.log_file.string() + ": " +
                             error.message());
  const int log = open(job.log_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (log < 0)
    throw std::runtime_error("cannot create " + job.log_file.string() + ": " +
                             std::strerror(errno));
  try {
    const pid_t pid = start_child(job.argv, log);
    close(log);
    return pid;
  } catch (...) {
    close(log);
    throw;
  }
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

LocalLauncher::LocalLauncher(unsigned jobs) : jobs_(jobs) {
  if (jobs_ == 0) throw std::invalid_argument("the local launcher needs -j of at least 1");
}

std::vector<CaseEnd> LocalLauncher::run(const std::vector<CaseJob>& jobs,
                                        const std::function<void(const CaseEnd&)>& on_end) {
  std::vector<CaseEnd> ends(jobs.size());
  wall_seconds_.clear();
  const auto finish = [&](std::size_t index, CaseEnd end, std::optional<double> seconds) {
    end.id = jobs[index].id;
    if (seconds) wall_seconds_[end.id] = *seconds;
    ends[index] = std::move(end);
    on_end(ends[index]);
  };
  std::vector<RunningCase> running;
  std::size_t next = 0;
  int forwarded = 0;
  for (;;) {
    const int signal = InterruptSignals::received();
    if (signal != 0 && forwarded == 0) {
      // To each case's process group: the irqlab run and anything it started with it.
      for (const RunningCase& r : running) kill(-r.pid, signal);
      forwarded = signal;
    }
    while (signal == 0 && running.size() < jobs_ && next < jobs.size()) {
      const std::size_t index = next++;
      const Clock::time_point started = Clock::now();
      try {
        running.push_back({index, start_case(jobs[index]), started});
      } catch (const std::runtime_error& e) {
        finish(index, {{}, CaseEnd::How::not_started, 0, e.what()}, seconds_since(started));
      }
    }
    for (auto r = running.begin(); r != running.end();) {
      int status = 0;
      const pid_t done = waitpid(r->pid, &status, WNOHANG);
      if (done == 0 || (done < 0 && errno == EINTR)) {
        ++r;
        continue;
      }
      const double seconds = seconds_since(r->started);
      CaseEnd end{{}, CaseEnd::How::lost, 0, {}};
      if (done < 0) {
        end.detail = std::string("waitpid: ") + std::strerror(errno);
      } else if (const ChildExit exit = child_exit(status); exit.signal) {
        end.how = CaseEnd::How::signalled;
        end.code = *exit.signal;
      } else {
        end.how = CaseEnd::How::exited;
        end.code = exit.exit_status.value_or(0);
      }
      const std::size_t index = r->index;
      r = running.erase(r);
      finish(index, std::move(end), seconds);
    }
    if (running.empty() && (next == jobs.size() || signal != 0)) break;
    // Polled: a signal arriving just before a blocking wait would not be forwarded until
    // a case ended on its own. A signal cuts the sleep.
    const timespec pause{0, 10'000'000};
    nanosleep(&pause, nullptr);
  }
  if (forwarded != 0) {
    for (; next < jobs.size(); ++next)
      finish(next,
             {{},
              CaseEnd::How::not_started,
              0,
              "the regression was interrupted by " + signal_name(forwarded)},
             std::nullopt);
  }
  return ends;
}

std::optional<double> LocalLauncher::wall_seconds(const std::string& id) const {
  const auto found = wall_seconds_.find(id);
  if (found == wall_seconds_.end()) return std::nullopt;
  return found->second;
}

}  // namespace irqlab::cosim::regress
