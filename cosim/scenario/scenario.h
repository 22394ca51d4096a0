#pragma once
// A scenario: the platform, the kernel's cost profile and tick, the interrupt sources a
// stimulus drives, and how long to run. Format: docs/scenario-format.md.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "bus/router.h"
#include "cost/cost_profile.h"
#include "cpu/instruction_boundaries.h"
#include "expect/expectation.h"
#include "kernel_config.h"
#include "net/traffic.h"
#include "soc_map.h"
#include "stimulus/stimulus.h"
#include "tune/tune_spec.h"
#include "workload/workload.h"

namespace irqlab::cosim {

using kernel::Cycle;

// A source the stimulus drives. Without `deferred` its handler only spends handler
// cycles (kernel::InjectedSource); with it, the handler then asks for deferred work
// through the neutral API (kernel::IrqScript in the workload).
struct InjectedSource {
  kernel::InjectedSource irq;  // PLIC source 16..31 (external line source - 16), priority, cost
  std::string name;
  std::optional<models::LineStimulus> stimulus;
  std::optional<kernel::DeferredScript> deferred;
};

// Waves: on or off, the window of cycles written, and how deep below the co-simulation
// top signals are traced (cosim/rtl/rtl_domain.h, WaveOptions).
struct WaveSettings {
  bool enabled{};
  Cycle start{};
  std::optional<Cycle> end;  // none: the end of the run
  unsigned depth{};
};

// Filled by load_scenario(). A field a scenario may leave out takes its default from the
// key table (scenario/scenario_keys.cpp), the one place defaults are written: the loader
// reads every such field, an absent block as an empty map, so the members here carry none.
struct Scenario {
  std::filesystem::path file;
  std::vector<std::string> overrides;  // -c key=value, as given, in order
  std::string document;                // the YAML after the overrides (results' `resolved`)
  std::string name;
  std::uint64_t seed{};
  Cycle duration_cycles{};
  WaveSettings waves;
  bool timeline{};  // write timeline.json (timeline/timeline_sink.h)

  unsigned harts{};
  std::uint64_t clock_period_ps{};
  models::RouterLatency bus;
  Cycle memory_latency{};
  // Instruction lengths: a busy hart takes an interrupt at the first boundary at or after
  // the cycle its line is high (models/cpu/instruction_boundaries.h).
  models::InstructionLengths instructions;
  bool skip_quiescent{};  // skip RTL cycles in which only free-running counters change

  std::filesystem::path cost_profile_file;
  kernel::CostProfile costs;
  kernel::TickConfig tick;  // timer prescale and step, tick period and priority
  std::vector<unsigned> threshold_floor;  // kernel.threshold_floor, one per hart
  Cycle spinout_cycles{};                 // kernel.spinout_cycles: a spin this long panics
  // Interrupt architectures to run: one, or several compared side by side (run/compare.h).
  // `personality.kind` is the first; its options hold for every run.
  std::vector<std::string> personalities;
  kernel::PersonalityConfig personality;

  std::vector<InjectedSource> sources;
  kernel::Workload workload;  // scripted user processes and kernel threads, and their locks

  // The NIC: its driver's settings (present: the scenario has a nic: block) and the frames
  // offered to its receive MAC (present: a traffic: block; the pcap path resolved against
  // the scenario's directory and its records checked; destination = nic.mac).
  kernel::NicConfig nic;
  models::net::TrafficSpec traffic;
  // The crypto engine's driver and framework (present: a crypto: block) and the ESP
  // receive path (present: an ipsec: block, which needs the nic: and crypto: blocks).
  kernel::CryptoConfig crypto;
  kernel::IpsecConfig ipsec;

  // What its results.json must say (expect/expectation.h); absent without an expect: block.
  std::optional<std::vector<expect::Expectation>> expectations;
  // What `irqlab tune` searches for (present: a tune: block; tune/tune_spec.h).
  std::optional<tune::TuneSpec> tune;
};

// PLIC source IDs and limits of the SoC (rtl/soc/soc.yaml): first external line and the split between
// level- and edge-triggered lines.
inline constexpr unsigned kFirstExternalSource = soc::kFirstExternalSource;
inline constexpr unsigned kLastExternalSource = soc::kLastExternalSource;
// Longest instruction a scenario may model, in cycles.
inline constexpr Cycle kMaxInstructionCycles = 10'000;
// Longest run, in cycles (10^12: 2.8 simulated hours at 100 MHz). Every cycle number and
// amount of work in a scenario is bounded by it too.
inline constexpr Cycle kMaxDurationCycles = 1'000'000'000'000;
// Longest clock period, in ps (100 kHz): a run's end, duration_cycles × clock_period_ps,
// stays below 10^19 ps, inside SystemC's 64-bit time at its 1 ps resolution.
inline constexpr std::uint64_t kMaxClockPeriodPs = 10'000'000;
// Largest value of a cost-profile field, in cycles (one kernel operation; a bound against
// typing errors that also keeps sums of costs far from 64-bit wrap-around).
inline constexpr std::uint64_t kMaxCostCycles = 1'000'000;

// Loads and validates a scenario; `overrides` are key=value assignments applied first.
// Throws ConfigError naming file, line and key.
Scenario load_scenario(const std::filesystem::path& file, const std::vector<std::string>& overrides = {});

// Loads a cost profile: every core field of CostProfile and every cost field a
// registered personality declares, no other key.
kernel::CostProfile load_cost_profile(const std::filesystem::path& file);

}  // namespace irqlab::cosim
