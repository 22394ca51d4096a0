#pragma once
// Runs a measurement program as a child process, through irqlab_bench_launch so that its
// peak RSS is its own (launch.cpp), and collects what it printed, how it ended and that
// peak.
#include <optional>
#include <string>
#include <vector>

namespace irqlab::bench {

struct ChildResult {
  int exit_code = 0;     // 128 + signal when a signal ended it
  std::string output;    // stdout and stderr, interleaved
  long peak_rss_kb = 0;  // the program's ru_maxrss, from the launcher's wait4()
};

// Runs argv[0] with argv (no shell) and waits for it. Throws std::runtime_error when it
// cannot start.
ChildResult run_child(const std::vector<std::string>& argv);

// The speed a harness or irqlab logged: "... (N cycles/s)".
std::optional<double> logged_speed(const std::string& output);

}  // namespace irqlab::bench
