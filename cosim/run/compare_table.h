#pragma once
// The side-by-side table of a comparison (run/compare.h) on stdout: one column per
// personality; first each child's status, then the figures of every run that left
// results ("-" where a run left none). Rows come from the first run with results, and a
// run's figures are matched to them by source name, so a failed first run hides nothing.
// When a run checked expectations, a row says how many of its checks passed.
//
// Main thread of the comparison's parent.
#include <string>
#include <vector>

#include "run/child_outcome.h"

namespace irqlab::cosim {

void print_comparison_table(const std::vector<std::string>& personalities,
                            const std::vector<ChildOutcome>& outcomes);

}  // namespace irqlab::cosim
