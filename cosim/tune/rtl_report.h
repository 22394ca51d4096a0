#pragma once
// What `irqlab tune` adds to its outputs when the space has RTL parameters (docs/tune.md,
// "RTL parameters"): each candidate's RTL configuration in tune.json (`rtl: {params,
// hash, area, depth}`), the configurations themselves (cache, build and Yosys times,
// each one's best candidate), and the Pareto table: area and logic depth against the
// worst slack of each configuration's best candidate.
//
// Any thread; pure functions.
#include <cstddef>
#include <string>
#include <vector>

#include "tune/rtl_variant_cache.h"
#include "tune/search.h"

namespace irqlab::cosim::tune {

// The storage an RTL configuration costs: flop bits plus memory bits (Yosys).
std::uint64_t area_bits(const RtlVariant& v);

// True when configuration a's best candidate is dominated: another configuration is no
// larger (area bits), no deeper and its best candidate no worse (feasibility, then worst
// slack), and better in one of them. `best[k]`: the best evaluated candidate of variant k.
std::vector<bool> pareto_optimal(const std::vector<RtlVariant>& variants,
                                 const std::vector<const Evaluated*>& best);

// tune.json (tune_report.h's document) with the RTL facts added. `variant_of[i]`: the
// variant that ran outcome.evaluated[i].
std::string with_rtl(const std::string& tune_json, const SearchOutcome& outcome,
                     const std::vector<std::size_t>& variant_of,
                     const std::vector<RtlVariant>& variants, const std::string& cache_dir);

// One row per configuration: parameters, area, depth, best candidate, its worst slack,
// feasible, Pareto-optimal.
std::string pareto_table(const SearchOutcome& outcome, const std::vector<std::size_t>& variant_of,
                         const std::vector<RtlVariant>& variants);

}  // namespace irqlab::cosim::tune
