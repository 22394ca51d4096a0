#include "tune/rtl_variant_cache.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <string_view>

#include "run/child_process.h"

namespace irqlab::cosim::tune {

namespace {

constexpr std::uint64_t kFnvOffset = 0xcbf29ce484222325ULL;
constexpr std::uint64_t kFnvPrime = 0x100000001b3ULL;

std::uint64_t fnv1a(std::uint64_t h, const char* data, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    h ^= static_cast<unsigned char>(data[i]);
    h *= kFnvPrime;
  }
  return h;
}

std::uint64_t file_hash(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + file.string());
  std::uint64_t h = kFnvOffset;
  std::vector<char> block(1 << 20);
  while (in) {
    in.read(block.data(), static_cast<std::streamsize>(block.size()));
    h = fnv1a(h, block.data(), static_cast<std::size_t>(in.gcount()));
  }
  return h;
}

std::string hex16(std::uint64_t v) {
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(v));
  return text;
}

std::optional<nlohmann::json> read_variant(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) return std::nullopt;
  nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
  if (!j.is_object()) return std::nullopt;
  return j;
}

// Whether variants are built as test models ($IRQLAB_RTL_TEST_MODEL=1).
bool test_models_requested() {
  const char* value = std::getenv("IRQLAB_RTL_TEST_MODEL");
  return value && std::string_view(value) == "1";
}

}  // namespace

std::filesystem::path default_rtl_cache_dir() {
  if (const char* dir = std::getenv("IRQLAB_RTL_CACHE"); dir && *dir) return dir;
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg)
    return std::filesystem::path(xdg) / "irqlab" / "rtl";
  if (const char* home = std::getenv("HOME"); home && *home)
    return std::filesystem::path(home) / ".cache" / "irqlab" / "rtl";
  return std::filesystem::path(IRQLAB_BUILD_DIR) / "rtl-variants";
}

RtlVariantCache::RtlVariantCache(std::filesystem::path dir, std::filesystem::path self,
                                 unsigned jobs)
    : dir_(std::move(dir)),
      self_(std::move(self)),
      self_hash_(file_hash(self_)),
      test_models_(test_models_requested()),
      jobs_(jobs) {}

RtlVariant RtlVariantCache::get(const RtlConfiguration& c) {
  const bool built_in = is_built_configuration(c);
  const std::string params = configuration_json(c);
  RtlVariant v;
  v.configuration = c;
  std::uint64_t hash = fnv1a(self_hash_, params.data(), params.size());
  if (test_models_) {
    constexpr std::string_view kTestModel = "test model";
    hash = fnv1a(hash, kTestModel.data(), kTestModel.size());
  }
  v.hash = hex16(hash);
  v.dir = dir_ / v.hash;
  const std::filesystem::path record = v.dir / "variant.json";
  std::optional<nlohmann::json> j = read_variant(record);
  if (!j) {
    std::fprintf(stderr, "tune: building RTL configuration %s (%s) in %s\n",
                 describe_configuration(c).c_str(), built_in ? "area and depth" : "model",
                 v.dir.string().c_str());
    std::filesystem::create_directories(v.dir);
    std::vector<std::string> argv{IRQLAB_PYTHON,  IRQLAB_SOURCE_DIR "/tools/rtl_variant.py",
                                  "--params",     params,
                                  "--dir",        v.dir.string(),
                                  "--main-build", IRQLAB_BUILD_DIR,
                                  "--jobs",       std::to_string(jobs_)};
    if (built_in) argv.emplace_back("--no-model");
    if (test_models_) argv.emplace_back("--test-model");
    const ChildExit exit = run_child(argv);
    j = read_variant(record);
    if (!exit.exit_status || *exit.exit_status != 0 || !j)
      throw std::runtime_error("the RTL configuration " + describe_configuration(c) +
                               " did not build (logs: " + (v.dir / "build.log").string() + ", " +
                               (v.dir / "area.log").string() + ")");
    v.built_now = true;
  }
  try {
    v.binary = built_in ? self_ : std::filesystem::path(j->at("binary").get<std::string>());
    v.area = j->at("area");
    v.depth = j->at("depth").get<std::uint64_t>();
    v.build_seconds = j->at("build_seconds").get<double>();
    v.yosys_seconds = j->at("yosys_seconds").get<double>();
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(record.string() + ": " + e.what() + " (remove the directory)");
  }
  return v;
}

}  // namespace irqlab::cosim::tune
