#pragma once
// The waves' size, estimated before a run: a run whose waves.fst could outgrow
// kMaxWavesBytes is refused when the scenario is loaded, with the estimate and how to
// proceed (--no-waves, a window, a shorter run), instead of filling the disk.
//
// The estimate is an upper figure per traced cycle times the cycles in the window. The
// figures are the largest FST sizes measured per cycle with every cycle evaluated (skipping
// off: the most samples; docs/reliability.md): about 1 byte at depth 2 (the NIC scenario)
// and 14.5 at depth 99 (the IPsec scenario, whose ChaCha20 core changes every cycle),
// rounded up to 2 and 16. A run that skips quiescent cycles writes less.
#include <cstdint>
#include <optional>
#include <string>

#include "scenario/scenario.h"

namespace irqlab::cosim {

inline constexpr std::uint64_t kMaxWavesBytes = 4'000'000'000;  // 4 GB

// Bytes per traced cycle at `depth` (waves.depth): 2 up to depth 2, 16 deeper.
std::uint64_t waves_bytes_per_cycle(unsigned depth);

// The estimated size of waves.fst for `waves` in a run of `duration` cycles (0 without waves).
std::uint64_t estimated_waves_bytes(const WaveSettings& waves, Cycle duration);

// Why the waves of such a run are refused, saying the estimate and how to proceed; nullopt
// when they are off or fit in kMaxWavesBytes.
std::optional<std::string> waves_size_problem(const WaveSettings& waves, Cycle duration);

}  // namespace irqlab::cosim
