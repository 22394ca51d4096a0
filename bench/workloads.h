#pragma once
// The bench's workloads: each a scenario file plus overrides, run by every harness for
// the measured number of cycles on the same stimulus.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "line_schedule.h"

namespace irqlab::bench {

struct Workload {
  std::string name;
  std::string summary;
  std::filesystem::path scenario;
  std::vector<std::string> overrides;  // -c key=value on top of the file
};

// busy, default, sparse, idle, nic, nic-sparse; scenarios are found under the source tree.
std::vector<Workload> all_workloads(const std::filesystem::path& source_dir);

// The overrides that run `workload` for `cycles` cycles: its own, the duration, and its
// sources with their stimulus stretched from the file's duration_cycles to `cycles`:
// periodic and random pulse counts scaled by the ratio, `at` pulses repeated every
// duration_cycles. Rates stay those of the file; NIC traffic (traffic:) is a rate already
// and runs for the whole length, so it needs no stretching.
std::vector<std::string> run_overrides(const Workload& workload, std::uint64_t cycles);

struct Stimulus {
  LineSchedule schedule;
  std::size_t pulses = 0;
};

// The pulses irqlab's stimulus model generates for the scenario under `overrides` (same
// lines, same cycles, same seed), before cycle `cycles`.
Stimulus scenario_stimulus(const Workload& workload, const std::vector<std::string>& overrides,
                           std::uint64_t cycles);

}  // namespace irqlab::bench
