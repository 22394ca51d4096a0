#pragma once
// An output file that appears whole or not at all: written under a temporary name in
// the same directory and renamed over the final name by commit(). A reader (a user, the
// parent of a comparison, `irqlab report`) never sees a half-written file, and a run
// that stops mid-write leaves the previous complete file or none.
//
// Called from the simulation thread only (runs write their outputs at the end).
#include <filesystem>
#include <fstream>
#include <string_view>

namespace irqlab::cosim {

class AtomicFile {
 public:
  explicit AtomicFile(std::filesystem::path path);
  ~AtomicFile();  // removes the temporary file unless committed
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  std::ostream& stream() { return out_; }
  // Flushes, closes and renames into place; throws std::runtime_error naming the file
  // when anything failed.
  void commit();

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  std::filesystem::path temporary_;
  std::ofstream out_;
  bool committed_ = false;
};

// Writes `content` to `path` through an AtomicFile.
void write_file_atomically(const std::filesystem::path& path, std::string_view content);

}  // namespace irqlab::cosim
