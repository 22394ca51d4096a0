#pragma once
// Writes a GTKWave save file that opens a run's FST with the signals grouped: the
// interrupt sources and PLIC, each hart's kernel state, each lock's owner and the
// register bus, and with a NIC or a crypto engine their own groups (waves/README.md). With a focus
// cycle, the view opens on it with a marker there.
#include <cstdint>
#include <filesystem>
#include <optional>

namespace irqlab::cosim {

// `locks`: how many lock owner probes to show; `nic`, `crypto`: whether the NIC's and the
// crypto engine's groups are shown.
void write_gtkw(const std::filesystem::path& gtkw, const std::filesystem::path& fst, unsigned harts,
                unsigned locks, bool nic, bool crypto, std::uint64_t clock_period_ps,
                std::optional<std::uint64_t> focus_cycle);

}  // namespace irqlab::cosim
