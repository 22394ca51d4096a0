// libFuzzer target: the scenario loader (cosim/scenario, cosim/config) on arbitrary YAML.
//
// Input: the text of a scenario file. It is written into a scratch directory in which
// `costs/` is the repository's scenarios/costs, so the seed scenarios' relative
// `cost_profile: costs/default.yaml` resolves, then loaded with load_scenario().
// Contract checked: load_scenario() returns a scenario or throws ConfigError
// (scenario.h: "Throws ConfigError naming file, line and key"); any other exception, a
// crash or a sanitizer report is a finding.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>

#include "config/config_node.h"
#include "fuzz_scratch.h"
#include "scenario/scenario.h"

namespace {

std::unique_ptr<irqlab::fuzz::FuzzScratch> scratch;

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  scratch = std::make_unique<irqlab::fuzz::FuzzScratch>("scenario");
  std::filesystem::create_directory_symlink(IRQLAB_SOURCE_DIR "/scenarios/costs",
                                            scratch->dir() / "costs");
  std::atexit([] { scratch.reset(); });
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::filesystem::path file = scratch->write("scenario.yaml", data, size);
  try {
    irqlab::cosim::load_scenario(file);
  } catch (const irqlab::cosim::ConfigError&) {
    // A rejected scenario: the documented outcome of a bad input.
  }
  return 0;
}

// The loader's checks reach the SystemC models (stimulus, bus), so libsystemc.so is linked,
// and its main() refers to sc_main. libFuzzer's main() is the program's, so SystemC's never
// runs; should it ever, it is a broken build, not a fuzz result.
int sc_main(int, char*[]) { std::abort(); }
