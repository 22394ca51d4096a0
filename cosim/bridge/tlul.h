#pragma once
// The TL-UL subset both of the SoC's ports speak (docs/rtl.md): the
// register port, where the co-simulation is the host and the RTL the device
// (bridge/tlul_bridge.h), and the NIC's DMA master, where the RTL is the host and the
// co-simulation the device (bridge/dma_bridge.h). One request and one response struct,
// the opcodes and their decoding, shared by both directions. SystemC-free: the RTL domain
// uses it too. The mapping of responses to and from TLM is in bridge/tlul_tlm.h.
#include <cstdint>
#include <optional>

namespace irqlab::cosim {

namespace tlul {
// A-channel opcodes of the subset; the D channel answers AccessAck (0) to a Put and
// AccessAckData (1) to a Get.
inline constexpr std::uint8_t kPutFullData = 0;
inline constexpr std::uint8_t kGet = 4;
inline constexpr std::uint8_t kFullMask = 0xF;  // every access is a whole 32-bit word
}  // namespace tlul

struct TlRequest {
  bool write = false;
  std::uint32_t address = 0;
  std::uint32_t data = 0;
  std::uint8_t source = 0;
};

struct TlResponse {
  bool error = false;
  std::uint32_t data = 0;
  bool operator==(const TlResponse&) const = default;
};

// The A-channel pins of one beat, as a host drives them.
struct TlAPins {
  std::uint8_t opcode = 0;
  std::uint32_t address = 0;
  std::uint8_t mask = 0;
  std::uint32_t data = 0;
};

inline std::uint8_t opcode_of(const TlRequest& request) {
  return request.write ? tlul::kPutFullData : tlul::kGet;
}

// The request a host's A beat asks for; nullopt when it leaves the subset (another
// opcode, a partial mask, an unaligned address), which a device answers with d_error.
inline std::optional<TlRequest> decode_request(const TlAPins& a) {
  if ((a.opcode != tlul::kGet && a.opcode != tlul::kPutFullData) || a.mask != tlul::kFullMask ||
      (a.address & 3U) != 0)
    return std::nullopt;
  return TlRequest{a.opcode == tlul::kPutFullData, a.address, a.data, 0};
}

}  // namespace irqlab::cosim
