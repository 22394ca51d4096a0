#pragma once
// Scaffolding of the scenario loader's block tests (nic_scenario_test,
// crypto_ipsec_scenario_test): scenario files written to the test's scratch directory
// with the default cost profile, the loader's error for a file and overrides, and a table
// of overrides checked each against the error it must give. Test code only; one thread.
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <string>
#include <vector>

#include "config/config_node.h"
#include "scenario/scenario.h"

namespace irqlab::cosim {

inline const std::filesystem::path kDefaultCosts =
    std::filesystem::path(IRQLAB_SOURCE_DIR) / "scenarios/costs/default.yaml";

// The scenario files of one test program, in scratch/<subdirectory>.
class ScenarioFiles {
 public:
  explicit ScenarioFiles(std::string subdirectory) : subdirectory_(std::move(subdirectory)) {}

  std::filesystem::path dir() const {
    std::filesystem::path d = std::filesystem::path(IRQLAB_TEST_SCRATCH) / subdirectory_;
    std::filesystem::create_directories(d);
    return d;
  }
  // A scenario whose line 4 is the first line of `body` (lines 1-3: duration_cycles,
  // kernel: and its cost_profile), so tests can name the lines errors point at.
  std::filesystem::path write(const std::string& name, const std::string& body) const {
    const std::filesystem::path file = dir() / (name + ".yaml");
    std::ofstream(file) << "duration_cycles: 1000\nkernel:\n  cost_profile: "
                        << kDefaultCosts.string() << "\n"
                        << body;
    return file;
  }

 private:
  std::string subdirectory_;
};

// The loader's error message for `file` with `overrides`, or "no error".
inline std::string load_error(const std::filesystem::path& file,
                              const std::vector<std::string>& overrides = {}) {
  try {
    load_scenario(file, overrides);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "no error";
}

inline std::vector<std::string> override_list(const char* one) { return {one}; }
inline std::vector<std::string> override_list(const std::string& one) { return {one}; }
inline std::vector<std::string> override_list(const std::vector<std::string>& many) { return many; }

// Each case of `cases` (pairs of one override or a list of them, and a message) must make
// loading `file` fail with an error containing its message.
template <typename Cases>
void expect_load_errors(const std::filesystem::path& file, const Cases& cases) {
  for (const auto& [overrides, message] : cases) {
    const std::vector<std::string> list = override_list(overrides);
    const std::string error = load_error(file, list);
    EXPECT_NE(error.find(message), std::string::npos) << list.front() << ": " << error;
  }
}

}  // namespace irqlab::cosim
