#pragma once
// The case matrix of a regression: every scenario × personality, sorted by case id.
//
// A scenario's cases are, by default, one per personality of its `kernel.personality`
// (a string or a list). Its `regress:` block changes that (docs/regress.md):
// `regress.personalities` replaces the default list, and each of `regress.variants` adds
// a case with its own -c overrides. A case id is `<file stem>/<personality or variant>`;
// ids are unique across the regression (two scenario files with one stem are an error).
// Each case is loaded as `irqlab run` would load it, so a case that cannot run is bad
// input before anything starts, not a failure found later. A case runs exactly one
// personality: a variant that leaves several is an error.
//
// Shards: shard i/n of the sorted list holds the cases whose index ≡ i-1 (mod n), so the
// n shards partition the matrix and each is fixed by the matrix alone.
//
// Main thread, before the regression runs (after static initialisation: the scenario key
// table reads the personality registry).
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace irqlab::cosim::regress {

struct RegressCase {
  std::string id;                      // "<scenario stem>/<variant>"
  std::filesystem::path scenario;      // the scenario file, as found
  std::string variant;                 // the personality, or the variant's name
  std::vector<std::string> overrides;  // the case's own -c key=value, after the regression's
};

// The cases of one scenario file, in the order it gives them. `overrides`: the
// regression's -c, applied to every case. Throws ConfigError naming file, line and key.
std::vector<RegressCase> scenario_cases(const std::filesystem::path& file,
                                        const std::vector<std::string>& overrides);

// Every case of `files`, sorted by id. Throws ConfigError as scenario_cases does, and for
// two cases with one id (naming both files).
std::vector<RegressCase> case_matrix(const std::vector<std::filesystem::path>& files,
                                     const std::vector<std::string>& overrides);

struct Shard {
  unsigned index = 1;  // 1-based
  unsigned count = 1;
};

// "i/n" with 1 <= i <= n; throws ConfigError quoting the text otherwise.
Shard parse_shard(const std::string& text);

// The cases of `shard`, in the order of `cases`.
std::vector<RegressCase> shard_cases(const std::vector<RegressCase>& cases, Shard shard);

}  // namespace irqlab::cosim::regress
