#pragma once
// Successive halving over seeds (docs/tune.md, "Search"): the plan of a search over a
// space too large to run every candidate on every seed. Rung 0 runs every candidate on one
// seed; each next rung keeps the better half (rounded up) by the objective on the seeds
// run so far and doubles the seeds each survivor is judged on, up to tune.seeds, so rung r
// holds n_r = ceil(n_(r-1) / 2) candidates on s_r = min(2^r, S) seeds and runs each
// survivor only on its s_r - s_(r-1) new seeds. The last rung is the first with S seeds;
// its best candidate (its worst seed) wins.
//
// Any thread; pure functions.
#include <cstdint>
#include <vector>

namespace irqlab::cosim::tune {

struct Rung {
  std::uint64_t candidates = 0;   // n_r
  std::uint64_t seeds = 0;        // s_r: each survivor is judged on seeds 0 .. s_r - 1
  std::uint64_t simulations = 0;  // n_r * (s_r - s_(r-1)), s_(-1) = 0
};

// The rungs for `candidates` (at least 1) and `seeds` (at least 1) seeds.
std::vector<Rung> halving_plan(std::uint64_t candidates, std::uint64_t seeds);
// Σ of the plan's simulations (saturating at UINT64_MAX).
std::uint64_t halving_simulations(std::uint64_t candidates, std::uint64_t seeds);

}  // namespace irqlab::cosim::tune
