#include "child.h"

#include <cerrno>
#include <cstring>
#include <regex>
#include <spawn.h>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace irqlab::bench {

ChildResult run_child(const std::vector<std::string>& argv) {
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDERR_FILENO);
  posix_spawn_file_actions_addclose(&actions, pipe_fds[1]);

  std::vector<char*> args{const_cast<char*>(IRQLAB_BENCH_LAUNCH_BINARY)};
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(pipe_fds[1]);
  if (spawned != 0) {
    close(pipe_fds[0]);
    throw std::runtime_error(std::string("cannot run ") + args[0] + ": " + std::strerror(spawned));
  }

  ChildResult result;
  char buffer[4096];
  for (;;) {
    const ssize_t n = read(pipe_fds[0], buffer, sizeof buffer);
    if (n > 0) {
      result.output.append(buffer, static_cast<std::size_t>(n));
    } else if (n == 0 || errno != EINTR) {
      break;
    }
  }
  close(pipe_fds[0]);

  int status = 0;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) throw std::runtime_error(std::string("waitpid: ") + std::strerror(errno));
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);

  static const std::regex peak(R"(irqlab-bench-launch: peak_rss_kb ([0-9]+)\n)");
  std::smatch m;
  if (std::regex_search(result.output, m, peak)) {
    result.peak_rss_kb = std::stol(m[1]);
    result.output.erase(static_cast<std::size_t>(m.position(0)), static_cast<std::size_t>(m.length(0)));
  }
  return result;
}

std::optional<double> logged_speed(const std::string& output) {
  static const std::regex speed(R"(\(([0-9]+(\.[0-9]*)?) cycles/s\))");
  std::smatch m;
  if (!std::regex_search(output, m, speed)) return std::nullopt;
  return std::stod(m[1]);
}

}  // namespace irqlab::bench
