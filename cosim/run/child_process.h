#pragma once
// A child irqlab process tied to its parent: one run of a comparison (run/compare.h) or
// one case of a regression (regress/local_launcher.h).
// - it dies with the parent: the parent-death signal is SIGTERM, which the child answers
//   like any SIGTERM (it ends its run at a cycle boundary and writes its outputs), and a
//   child whose parent is already gone when it starts does not start;
// - it has its own process group, so a Ctrl-C on the terminal reaches the parent only,
//   and the parent forwards it (and SIGTERM) to the running children exactly once: they
//   then end their runs, and the parent writes what it has.
//   A second Ctrl-C ends the parent at once, and the children with it.
// Main thread of the parent, with InterruptSignals installed.
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace irqlab::cosim {

struct ChildExit {
  std::optional<int> exit_status;  // when it exited
  std::optional<int> signal;       // when a signal ended it
};

// Starts `argv` (argv[0]: the binary's path) as a tied child, its stdout and stderr going
// to `output_fd` when that is not -1 (else inherited). Returns its pid, which is also its
// process group's id. Throws std::runtime_error saying why when it cannot start (fork
// failed, or argv[0] could not be executed); the child has then been reaped.
pid_t start_child(const std::vector<std::string>& argv, int output_fd = -1);

// How a child ended, from the status waitpid() gave for it.
ChildExit child_exit(int wait_status);

// Runs `argv` (argv[0]: the binary's path) and waits for it, forwarding the first
// SIGINT/SIGTERM the parent receives. Throws std::runtime_error if it cannot start.
ChildExit run_child(const std::vector<std::string>& argv);

}  // namespace irqlab::cosim
