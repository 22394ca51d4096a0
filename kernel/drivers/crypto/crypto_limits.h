#pragma once
// What the crypto engine accepts (docs/rtl.md, crypto; rtl/soc/soc.yaml parameter
// MaxJobBytes) and what the driver's memory layout needs, for validate_config() and the
// driver. Plain constants; any context.
#include <cstdint>

namespace irqlab::kernel {

// The SoC's engine: a job of more bytes is refused with BAD_LENGTH (soc.yaml MaxJobBytes).
inline constexpr unsigned kCryptoEngineMaxJobBytes = 16384;
// The driver's smallest data slot: one ChaCha20 block, so every slot holds a whole one.
inline constexpr unsigned kCryptoMinSlotBytes = 64;
// Job descriptor and key sizes (docs/rtl.md, crypto descriptor).
inline constexpr unsigned kCryptoDescriptorBytes = 64;
inline constexpr unsigned kCryptoKeyBytes = 32;
// COAL field widths: COUNT bits 7:0, TIMEOUT bits 31:16.
inline constexpr unsigned kCryptoCoalesceCountMax = 0xFF;
inline constexpr unsigned kCryptoCoalesceTimeoutMax = 0xFFFF;

}  // namespace irqlab::kernel
