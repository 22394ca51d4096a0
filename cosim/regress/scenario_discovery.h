#pragma once
// Which scenario files a regression runs: `irqlab regress PATHS...`. A file is taken as
// given; a directory is searched recursively for *.yaml, except directories named
// `costs`, which hold cost profiles (docs/scenario-format.md). Every file found must load
// as a scenario (the case matrix checks that); nothing is skipped silently.
//
// Main thread, before the regression runs.
#include <filesystem>
#include <vector>

namespace irqlab::cosim::regress {

// The name of the directories the search skips.
inline constexpr const char* kCostProfileDirectory = "costs";

// The scenario files under `paths`, sorted by path and each once. Throws ConfigError for
// a path that does not exist or is neither a file nor a directory, and when no file is
// found at all.
std::vector<std::filesystem::path> discover_scenarios(
    const std::vector<std::filesystem::path>& paths);

}  // namespace irqlab::cosim::regress
