#pragma once
// The SoC's address map and interrupt source assignment as the simulator sees it; the
// RTL's own definition is rtl/soc/irqlab_soc.sv (docs/rtl.md), and the soc tests check
// that the two agree.
#include <cstdint>

namespace irqlab::cosim::soc {

inline constexpr std::uint64_t kPlicBase = 0x0C00'0000;
inline constexpr std::uint64_t kTimerBase = 0x1000'0000;
inline constexpr std::uint64_t kIpiBase = 0x1001'0000;
// Everything the SoC's register port decodes lies in this window; holes answer with a
// bus error from the SoC itself.
inline constexpr std::uint64_t kRegisterWindowBase = 0x0C00'0000;
inline constexpr std::uint64_t kRegisterWindowSize = 0x1400'0000;
inline constexpr std::uint64_t kRamBase = 0x8000'0000;
inline constexpr std::uint64_t kRamSize = 16 << 20;

inline constexpr unsigned kPlicSources = 32;  // IDs 0..31, 0 reserved
inline constexpr unsigned timer_source(unsigned hart) { return 1 + hart; }
inline constexpr unsigned ipi_source(unsigned hart) { return 7 + hart; }

}  // namespace irqlab::cosim::soc
