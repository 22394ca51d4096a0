#pragma once
// The `tune:` block of a scenario (docs/tune.md): the deadlines a configuration must meet,
// whether drops are allowed, the search space (tunable keys, tunable_keys.h, each with a
// list of values or an inclusive range) and the search's limits. read_tune checks it
// against the rest of the scenario (the sources a deadline names, the harts a cpus value
// lists), so a bad block is refused with file, line and key before anything runs.
//
// Called by the scenario loader (scenario/scenario.cpp) on the main thread.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "config/config_node.h"
#include "tune/rtl_space.h"
#include "tune/tunable_keys.h"

namespace irqlab::cosim {
struct Scenario;
}

namespace irqlab::cosim::tune {

// A deadline: results.json's `metric` (a latency summary's statistic, in cycles) must be
// at most `max_cycles`.
struct Deadline {
  std::string metric;  // sources.<name>.latency.<stat>, ..., as written
  std::uint64_t max_cycles = 0;
  std::string where;  // "file:line" of the deadline, for messages
};

// One dimension of the space.
struct Parameter {
  std::string key;         // as written: sources[fast].priority, nic.itr
  std::string table_path;  // its key in the key table: sources[].priority
  TunableKind kind = TunableKind::Priority;
  std::optional<std::size_t> source_index;  // sources[<name>]: the element's index
  std::string field;                        // and its field (priority, cpus)
  std::vector<std::string> values;          // each value as YAML text ("3", "[0, 1]")
  std::vector<std::uint64_t> numbers;       // the same values as numbers (not for cpus)
  std::string where;                        // "file:line" of the space's entry, for messages
};

struct TuneSpec {
  std::string personality;  // the one personality every candidate runs
  std::vector<Deadline> deadlines;
  bool no_drops = false;
  std::vector<Parameter> space;        // the software space: register values firmware writes
  std::vector<RtlParameter> rtl;       // RTL parameters (rtl_space.h): the search's outer loop
  std::uint64_t budget = 0;            // simulations the local search may spend
  std::uint64_t exhaustive_limit = 0;  // spaces of at most this many candidates: all of them
  bool halving = false;                // a larger space: successive halving, not descent
  std::uint64_t seeds = 1;             // a candidate is judged on its worst of this many seeds
};

// Statistics a deadline may bound, by metric family (results.json's summaries).
inline constexpr const char* kSourceStatistics[] = {"min", "mean",  "p50", "p90",
                                                    "p99", "p99_9", "max"};
inline constexpr const char* kPacketStatistics[] = {"min", "mean", "p50", "p99", "max"};
inline constexpr const char* kNicStatistics[] = {"mean", "p50", "p99", "max"};

// Reads and checks `node` (the scenario's tune: block) against the loaded scenario `s`.
// Throws ConfigError naming file, line and key.
TuneSpec read_tune(const ConfigNode& node, const Scenario& s);

// The number of candidates of the space (saturates at UINT64_MAX).
std::uint64_t space_size(const TuneSpec& spec);

// True for the kinds whose values are PLIC priorities or thresholds, whose range is the
// PLIC's: 0 or 1 .. 2^priority_bits - 1 of the RTL configuration a candidate runs on.
bool holds_plic_level(TunableKind kind);
// The largest priority (and threshold) the PLIC of configuration `c` holds: 2^bits - 1 with
// its rtl.plic.priority_bits, else the running binary's own PLIC's.
std::uint64_t plic_max_priority(const RtlConfiguration& c);

}  // namespace irqlab::cosim::tune
