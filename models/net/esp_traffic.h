#pragma once
// ESP traffic (traffic.payload esp): the content of each generated frame, built from a
// known plaintext, and the outcome the kernel must give it (net/esp_expectations.h). The
// timing is the traffic pattern's (net/traffic.h); this decides what each frame holds.
//
// Per frame, in this order, from the traffic's one seeded generator:
//   the UDP payload's length, uniform in payload_bytes [min, max] (no draw when equal);
//   its bytes: one raw 64-bit draw per 8 bytes, byte k = bits 8(k mod 8)+7 .. 8(k mod 8)
//   of draw k / 8.
// The SA is taken round-robin over `sas` (frame 1: sas[0]) and the packet gets that SA's
// next sequence number, from 1. Every frame draws and numbers so, whatever becomes of it,
// so turning bad tags or malformed packets on does not change the other packets.
// Then, for frame n (1-based):
//   n a multiple of malformed_every (when not 0): the next kind of kMalformationOrder, in
//   turn from the first;
//   else n a multiple of bad_tag_every (when not 0): the ICV's first byte has bit 0 flipped
//   (dropped: BadTag);
//   else a well-formed packet, whose payload the receiving process must read.
// Malformed kinds and the cause of their drop (kernel/net/net_events.h):
//   Short        the frame ends before its ICV (cut 16 bytes short of the IPv4 total length) ->
//   Short UnknownSpi   the SPI is none of the SADB's: the largest value not in it (down from
//                2^32 - 1), encrypted with the chosen SA's key                        -> UnknownSa
//   BadPadding   the padding bytes are 0 instead of 1, 2, ... (at least one; the tag
//                covers them, so it checks)                                          -> BadPadding
//   NotForUs     the IPv4 destination is local_ip with bit 0 of its last byte flipped  -> NotForUs
//   BadIpHeader  the IPv4 header checksum has bit 0 flipped                            ->
//   BadIpHeader NoSocket     the UDP destination port is udp_port + 1 (udp_port - 1 for 65535) ->
//   NoSocket
// These are the drop causes a frame alone decides; SocketFull and CryptoError depend on
// the load and the engine, not the wire.
//
// Belongs to the one simulation thread.
#include <array>
#include <cstdint>
#include <random>
#include <vector>

#include "net/esp_expectations.h"
#include "net/esp_packet.h"

namespace irqlab::models::net {

enum class EspMalformation : std::uint8_t {
  Short,
  UnknownSpi,
  BadPadding,
  NotForUs,
  BadIpHeader,
  NoSocket
};
inline constexpr std::array kMalformationOrder = {
    EspMalformation::Short,    EspMalformation::UnknownSpi,  EspMalformation::BadPadding,
    EspMalformation::NotForUs, EspMalformation::BadIpHeader, EspMalformation::NoSocket};

struct EspPayloadSizes {
  unsigned min = 64;  // UDP payload bytes, 1..kMaxEspPayloadBytes
  unsigned max = 64;
};

struct EspTrafficSpec {
  std::vector<EspSa> sas;             // the receiver's SADB, at least one
  Ipv4Address local_ip{10, 0, 0, 2};  // the receiver's address (ipsec.local_ip)
  std::uint16_t udp_port = 5001;      // its socket's port (ipsec.udp_port)
  EspPayloadSizes payload_bytes;
  std::uint64_t bad_tag_every = 0;    // 0: no bad tags
  std::uint64_t malformed_every = 0;  // 0: no malformed packets
};

class EspFrameMaker {
 public:
  // `destination`: the receiver's station address. `expectations` (may be null: nothing is
  // recorded) must outlive the maker. Throws std::invalid_argument for a spec without SAs
  // or with sizes outside 1..kMaxEspPayloadBytes.
  EspFrameMaker(const EspTrafficSpec& spec, const MacAddress& destination,
                EspExpectations* expectations);

  // The frame with wire sequence `frame_sequence` (1, 2, ... in turn), its payload drawn
  // from `rng`. Throws std::runtime_error once an SA's 32-bit sequence number would wrap.
  Frame make(std::uint64_t frame_sequence, std::mt19937_64& rng);

 private:
  struct MalformedFrame {
    Frame frame;
    kernel::NetDropCause cause;  // why the kernel drops it
  };
  std::vector<std::uint8_t> draw_payload(std::mt19937_64& rng) const;
  MalformedFrame malformed(EspMalformation kind, const EspSa& sa, std::uint32_t sequence,
                           const std::vector<std::uint8_t>& payload) const;

  EspTrafficSpec spec_;
  EspFlow flow_;
  std::uint32_t unknown_spi_;
  EspExpectations* expectations_;
  std::vector<std::uint32_t> last_sequence_;  // per SA
  std::uint64_t next_sa_ = 0;
  std::uint64_t malformed_made_ = 0;
};

}  // namespace irqlab::models::net
