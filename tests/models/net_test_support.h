#pragma once
// Helpers shared by the net tests: an independent bitwise CRC-32, frames from a list, and
// the scratch directory.
#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

#include "net/traffic.h"

namespace irqlab::models::net::test {

// CRC-32 as IEEE 802.3 defines it, one bit at a time (reflected 0xEDB88320, init and final
// XOR all ones): the reference the table-driven code is checked against.
inline std::uint32_t bitwise_crc32(std::span<const std::uint8_t> bytes) {
  std::uint32_t crc = 0xFFFFFFFFu;
  for (std::uint8_t byte : bytes) {
    crc ^= byte;
    for (int bit = 0; bit < 8; ++bit) crc = (crc & 1u) ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
  }
  return ~crc;
}

// Hands out a fixed list of frames.
class ListedTraffic : public TrafficSource {
 public:
  explicit ListedTraffic(std::vector<TimedFrame> frames) : frames_(std::move(frames)) {}
  std::optional<TimedFrame> next() override {
    if (next_ == frames_.size()) return std::nullopt;
    return frames_[next_++];
  }

 private:
  std::vector<TimedFrame> frames_;
  std::size_t next_ = 0;
};

inline std::filesystem::path scratch(const std::string& name) {
  const std::filesystem::path dir = std::filesystem::path(IRQLAB_TEST_SCRATCH) / "net";
  std::filesystem::create_directories(dir);
  return dir / name;
}

// A frame of `size` bytes whose byte i is (i * 7 + salt) mod 256.
inline Frame pattern_frame(std::size_t size, unsigned salt = 0) {
  Frame f(size);
  for (std::size_t i = 0; i < size; ++i) f[i] = static_cast<std::uint8_t>(i * 7 + salt);
  return f;
}

}  // namespace irqlab::models::net::test
