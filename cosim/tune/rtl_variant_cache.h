#pragma once
// The Verilated models of the RTL configurations a tune runs (docs/tune.md, "RTL
// parameters"), built once and kept in a cache directory: `<cache>/<hash>/`, the hash
// (FNV-1a, 64 bits) of the configuration's parameters and of the running irqlab binary,
// whose build's archives the variant links (a rebuilt irqlab gets fresh variants).
// tools/rtl_variant.py does the work: socgen with the varied description, a variant build
// tree (cmake/IrqlabRtlVariant.cmake: Verilate, compile the model and its seam, link),
// Yosys's area and depth; it writes `variant.json` last, so a directory without it is an
// unfinished build and is built again. The configuration the running binary was built
// with runs on that binary; only its area and depth are computed (and cached).
//
// The cache directory: --rtl-cache, else $IRQLAB_RTL_CACHE, else $XDG_CACHE_HOME/irqlab/rtl,
// else ~/.cache/irqlab/rtl, else <build dir>/rtl-variants. Under Slurm it must be on the
// shared filesystem, like the binary.
//
// $IRQLAB_RTL_TEST_MODEL=1 (set by the tune tests' ctest entries only) builds each variant as
// a test model: compiled at -O1 instead of the build type's level, whose speed nothing
// there measures (about a third less compile). It is part of the hash, so a test model and
// an optimised one of the same configuration never share a directory.
//
// Main thread of the tune command.
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "tune/rtl_space.h"

namespace irqlab::cosim::tune {

struct RtlVariant {
  RtlConfiguration configuration;
  std::string hash;              // 16 hex digits
  std::filesystem::path dir;     // <cache>/<hash>
  std::filesystem::path binary;  // the irqlab its candidates run
  nlohmann::json area;           // {cells, flop_bits, memory_bits}
  std::uint64_t depth = 0;       // longest path without flops, in cells
  bool built_now = false;        // this call ran tools/rtl_variant.py
  double build_seconds = 0;      // the model's build (0 for the running binary's)
  double yosys_seconds = 0;
};

std::filesystem::path default_rtl_cache_dir();

class RtlVariantCache {
 public:
  // `self`: the running irqlab; `jobs`: parallel compile jobs of a build.
  RtlVariantCache(std::filesystem::path dir, std::filesystem::path self, unsigned jobs);

  // The variant of `c`, built (with progress on stderr) when the cache does not hold it.
  // Throws std::runtime_error naming the build's log when the build fails.
  RtlVariant get(const RtlConfiguration& c);

  const std::filesystem::path& dir() const { return dir_; }

 private:
  std::filesystem::path dir_;
  std::filesystem::path self_;
  std::uint64_t self_hash_;
  bool test_models_;
  unsigned jobs_;
};

}  // namespace irqlab::cosim::tune
