#pragma once
// The irqlab binary as a process a test can signal while it runs, find the children of,
// or run under a pseudo-terminal (irqlab_process.h runs it to its end through a pipe).
#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <optional>
#include <pty.h>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include "irqlab_process.h"

namespace irqlab::test {

struct Ended {
  std::optional<int> exit_status;  // when it exited
  std::optional<int> signal;       // when a signal ended it
  std::string output;              // stdout and stderr
};

inline std::vector<char*> argv_of(std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  return argv;
}

inline Ended ended_from(int status, std::string output) {
  Ended e;
  if (WIFEXITED(status)) e.exit_status = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) e.signal = WTERMSIG(status);
  e.output = std::move(output);
  return e;
}

// irqlab started with `args`, its stdout and stderr into a file (not a terminal).
class RunningIrqlab {
 public:
  RunningIrqlab(std::vector<std::string> args, std::filesystem::path output)
      : output_(std::move(output)) {
    args.insert(args.begin(), IRQLAB_BINARY);
    std::vector<char*> argv = argv_of(args);
    pid_ = fork();
    if (pid_ == 0) {
      const int fd = ::open(output_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      dup2(fd, STDOUT_FILENO);
      dup2(fd, STDERR_FILENO);
      execv(argv[0], argv.data());
      _exit(127);
    }
  }
  ~RunningIrqlab() {
    if (!waited_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  RunningIrqlab(const RunningIrqlab&) = delete;
  RunningIrqlab& operator=(const RunningIrqlab&) = delete;

  pid_t pid() const { return pid_; }
  void signal(int sig) const { kill(pid_, sig); }
  Ended wait() {
    int status = 0;
    waitpid(pid_, &status, 0);
    waited_ = true;
    return ended_from(status, read_text(output_));
  }

 private:
  std::filesystem::path output_;
  pid_t pid_ = -1;
  bool waited_ = false;
};

// Waits until `done()` holds or `seconds` passed; returns whether it holds.
template <typename Condition>
bool wait_until(Condition done, double seconds = 30) {
  const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (!done()) {
    if (std::chrono::steady_clock::now() > end) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

// The process ids of `pid`'s children (Linux: /proc/<pid>/task/<pid>/children).
inline std::vector<pid_t> children_of(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/task/" + std::to_string(pid) + "/children");
  std::vector<pid_t> children;
  pid_t child = 0;
  while (in >> child) children.push_back(child);
  return children;
}

inline bool process_exists(pid_t pid) { return kill(pid, 0) == 0; }

// Whether `signal` is pending for `pid`, not yet delivered (/proc/<pid>/status: SigPnd
// for its thread, ShdPnd for the process; hexadecimal masks, bit signal - 1).
inline bool signal_pending(pid_t pid, int signal) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line))
    if (line.starts_with("SigPnd:") || line.starts_with("ShdPnd:"))
      if ((std::stoull(line.substr(7), nullptr, 16) >> (signal - 1)) & 1U) return true;
  return false;
}

// irqlab run to its end with stdin, stdout and stderr on a pseudo-terminal.
inline Ended run_irqlab_on_terminal(std::vector<std::string> args) {
  args.insert(args.begin(), IRQLAB_BINARY);
  std::vector<char*> argv = argv_of(args);
  int terminal = -1;
  const pid_t pid = forkpty(&terminal, nullptr, nullptr, nullptr);
  if (pid == 0) {
    execv(argv[0], argv.data());
    _exit(127);
  }
  std::string output;
  char buffer[4096];
  for (;;) {  // until the child's side closes (EIO once it exited)
    const ssize_t n = ::read(terminal, buffer, sizeof buffer);
    if (n <= 0) break;
    output.append(buffer, static_cast<std::size_t>(n));
  }
  close(terminal);
  int status = 0;
  waitpid(pid, &status, 0);
  return ended_from(status, output);
}

}  // namespace irqlab::test
