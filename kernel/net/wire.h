#pragma once
// Header layouts of the receive path's protocols (network byte order on the wire) and
// the helpers that read and write them. Plain functions on bytes; any context.
#include <cstddef>
#include <cstdint>
#include <span>

namespace irqlab::kernel::wire {

// Ethernet II (the NIC strips the FCS).
inline constexpr std::size_t kEtherHeader = 14;
inline constexpr std::size_t kEtherTypeAt = 12;
inline constexpr std::uint16_t kEtherTypeIpv4 = 0x0800;

// IPv4 (RFC 791).
inline constexpr std::size_t kIpMinHeader = 20;
inline constexpr std::size_t kIpTotalLengthAt = 2;
inline constexpr std::size_t kIpProtocolAt = 9;
inline constexpr std::size_t kIpChecksumAt = 10;
inline constexpr std::size_t kIpDestinationAt = 16;
inline constexpr std::uint8_t kProtoUdp = 17;
inline constexpr std::uint8_t kProtoEsp = 50;

// ESP (RFC 4303) with ChaCha20-Poly1305 (RFC 7634): SPI, sequence, 8-byte IV, then the
// ciphertext, then a 16-byte ICV.
inline constexpr std::size_t kEspHeader = 16;  // SPI (4) + sequence (4) + IV (8)
inline constexpr std::size_t kEspAad = 8;      // SPI || sequence
inline constexpr std::size_t kEspIvAt = 8;
inline constexpr std::size_t kEspIv = 8;
inline constexpr std::size_t kEspIcv = 16;
inline constexpr std::size_t kEspTrailer = 2;  // pad length, next header

// UDP (RFC 768).
inline constexpr std::size_t kUdpHeader = 8;
inline constexpr std::size_t kUdpDestinationAt = 2;
inline constexpr std::size_t kUdpLengthAt = 4;

inline std::uint16_t be16(std::span<const std::uint8_t> b, std::size_t at) {
  return static_cast<std::uint16_t>(b[at] << 8 | b[at + 1]);
}
inline std::uint32_t be32(std::span<const std::uint8_t> b, std::size_t at) {
  return std::uint32_t{b[at]} << 24 | std::uint32_t{b[at + 1]} << 16 |
         std::uint32_t{b[at + 2]} << 8 | b[at + 3];
}
inline void put_be16(std::span<std::uint8_t> b, std::size_t at, std::uint16_t v) {
  b[at] = static_cast<std::uint8_t>(v >> 8);
  b[at + 1] = static_cast<std::uint8_t>(v);
}

// The Internet checksum (RFC 1071) of `bytes`: the one's complement of the one's
// complement sum of its 16-bit words. Over a header with a correct checksum field it is 0.
std::uint16_t internet_checksum(std::span<const std::uint8_t> bytes);

}  // namespace irqlab::kernel::wire
