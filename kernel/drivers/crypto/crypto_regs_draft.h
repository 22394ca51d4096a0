#pragma once
// TEMPORARY: the crypto engine's register offsets and fields from the interface contract
// (docs/rtl.md, crypto), spelled as tools/socgen.py spells generated headers, until
// kernel/drivers/regs/crypto_regs.h is generated from rtl/soc/soc.yaml; then this file
// goes and the driver includes the generated one.
#include <cstdint>

namespace irqlab::regs::crypto {

inline constexpr std::uint64_t kId = 0x0;
inline constexpr std::uint64_t kCtrl = 0x4;
inline constexpr unsigned kCtrlEnShift = 0;
inline constexpr unsigned kCtrlSrstShift = 1;
inline constexpr std::uint64_t kStatus = 0x8;
inline constexpr unsigned kStatusBusyShift = 0;
inline constexpr unsigned kStatusHaltErrShift = 1;
inline constexpr std::uint64_t kJrBaseLo = 0x10;
inline constexpr std::uint64_t kJrBaseHi = 0x14;
inline constexpr std::uint64_t kJrSize = 0x18;
inline constexpr std::uint64_t kJrHead = 0x1C;
inline constexpr std::uint64_t kJrTail = 0x20;
inline constexpr std::uint64_t kIntrState = 0x40;
inline constexpr unsigned kIntrStateDoneShift = 0;
inline constexpr unsigned kIntrStateErrShift = 1;
inline constexpr std::uint64_t kIntrEnable = 0x44;
inline constexpr std::uint64_t kIntrTest = 0x48;
inline constexpr std::uint64_t kCoal = 0x50;
inline constexpr unsigned kCoalCountShift = 0;
inline constexpr unsigned kCoalTimeoutShift = 16;

}  // namespace irqlab::regs::crypto
