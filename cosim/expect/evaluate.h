#pragma once
// Checking a run's results document against its scenario's expectations, and the
// `expectations` section of results.json (docs/results-schema.md). Pure functions; called
// by the results sink at the end of a run that completed (results/results_sink.cpp), and
// by anything else holding a results document.
#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "expect/expectation.h"

namespace irqlab::cosim::expect {

struct Verdict {
  // {"passed", "failed", "checks": [{metric, op, expected, measured, passed, file, line,
  // message}]}; the expectations of other personalities are left out.
  nlohmann::ordered_json section;
  std::size_t passed = 0;
  std::size_t failed = 0;
  // Each failed check's message (file:line, metric, expected, measured), in order.
  std::vector<std::string> failures;
};

// Checks `results` (a run's results document) for a run under `personality`.
Verdict evaluate_expectations(const std::vector<Expectation>& expectations,
                              std::string_view personality, const nlohmann::ordered_json& results);

// A value as JSON: a number, a boolean or a string.
nlohmann::ordered_json value_json(const ExpectedValue& value);

}  // namespace irqlab::cosim::expect
