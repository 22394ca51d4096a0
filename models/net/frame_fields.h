#pragma once
// Writing a generated frame's fields: 16- and 32-bit values in network byte order (most
// significant byte first) and the IPv4 header checksum. Shared by the UDP and ESP traffic
// generators; the kernel's stack has its own reader (kernel/net/wire.h), so the two sides of
// the path stay independent. Plain C++, callable from any thread or context.
#include <cstddef>
#include <cstdint>

#include "net/ethernet.h"

namespace irqlab::models::net {

inline constexpr unsigned kIpv4HeaderBytes = 20;  // no options

// `value`'s low 16 bits at frame[at], frame[at + 1].
void put_be16(Frame& frame, std::size_t at, unsigned value);
// `value` at frame[at] .. frame[at + 3].
void put_be32(Frame& frame, std::size_t at, std::uint32_t value);
// The header checksum (RFC 791) of the option-less IPv4 header at frame[ip], written into
// its field (bytes 10, 11), which must be 0 before.
void set_ipv4_header_checksum(Frame& frame, std::size_t ip);

}  // namespace irqlab::models::net
