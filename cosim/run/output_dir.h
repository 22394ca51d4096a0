#pragma once
// An output directory reused from an earlier run: before a run writes anything, it removes
// what irqlab wrote there before (the names in output/run_outputs.h, and the temporary
// files an interrupted write of one of them left), so no stale output survives next to new
// ones. Anything else in the directory is the user's and stays.
//
// Main thread, before the run's outputs are opened.
#include <filesystem>

namespace irqlab::cosim {

// Creates `dir` if needed and removes irqlab's outputs from it; throws
// std::filesystem::filesystem_error when one cannot be removed.
void clear_run_outputs(const std::filesystem::path& dir);

// Clears `dir` as above and removes it when nothing else is left in it; a missing `dir`
// is fine. For directories a comparison's parent owns (one per personality).
void remove_run_directory(const std::filesystem::path& dir);

}  // namespace irqlab::cosim
