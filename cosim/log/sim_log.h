#pragma once
// spdlog set-up: every log line carries the simulated cycle.
#include <functional>
#include <string>

#include "machine/machine.h"

namespace irqlab::cosim {

// `now` gives the current simulated cycle; until a platform exists it may return 0.
void init_logging(const std::string& level, std::function<kernel::Cycle()> now);
void set_log_clock(std::function<kernel::Cycle()> now);

// Log lines take their cycle from `now` while the scope lives (a simulation's clock),
// and cycle 0 again after it: the clock must not outlive what it reads.
class LogClockScope {
 public:
  explicit LogClockScope(std::function<kernel::Cycle()> now) { set_log_clock(std::move(now)); }
  ~LogClockScope() { set_log_clock([] { return kernel::Cycle{0}; }); }
  LogClockScope(const LogClockScope&) = delete;
  LogClockScope& operator=(const LogClockScope&) = delete;
};

}  // namespace irqlab::cosim
