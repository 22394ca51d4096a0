#include "regress/slurm_commands.h"

#include <array>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sstream>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace irqlab::cosim::regress {

namespace {

std::string trimmed(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

// Closes the descriptors it holds when it goes out of scope.
struct Pipe {
  std::array<int, 2> fd{-1, -1};
  Pipe() {
    if (pipe2(fd.data(), O_CLOEXEC) != 0)
      throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  }
  ~Pipe() {
    for (const int d : fd)
      if (d >= 0) close(d);
  }
  Pipe(const Pipe&) = delete;
  Pipe& operator=(const Pipe&) = delete;
  void close_end(int end) {
    close(fd[end]);
    fd[end] = -1;
  }
};

// Reads both pipes until both are closed, so a chatty command never blocks on a full pipe.
void drain(Pipe& out_pipe, Pipe& err_pipe, CommandOutput& output) {
  std::array<pollfd, 2> fds{pollfd{out_pipe.fd[0], POLLIN, 0}, pollfd{err_pipe.fd[0], POLLIN, 0}};
  std::array<std::string*, 2> into{&output.out, &output.err};
  int open_pipes = 2;
  while (open_pipes > 0) {
    if (poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error(std::string("poll: ") + std::strerror(errno));
    }
    for (std::size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      char buffer[4096];
      const ssize_t n = read(fds[i].fd, buffer, sizeof buffer);
      if (n > 0) {
        into[i]->append(buffer, static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        fds[i].fd = -1;
        --open_pipes;
      }
    }
  }
}

}  // namespace

std::string CommandOutput::failure() const {
  std::string message;
  std::istringstream lines(err.empty() ? out : err);
  for (std::string line; std::getline(lines, line);)
    if (const std::string text = trimmed(line); !text.empty())
      message += (message.empty() ? "" : "; ") + text;
  return "exit " + std::to_string(exit_status) + (message.empty() ? "" : ": " + message);
}

CommandOutput run_command(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  argv.reserve(args.size() + 1);
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);

  Pipe out_pipe, err_pipe;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_pipe.fd[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err_pipe.fd[1], STDERR_FILENO);
  // In a process group of its own: a Ctrl-C on the terminal reaches irqlab only, which
  // then cancels the job itself, rather than killing an sbatch halfway through a submission.
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attributes, 0);
  pid_t pid = 0;
  const int spawned = posix_spawnp(&pid, argv[0], &actions, &attributes, argv.data(), environ);
  posix_spawnattr_destroy(&attributes);
  posix_spawn_file_actions_destroy(&actions);
  CommandOutput output;
  if (spawned != 0) {
    output.exit_status = 127;
    output.err = "cannot run " + args.front() + ": " + std::strerror(spawned);
    return output;
  }
  out_pipe.close_end(1);
  err_pipe.close_end(1);
  drain(out_pipe, err_pipe, output);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) throw std::runtime_error(std::string("waitpid: ") + std::strerror(errno));
  }
  output.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return output;
}

std::vector<std::string> sbatch_command(const LauncherOptions& options, unsigned tasks,
                                        const std::filesystem::path& script,
                                        const std::filesystem::path& slurm_output_pattern) {
  std::string array = "--array=0-" + std::to_string(tasks - 1);
  // An explicit -j N, even 1, throttles the array; 0 (no -j) leaves it to the scheduler.
  if (options.jobs > 0) array += "%" + std::to_string(options.jobs);
  std::vector<std::string> command{"sbatch",
                                   "--parsable",
                                   array,
                                   "--job-name=irqlab-regress",
                                   "--output=" + slurm_output_pattern.string(),
                                   "--cpus-per-task=" + std::to_string(options.cpus_per_task)};
  if (!options.partition.empty()) command.push_back("--partition=" + options.partition);
  if (!options.time_limit.empty()) command.push_back("--time=" + options.time_limit);
  if (!options.mem_per_task.empty()) command.push_back("--mem=" + options.mem_per_task);
  command.push_back(script.string());
  return command;
}

std::optional<std::string> parse_sbatch_job_id(const std::string& out) {
  const std::string line = trimmed(out.substr(0, out.find('\n')));
  const std::string id = line.substr(0, line.find(';'));
  if (id.empty() || id.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  return id;
}

bool SlurmTaskState::active() const {
  static const std::array<std::string_view, 11> kActive{
      "PENDING",     "CONFIGURING",  "RUNNING",  "COMPLETING", "SUSPENDED", "REQUEUED",
      "REQUEUE_FED", "REQUEUE_HOLD", "RESIZING", "SIGNALING",  "STAGE_OUT"};
  for (const std::string_view s : kActive)
    if (state == s) return true;
  return false;
}

std::vector<std::string> squeue_command(const std::string& job_id) {
  return {"squeue",       "--noheader",       "--array",
          "--states=all", "--jobs=" + job_id, "--format=%K|%T|%r"};
}

std::map<unsigned, SlurmTaskState> parse_squeue_tasks(const std::string& out) {
  std::map<unsigned, SlurmTaskState> tasks;
  std::istringstream lines(out);
  std::string line;
  while (std::getline(lines, line)) {
    const std::string row = trimmed(line);
    const auto bar1 = row.find('|');
    const auto bar2 = bar1 == std::string::npos ? bar1 : row.find('|', bar1 + 1);
    if (bar2 == std::string::npos) continue;
    const std::string task = row.substr(0, bar1);
    if (task.empty() || task.find_first_not_of("0123456789") != std::string::npos) continue;
    tasks[static_cast<unsigned>(std::stoul(task))] = {row.substr(bar1 + 1, bar2 - bar1 - 1),
                                                      row.substr(bar2 + 1)};
  }
  return tasks;
}

}  // namespace irqlab::cosim::regress
