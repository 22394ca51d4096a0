#pragma once
// spdlog set-up: every log line carries the simulated cycle.
#include <functional>
#include <string>

#include "machine/machine.h"

namespace irqlab::cosim {

// `now` gives the current simulated cycle; until a platform exists it may return 0.
void init_logging(const std::string& level, std::function<kernel::Cycle()> now);
void set_log_clock(std::function<kernel::Cycle()> now);

}  // namespace irqlab::cosim
