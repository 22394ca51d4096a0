#include "run/child_process.h"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "run/run_control.h"

namespace irqlab::cosim {

namespace {

// In the child between fork and exec: async-signal-safe calls only.
[[noreturn]] void become_child(std::vector<char*>& argv, pid_t parent) {
  prctl(PR_SET_PDEATHSIG, SIGTERM);
  if (getppid() != parent) _exit(127);  // the parent died before the line above
  setpgid(0, 0);
  execv(argv[0], argv.data());
  static constexpr char kMessage[] = "irqlab: cannot start a child irqlab\n";
  [[maybe_unused]] const ssize_t ignored = write(STDERR_FILENO, kMessage, sizeof kMessage - 1);
  _exit(127);
}

}  // namespace

ChildExit run_child(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::fflush(stdout);
  std::fflush(stderr);
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0)
    throw std::runtime_error(std::string("cannot start a child irqlab: ") + std::strerror(errno));
  if (pid == 0) become_child(argv, parent);
  setpgid(pid, pid);  // also here, so a signal forwarded at once finds the group made

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
  if (WIFEXITED(status)) return {WEXITSTATUS(status), std::nullopt};
  return {std::nullopt, WTERMSIG(status)};
}

}  // namespace irqlab::cosim
