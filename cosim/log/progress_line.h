#pragma once
// The progress line of a long run on a terminal: simulated cycles, rate and ETA on one
// line of stderr, rewritten in place ("linux  12.5 M / 50 M cycles  25%  1.02 M cycles/s
// ETA 37 s"). Only when stderr is a terminal, and only once the run has taken longer than
// kQuietSeconds of host time: short runs and redirected output stay quiet. A comparison's
// children each show their own, labelled with their personality.
//
// Main thread, between two pieces of simulation (run/simulation_loop.h): it reads the
// cycle reached there, so the simulation itself is never touched.
#include <chrono>
#include <cstddef>
#include <string>

#include "machine/machine.h"

namespace irqlab::cosim {

class ProgressLine {
 public:
  static constexpr double kQuietSeconds = 2.0;
  static constexpr double kRedrawSeconds = 0.25;

  // `label` starts the line (the personality); `total` is the run's length in cycles.
  // Shows nothing unless `enabled` (by default: stderr is a terminal).
  ProgressLine(std::string label, kernel::Cycle total, bool enabled = stderr_is_terminal());
  ~ProgressLine();  // clears the line if one was shown
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  void update(kernel::Cycle reached);
  // Removes the line (before the run's final log lines).
  void clear();

  static bool stderr_is_terminal();

 private:
  using Clock = std::chrono::steady_clock;

  std::string label_;
  kernel::Cycle total_;
  bool enabled_;
  Clock::time_point start_;
  Clock::time_point last_drawn_;
  std::size_t shown_width_ = 0;  // width of the line on screen, 0 if none
};

// "950", "12.5 k", "3.07 M", "1.2 G": three significant digits.
std::string short_count(double n);

}  // namespace irqlab::cosim
