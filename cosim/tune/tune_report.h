#pragma once
// What `irqlab tune` writes: tune.json (schema irqlab.tune/1, docs/tune.md: every
// candidate with its values, metrics, slacks, drops, cost, feasibility and rank; the
// winner and its verification) and the ranked table it prints.
//
// Any thread; pure functions.
#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "tune/search.h"

namespace irqlab::cosim::tune {

struct TuneRunFacts {
  std::filesystem::path scenario;
  std::string document;  // the scenario after the tune command's overrides
  std::uint64_t space_size = 0;
  std::size_t simulations = 0;  // the search's, the winner's re-run included
  double wall_seconds = 0;
  std::function<std::string(std::size_t)> case_id;  // a candidate's case id
  Measurement rerun;                                // the winner's re-run
  bool verified = false;                            // the re-run measured what the search did
};

// The candidates in rank order (positions in outcome.evaluated).
std::vector<std::size_t> ranking(const SearchOutcome& outcome);

std::string tune_json(const TuneSpec& spec, const SearchOutcome& outcome,
                      const TuneRunFacts& facts);

// The `rows` best candidates, one line each, and the winner's verdict.
std::string ranked_table(const TuneSpec& spec, const SearchOutcome& outcome, std::size_t rows);

// "sources.a.latency.p99 <= 800 (measured 950, slack -150) at s.yaml:12", the binding
// deadline of a verdict.
std::string binding_text(const TuneSpec& spec, const Evaluated& e);

}  // namespace irqlab::cosim::tune
