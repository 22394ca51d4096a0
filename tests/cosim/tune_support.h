#pragma once
// The tune tests' shared steps: a fresh output path, and `irqlab tune` on a scenario with
// the test's RTL variant cache (variants built once per build tree, docs/tune.md).
#include <cstdlib>
#include <filesystem>
#include <string>

#include "cosim/irqlab_process.h"

namespace irqlab::test {

// <scratch>/<test>/<name>, removed if a previous run left it (irqlab tune creates it).
inline std::filesystem::path tune_out(const std::string& test, const std::string& name) {
  const std::filesystem::path dir = std::filesystem::path(IRQLAB_TEST_SCRATCH) / test / name;
  std::filesystem::remove_all(dir);
  return dir;
}

// The RTL variants it builds are test models (IRQLAB_RTL_TEST_MODEL=1: compiled at -O1, since
// nothing here measures their speed; docs/tune.md). Called from a test's main thread.
inline ProcessResult run_tune(const std::string& scenario, const std::filesystem::path& cache,
                              const std::filesystem::path& out, const std::string& more = "") {
  setenv("IRQLAB_RTL_TEST_MODEL", "1", 1);
  return run_irqlab("tune " + scenario + " -j 2 --rtl-cache " + cache.string() + " --out " +
                    out.string() + more);
}

}  // namespace irqlab::test
