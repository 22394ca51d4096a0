#pragma once
// A scratch directory of the fuzzers' own, for the parsers that read a file: the fuzz
// input is written there, then read back through the project's loader. One per process
// (named after the pid, removed at exit); called from the fuzzer's single thread only.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

namespace irqlab::fuzz {

class FuzzScratch {
 public:
  explicit FuzzScratch(const std::string& name)
      : dir_(std::filesystem::temp_directory_path() /
             ("irqlab-fuzz-" + name + "-" + std::to_string(::getpid()))) {
    std::filesystem::create_directories(dir_);
  }
  ~FuzzScratch() {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  FuzzScratch(const FuzzScratch&) = delete;
  FuzzScratch& operator=(const FuzzScratch&) = delete;

  const std::filesystem::path& dir() const { return dir_; }

  // Writes `data` to `name` in the directory (replacing it) and returns its path.
  std::filesystem::path write(const std::string& name, const std::uint8_t* data,
                              std::size_t size) const {
    const std::filesystem::path file = dir_ / name;
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    out.close();
    if (!out) std::abort();  // the fuzzer's own set-up failed: nothing was tested
    return file;
  }

 private:
  std::filesystem::path dir_;
};

}  // namespace irqlab::fuzz
