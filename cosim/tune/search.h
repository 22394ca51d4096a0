#pragma once
// How the tuner walks the space (docs/tune.md, "Search").
//
// - Exhaustive when the space has at most tune.exhaustive_limit candidates: every one, in
//   mixed-radix order (the first parameter's value changes slowest), as one batch.
// - Otherwise a local search with at most tune.budget simulations: it starts from the
//   deadline-monotonic assignment (deadline_monotonic_start) and does coordinate descent:
//   for each free parameter in turn, every other value of it with the rest fixed, as one
//   batch; the best candidate (evaluation.h's order) becomes the point; passes repeat
//   until one changes nothing or the budget is spent. A candidate is simulated once.
//
// Main thread; `evaluate` runs the simulations (candidate_runner.h in the command, a model
// in tests).
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "tune/candidate.h"
#include "tune/evaluation.h"

namespace irqlab::cosim {
struct Scenario;
}

namespace irqlab::cosim::tune {

struct Evaluated {
  std::size_t index = 0;  // order of evaluation: the candidate's number
  Candidate candidate;
  Measurement measurement;
  Verdict verdict;
};

// Runs `batch` (candidates numbered first_index, first_index + 1, ...) and returns one
// measurement per candidate, in order.
using EvaluateBatch = std::function<std::vector<Measurement>(const std::vector<Candidate>& batch,
                                                             std::size_t first_index)>;

struct SearchOutcome {
  std::string method;                // "exhaustive" or "coordinate descent"
  std::vector<Evaluated> evaluated;  // in evaluation order
  std::size_t best = 0;              // position in `evaluated` of the best candidate
  bool budget_spent = false;         // the local search stopped at its budget
};

// Deadline-monotonic priorities: the priority parameters of the sources with deadlines get
// the highest values of their lists in order of deadline (the tightest highest; equal
// deadlines equal rank), a priority parameter of a source without one its lowest value;
// every other parameter the scenario's own value when listed, else its first value.
Candidate deadline_monotonic_start(const TuneSpec& spec, const Scenario& s);

SearchOutcome search(const TuneSpec& spec, const Scenario& s, const EvaluateBatch& evaluate);

}  // namespace irqlab::cosim::tune
