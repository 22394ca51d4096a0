#include "scenario/waves_estimate.h"

namespace irqlab::cosim {

std::uint64_t waves_bytes_per_cycle(unsigned depth) { return depth <= 2 ? 2 : 16; }

std::uint64_t estimated_waves_bytes(const WaveSettings& waves, Cycle duration) {
  if (!waves.enabled) return 0;
  const Cycle end = waves.end.value_or(duration);
  const Cycle traced = end > waves.start ? end - waves.start : 0;
  // traced <= 10^12 (the longest run), so the product stays far below 2^64.
  return traced * waves_bytes_per_cycle(waves.depth);
}

std::optional<std::string> waves_size_problem(const WaveSettings& waves, Cycle duration) {
  const std::uint64_t bytes = estimated_waves_bytes(waves, duration);
  if (bytes <= kMaxWavesBytes) return std::nullopt;
  const std::uint64_t per_cycle = waves_bytes_per_cycle(waves.depth);
  const Cycle end = waves.end.value_or(duration);
  const std::uint64_t tenths_of_gb = (bytes + 99'999'999) / 100'000'000;  // rounded up
  return "waves.fst could reach about " + std::to_string(tenths_of_gb / 10) + "." +
         std::to_string(tenths_of_gb % 10) + " GB (" + std::to_string(end - waves.start) +
         " cycles traced at waves.depth " + std::to_string(waves.depth) + ", up to " +
         std::to_string(per_cycle) + " bytes per cycle), above the limit of " +
         std::to_string(kMaxWavesBytes / 1'000'000'000) +
         " GB: run with --no-waves (or waves: false), trace a window of at most " +
         std::to_string(kMaxWavesBytes / per_cycle) +
         " cycles (waves: {start: ..., end: ...}), or shorten the run";
}

}  // namespace irqlab::cosim
