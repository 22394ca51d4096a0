#include "output/atomic_file.h"

#include <stdexcept>
#include <system_error>
#include <unistd.h>

namespace irqlab::cosim {

AtomicFile::AtomicFile(std::filesystem::path path)
    : path_(std::move(path)),
      temporary_(path_.parent_path() /
                 ("." + path_.filename().string() + ".tmp-" + std::to_string(::getpid()))),
      out_(temporary_, std::ios::binary | std::ios::trunc) {
  if (!out_) throw std::runtime_error("cannot write " + temporary_.string());
}

AtomicFile::~AtomicFile() {
  if (committed_) return;
  out_.close();
  std::error_code ignored;
  std::filesystem::remove(temporary_, ignored);
}

void AtomicFile::commit() {
  out_.close();
  if (!out_) throw std::runtime_error("cannot write " + path_.string());
  std::error_code error;
  std::filesystem::rename(temporary_, path_, error);
  if (error) throw std::runtime_error("cannot write " + path_.string() + ": " + error.message());
  committed_ = true;
}

void write_file_atomically(const std::filesystem::path& path, std::string_view content) {
  AtomicFile file(path);
  file.stream().write(content.data(), static_cast<std::streamsize>(content.size()));
  file.commit();
}

}  // namespace irqlab::cosim
