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

// Limits that mirror parameters of the RTL (rtl/soc/irqlab_soc.sv, cosim/rtl/irqlab_cosim_top.sv).
// Written here by hand until the SoC description (rtl/soc/soc.yaml) generates this file;
// the scenario key table, the runner and the RTL domain take them from here, never as
// literals.
inline constexpr unsigned kNumSources = 32;  // PLIC source IDs 0..31, 0 reserved (NumSrc)
inline constexpr unsigned kMaxHarts = 4;     // PLIC contexts, one per hart (NumHarts)
inline constexpr unsigned kMaxPriority = 7;  // highest PLIC priority, 2^PrioW - 1 (PrioW = 3)
inline constexpr unsigned kLockProbes = 8;   // lock-owner probes of the co-simulation top
inline constexpr unsigned timer_source(unsigned hart) { return 1 + hart; }
inline constexpr unsigned ipi_source(unsigned hart) { return 7 + hart; }

}  // namespace irqlab::cosim::soc
