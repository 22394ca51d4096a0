#pragma once
// The NIC statistics registers the driver reads back (clear on read) and reports on the
// event stream as NicCounter events (trace/trace.h).
#include <cstdint>

namespace irqlab::kernel {

enum class NicCounterId : std::uint8_t { Mpc, Rlec, Rnbc, Gprc, Gptc, Gorc, Gotc };
inline constexpr unsigned kNicCounterCount = 7;

// "mpc", "rlec", "rnbc", "gprc", "gptc", "gorc", "gotc": the names results.json uses.
const char* nic_counter_name(NicCounterId id);

}  // namespace irqlab::kernel
