#include "net/ethernet.h"

#include <algorithm>
#include <climits>
#include <zlib.h>

namespace irqlab::models::net {

MacAddress mac_from_register_order(std::uint64_t mac) {
  MacAddress bytes{};
  for (std::size_t i = 0; i < bytes.size(); ++i)
    bytes[i] = static_cast<std::uint8_t>(mac >> (8 * i));
  return bytes;
}

std::uint32_t ethernet_crc32(std::span<const std::uint8_t> bytes) {
  // zlib's crc32 is this CRC (same polynomial, reflection and XORs); fed in pieces below
  // its uInt length limit.
  uLong crc = crc32(0L, Z_NULL, 0);
  std::span<const std::uint8_t> rest = bytes;
  while (!rest.empty()) {
    const std::size_t n = std::min<std::size_t>(rest.size(), UINT_MAX);
    crc = crc32(crc, rest.data(), static_cast<uInt>(n));
    rest = rest.subspan(n);
  }
  return static_cast<std::uint32_t>(crc);
}

Frame with_fcs(std::span<const std::uint8_t> frame) {
  Frame wire(frame.begin(), frame.end());
  const std::uint32_t fcs = ethernet_crc32(frame);
  for (unsigned i = 0; i < kFcsBytes; ++i)
    wire.push_back(static_cast<std::uint8_t>(fcs >> (8 * i)));
  return wire;
}

bool fcs_matches(std::span<const std::uint8_t> wire_frame) {
  if (wire_frame.size() < kFcsBytes) return false;
  const std::size_t body = wire_frame.size() - kFcsBytes;
  std::uint32_t sent = 0;
  for (unsigned i = 0; i < kFcsBytes; ++i) sent |= std::uint32_t{wire_frame[body + i]} << (8 * i);
  return sent == ethernet_crc32(wire_frame.first(body));
}

MacBeat beat_of(std::span<const std::uint8_t> wire_frame, std::size_t index) {
  MacBeat beat;
  beat.valid = true;
  const std::size_t first = index * kBeatBytes;
  const std::size_t count = std::min<std::size_t>(kBeatBytes, wire_frame.size() - first);
  for (std::size_t i = 0; i < count; ++i) {
    beat.data |= std::uint32_t{wire_frame[first + i]} << (8 * i);
    beat.keep = static_cast<std::uint8_t>(beat.keep | (1u << i));
  }
  beat.last = first + count == wire_frame.size();
  return beat;
}

}  // namespace irqlab::models::net
