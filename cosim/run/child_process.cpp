#include "run/child_process.h"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <stdexcept>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "run/run_control.h"

namespace irqlab::cosim {

namespace {

// In the child between fork and exec: async-signal-safe calls only. When exec fails, the
// child writes its errno into `exec_errors` (closed on a successful exec) and exits.
[[noreturn]] void become_child(std::vector<char*>& argv, pid_t parent, int output_fd,
                               int exec_errors) {
  prctl(PR_SET_PDEATHSIG, SIGTERM);
  if (getppid() != parent) _exit(127);  // the parent died before the line above
  setpgid(0, 0);
  if (output_fd != -1) {
    dup2(output_fd, STDOUT_FILENO);
    dup2(output_fd, STDERR_FILENO);
  }
  execv(argv[0], argv.data());
  const int error = errno;
  [[maybe_unused]] const ssize_t ignored = write(exec_errors, &error, sizeof error);
  _exit(127);
}

// The errno the child reported before it could exec, or 0 once it has exec'd. Blocks
// until one of the two happened (the pipe's write end closes at exec or exit).
int exec_error(int exec_errors) {
  int error = 0;
  for (;;) {
    const ssize_t n = read(exec_errors, &error, sizeof error);
    if (n == static_cast<ssize_t>(sizeof error)) return error;
    if (n < 0 && errno == EINTR) continue;
    return 0;
  }
}

}  // namespace

pid_t start_child(const std::vector<std::string>& args, int output_fd) {
  std::vector<char*> argv;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  int exec_errors[2];
  if (pipe2(exec_errors, O_CLOEXEC) != 0)
    throw std::runtime_error(std::string("cannot start a child: ") + std::strerror(errno));
  std::fflush(stdout);
  std::fflush(stderr);
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) {
    const int error = errno;
    close(exec_errors[0]);
    close(exec_errors[1]);
    throw std::runtime_error(std::string("cannot start a child: ") + std::strerror(error));
  }
  if (pid == 0) become_child(argv, parent, output_fd, exec_errors[1]);
  setpgid(pid, pid);  // also here, so a signal forwarded at once finds the group made
  close(exec_errors[1]);
  const int error = exec_error(exec_errors[0]);
  close(exec_errors[0]);
  if (error != 0) {
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    throw std::runtime_error("cannot execute " + args.front() + ": " + std::strerror(error));
  }
  return pid;
}

ChildExit child_exit(int wait_status) {
  if (WIFEXITED(wait_status)) return {WEXITSTATUS(wait_status), std::nullopt};
  return {std::nullopt, WTERMSIG(wait_status)};
}

ChildExit run_child(const std::vector<std::string>& args) {
  const pid_t pid = start_child(args);
  bool forwarded = false;
  int status = 0;
  for (;;) {
    const pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    if (done < 0 && errno != EINTR)
      throw std::runtime_error(std::string("waitpid: ") + std::strerror(errno));
    const int signal = InterruptSignals::received();
    if (signal != 0 && !forwarded) {
      kill(pid, signal);
      forwarded = true;
    }
    // Polled rather than a blocking wait: a signal arriving just before a blocking wait
    // would not be forwarded until the child ended on its own. A signal cuts the sleep.
    const timespec pause{0, 10'000'000};
    nanosleep(&pause, nullptr);
  }
  return child_exit(status);
}

}  // namespace irqlab::cosim
