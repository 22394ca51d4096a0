#pragma once
// How the tuner walks the space (docs/tune.md, "Search").
//
// - Exhaustive when the space has at most tune.exhaustive_limit candidates: every one, in
//   mixed-radix order (the first parameter's value changes slowest), as one batch.
// - Otherwise a local search with at most tune.budget simulations: it starts from the
//   deadline-monotonic assignment (deadline_monotonic_start) and does coordinate descent:
//   for each free parameter in turn, every other value of it with the rest fixed, as one
//   batch; the best candidate (evaluation.h's order) becomes the point; passes repeat
//   until one changes nothing or the budget is spent. A candidate is simulated once per
//   seed.
// - Or, with tune.search: halving, successive halving over seeds (halving.h) on the whole
//   space, its plan checked against the budget when the scenario loads.
// Every candidate of the first two is judged on tune.seeds seeds (its worst seed,
// evaluation.h's worst_of); seed offset k runs the scenario with seed + k.
//
// Main thread; `evaluate` runs the simulations (candidate_runner.h in the command, a model
// in tests).
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "tune/candidate.h"
#include "tune/evaluation.h"
#include "tune/halving.h"

namespace irqlab::cosim {
struct Scenario;
}

namespace irqlab::cosim::tune {

struct Evaluated {
  std::size_t index = 0;  // order of evaluation: the candidate's number
  Candidate candidate;
  Measurement measurement;            // worst_of(per_seed)
  Verdict verdict;                    // of measurement
  std::vector<Measurement> per_seed;  // by seed offset 0, 1, ...
};

// One simulation: candidate number `index` on the scenario's seed + `seed`.
struct Trial {
  std::size_t index = 0;
  Candidate candidate;
  std::uint64_t seed = 0;
};

// Runs `batch` and returns one measurement per trial, in order.
using EvaluateBatch = std::function<std::vector<Measurement>(const std::vector<Trial>& batch)>;

struct SearchOutcome {
  std::string method;                // "exhaustive", "coordinate descent" or "successive halving"
  std::vector<Evaluated> evaluated;  // in evaluation order
  std::size_t best = 0;              // position in `evaluated` of the best candidate
  bool budget_spent = false;         // the local search stopped at its budget
  std::size_t simulations = 0;       // trials run (the winner's re-run not included)
  std::vector<Rung> rungs;           // successive halving's, as run
};

// Deadline-monotonic priorities: the priority parameters of the sources with deadlines get
// the highest values of their lists in order of deadline (the tightest highest; equal
// deadlines equal rank), a priority parameter of a source without one its lowest value;
// every other parameter the scenario's own value when listed, else its first value.
Candidate deadline_monotonic_start(const TuneSpec& spec, const Scenario& s);

SearchOutcome search(const TuneSpec& spec, const Scenario& s, const EvaluateBatch& evaluate);

}  // namespace irqlab::cosim::tune
