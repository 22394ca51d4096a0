#include "tune/halving.h"

#include <algorithm>
#include <limits>

namespace irqlab::cosim::tune {

std::vector<Rung> halving_plan(std::uint64_t candidates, std::uint64_t seeds) {
  std::vector<Rung> plan;
  std::uint64_t run_before = 0;  // seeds each survivor ran on in the earlier rungs
  for (std::uint64_t n = candidates, s = 1;; n = n / 2 + n % 2, s = std::min(2 * s, seeds)) {
    const std::uint64_t fresh = s - run_before;
    const std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
    plan.push_back({n, s, n > max / fresh ? max : n * fresh});
    run_before = s;
    if (s >= seeds) return plan;
  }
}

std::uint64_t halving_simulations(std::uint64_t candidates, std::uint64_t seeds) {
  std::uint64_t total = 0;
  for (const Rung& r : halving_plan(candidates, seeds))
    total = total > std::numeric_limits<std::uint64_t>::max() - r.simulations
                ? std::numeric_limits<std::uint64_t>::max()
                : total + r.simulations;
  return total;
}

}  // namespace irqlab::cosim::tune
