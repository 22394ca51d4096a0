#pragma once
// One child irqlab process of a comparison (run/compare.h), tied to its parent:
// - it dies with the parent: the parent-death signal is SIGTERM, which the child answers
//   like any SIGTERM (it ends its run at a cycle boundary and writes its outputs), and a
//   child whose parent is already gone when it starts does not start;
// - it has its own process group, so a Ctrl-C on the terminal reaches the parent only,
//   and the parent forwards it (and SIGTERM) to the running child exactly once: the
//   child then ends its run, and the parent writes its comparison with what it has.
//   A second Ctrl-C ends the parent at once, and the child with it.
// Main thread of the parent, with InterruptSignals installed.
#include <optional>
#include <string>
#include <vector>

namespace irqlab::cosim {

struct ChildExit {
  std::optional<int> exit_status;  // when it exited
  std::optional<int> signal;       // when a signal ended it
};

// Runs `argv` (argv[0]: the binary's path) and waits for it, forwarding the first
// SIGINT/SIGTERM the parent receives. Throws std::runtime_error if it cannot start.
ChildExit run_child(const std::vector<std::string>& argv);

}  // namespace irqlab::cosim
