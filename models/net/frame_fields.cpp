#include "net/frame_fields.h"

namespace irqlab::models::net {

void put_be16(Frame& frame, std::size_t at, unsigned value) {
  frame[at] = static_cast<std::uint8_t>(value >> 8);
  frame[at + 1] = static_cast<std::uint8_t>(value);
}

void put_be32(Frame& frame, std::size_t at, std::uint32_t value) {
  for (unsigned i = 0; i < 4; ++i) frame[at + i] = static_cast<std::uint8_t>(value >> (24 - 8 * i));
}

void set_ipv4_header_checksum(Frame& frame, std::size_t ip) {
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i < kIpv4HeaderBytes; i += 2)
    sum += (std::uint32_t{frame[ip + i]} << 8) | frame[ip + i + 1];
  while (sum > 0xFFFF) sum = (sum & 0xFFFF) + (sum >> 16);
  put_be16(frame, ip + 10, ~sum & 0xFFFF);
}

}  // namespace irqlab::models::net
