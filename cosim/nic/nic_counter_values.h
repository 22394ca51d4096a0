#pragma once
// One value per NIC statistics counter, indexed by kernel::NicCounterId.
#include <array>
#include <cstdint>

#include "drivers/nic/nic_counters.h"

namespace irqlab::cosim {

using NicCounterValues = std::array<std::uint64_t, kernel::kNicCounterCount>;

}  // namespace irqlab::cosim
