#pragma once
// Ending a run early with complete outputs (docs/architecture.md, "Run life cycle").
//
// A run is stopped by a request, never killed: SIGINT and SIGTERM handlers only record
// the first signal, and host-time and memory watchdogs only report that a limit was
// passed. The simulation loop (run/simulation_loop.h) looks at both between two bounded
// pieces of simulation, so the run ends at a cycle boundary and then takes the normal end
// path (waves closed, every sink's end(), results.json with status "interrupted").
// A comparison's parent looks at the same record to forward the signal to its child.
//
// A second SIGINT or SIGTERM while one is recorded ends the process at once, by the
// signal's default action: a user who pressed Ctrl-C twice wants it gone now.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace irqlab::cosim {

// Installs the SIGINT and SIGTERM handlers for the object's lifetime, and restores the
// previous ones after. Construct one per process, from the main thread.
class InterruptSignals {
 public:
  InterruptSignals();
  ~InterruptSignals();
  InterruptSignals(const InterruptSignals&) = delete;
  InterruptSignals& operator=(const InterruptSignals&) = delete;

  // The first SIGINT or SIGTERM received since construction, or 0. Any context.
  static int received();
};

// "SIGINT", "SIGTERM", "SIGKILL", or "signal N".
std::string signal_name(int signal);

// The shell's convention for a process ended by `signal`: 128 + its number. A run
// interrupted by a signal exits with it after writing its outputs.
constexpr int exit_status_for_signal(int signal) { return 128 + signal; }
// A run interrupted by a watchdog (--max-seconds, --max-rss) exits with this.
inline constexpr int kExitWatchdog = 3;

struct RunLimits {
  std::optional<double> max_seconds;     // host time from the start of the run
  std::optional<std::uint64_t> max_rss;  // resident bytes of the process
};

// The process's resident set in bytes (from /proc/self/statm), 0 if it cannot be read.
std::uint64_t resident_bytes();

// The watchdogs of one run; starts the host clock when constructed. Main thread.
class Watchdog {
 public:
  explicit Watchdog(RunLimits limits);
  // Why the run must stop now ("--max-seconds 2 (host time 2.04 s)"), or nothing.
  std::optional<std::string> expired() const;

 private:
  RunLimits limits_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace irqlab::cosim
