#pragma once
// The NIC statistics registers the driver reads back (clear on read) and reports on the
// event stream as NicCounter events, and the engine errors it reports as NicError events
// (trace/trace.h).
#include <cstdint>

namespace irqlab::kernel {

enum class NicCounterId : std::uint8_t { Mpc, Rlec, Rnbc, Gprc, Gptc, Gorc, Gotc };
inline constexpr unsigned kNicCounterCount = 7;

// "mpc", "rlec", "rnbc", "gprc", "gptc", "gorc", "gotc": the names results.json uses.
const char* nic_counter_name(NicCounterId id);

// Errors the driver reads from STATUS and reports as NicError events: a DMA access of the
// RX or TX engine answered with an error (STATUS.RXDMAERR, STATUS.TXDMAERR), which stops
// that engine until CTRL.RST.
enum class NicErrorCause : std::uint8_t { RxDma, TxDma };
inline constexpr unsigned kNicErrorCauseCount = 2;

// "rx_dma", "tx_dma": the names results.json uses.
const char* nic_error_cause_name(NicErrorCause cause);

}  // namespace irqlab::kernel
