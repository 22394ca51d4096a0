#pragma once
// What a candidate's run measured and how it stands against the tune block: each
// deadline's metric and slack (max − measured, cycles), the drops, the cost, feasibility.
//
// Objective (docs/tune.md): feasible candidates first; then the larger worst slack (the
// smallest slack over the deadlines); then fewer drops; then the lower cost, the
// interrupts the harts took (Σ cpus[].interrupts: each is a trap's entry and exit); then
// the earlier candidate. A deadline whose metric has no sample (the source was never
// served) is missed.
//
// Any thread; pure functions.
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "tune/tune_spec.h"

namespace irqlab::cosim::tune {

// Slack of a run that failed or a deadline with no sample.
inline constexpr std::int64_t kMissed = std::numeric_limits<std::int64_t>::min();
// A slack as the reports print it: its cycles, or "missed".
std::string slack_text(std::int64_t slack);

struct Measurement {
  bool ran = false;                                    // results.json was read
  std::string error;                                   // why not, or the run's error
  std::vector<std::optional<std::uint64_t>> measured;  // per deadline; none: no sample
  std::uint64_t drops = 0;
  std::uint64_t cost = 0;
  std::size_t seeds = 1;  // the runs (one per seed) it is the worst of (worst_of)
};

struct Verdict {
  bool feasible = false;
  std::int64_t worst_slack = kMissed;
  std::optional<std::size_t> binding;  // the deadline with the worst slack
  std::vector<std::int64_t> slack;     // per deadline (kMissed: no sample)
};

// Reads a candidate's results.json. Throws nlohmann::json::exception on a malformed file.
Measurement measure(const nlohmann::json& results, const TuneSpec& spec);
// A candidate's runs on several seeds judged as its worst seed: per deadline the largest
// measured value (none if any seed had no sample), the most drops, the highest cost; a run
// that failed makes the whole a failure (the first one's error). `per_seed` not empty.
Measurement worst_of(const std::vector<Measurement>& per_seed);
Verdict judge(const Measurement& m, const TuneSpec& spec);
// True when a ranks before b: the one judged on more seeds first (successive halving's
// survivors; otherwise every candidate has as many), then the objective above; indices
// break ties.
bool ranks_before(const Verdict& a, const Measurement& ma, std::size_t ia, const Verdict& b,
                  const Measurement& mb, std::size_t ib);

}  // namespace irqlab::cosim::tune
