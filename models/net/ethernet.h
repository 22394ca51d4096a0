#pragma once
// Ethernet frames as the MAC sees them (IEEE 802.3 clause 3/4): the sizes and wire
// overheads the traffic and the wire model share, the frame check sequence, and the
// 32-bit beat format of the NIC's MAC streams (docs/rtl.md, NIC: frame byte 4k+i in
// bits 8i+7:8i of beat k; keep = valid bytes, contiguous from byte 0, only < 0xF on the
// last beat).
//
// A "frame" here is the bytes from the destination address to the end of the payload
// (padding included), without the FCS, as pcap files and the kernel hold it; the "wire
// frame" is that plus its 4-byte FCS. Plain C++, callable from any thread or context.
#include <array>
#include <cstdint>
#include <span>
#include <vector>

namespace irqlab::models::net {

// Cycles of the one clock (the type of kernel::Cycle; this library needs no kernel header).
using Cycle = std::uint64_t;
using Frame = std::vector<std::uint8_t>;
using MacAddress = std::array<std::uint8_t, 6>;

inline constexpr unsigned kPreambleBytes = 8;  // 7 preamble bytes and the start-of-frame delimiter
inline constexpr unsigned kIfgBytes = 12;      // minimum inter-frame gap
inline constexpr unsigned kFcsBytes = 4;
inline constexpr unsigned kMinFrameBytes = 60;    // without FCS (64 on the wire)
inline constexpr unsigned kMaxFrameBytes = 1514;  // without FCS (1518 on the wire), no VLAN tag
inline constexpr unsigned kBeatBytes = 4;

// The station address of NicConfig::mac (byte 0 in bits 7:0) as the six bytes on the wire.
MacAddress mac_from_register_order(std::uint64_t mac);

// The Ethernet CRC-32 (reflected polynomial 0xEDB88320, initial and final XOR all ones)
// of `bytes`; the FCS of a frame is this value of the frame, sent least significant byte
// first.
std::uint32_t ethernet_crc32(std::span<const std::uint8_t> bytes);

// `frame` followed by its FCS.
Frame with_fcs(std::span<const std::uint8_t> frame);
// True when the last four bytes of `wire_frame` are the FCS of the bytes before them.
bool fcs_matches(std::span<const std::uint8_t> wire_frame);

// One cycle of a MAC stream's pins.
struct MacBeat {
  bool valid = false;
  std::uint32_t data = 0;
  std::uint8_t keep = 0;  // bit i: byte i of `data` is part of the frame
  bool last = false;
  bool operator==(const MacBeat&) const = default;
};

// Beat `index` of `wire_frame` (index * 4 < size).
MacBeat beat_of(std::span<const std::uint8_t> wire_frame, std::size_t index);
// Number of beats that carry `bytes` bytes.
constexpr std::size_t beats_for(std::size_t bytes) { return (bytes + kBeatBytes - 1) / kBeatBytes; }

}  // namespace irqlab::models::net
