#pragma once
// The TL-UL subset the SoC's ports speak (docs/rtl.md): the register port, where the
// co-simulation is the host and the RTL the device (bridge/tlul_bridge.h), and the DMA
// masters (NIC, crypto engine), where the RTL is the host and the co-simulation the device
// (bridge/dma_bridge.h). Every beat is one aligned 32-bit word; a DMA master may write
// part of it with PutPartialData, whose mask names the byte lanes written (bit i: bits
// 8i+7:8i), which the crypto engine does for the unaligned ends of a buffer. One request
// and one response struct, the opcodes and their decoding, shared by both directions.
// SystemC-free: the RTL domain uses it too. The mapping of responses to and from TLM is in
// bridge/tlul_tlm.h.
#include <cstdint>
#include <optional>

namespace irqlab::cosim {

namespace tlul {
// A-channel opcodes of the subset; the D channel answers AccessAck (0) to a Put and
// AccessAckData (1) to a Get.
inline constexpr std::uint8_t kPutFullData = 0;
inline constexpr std::uint8_t kPutPartialData = 1;
inline constexpr std::uint8_t kGet = 4;
inline constexpr std::uint8_t kFullMask = 0xF;  // Get and PutFullData: the whole word
}  // namespace tlul

struct TlRequest {
  bool write = false;
  std::uint32_t address = 0;
  std::uint32_t data = 0;
  std::uint8_t source = 0;
  std::uint8_t mask = tlul::kFullMask;  // a write's byte lanes; below kFullMask: PutPartialData
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
  if (!request.write) return tlul::kGet;
  return request.mask == tlul::kFullMask ? tlul::kPutFullData : tlul::kPutPartialData;
}

// The request a host's A beat asks for; nullopt when it leaves the subset (another
// opcode, an unaligned address, a Get or PutFullData without the full mask, a
// PutPartialData without any lane), which a device answers with d_error.
inline std::optional<TlRequest> decode_request(const TlAPins& a) {
  if ((a.address & 3U) != 0 || a.mask > tlul::kFullMask) return std::nullopt;
  switch (a.opcode) {
    case tlul::kGet:
    case tlul::kPutFullData:
      if (a.mask != tlul::kFullMask) return std::nullopt;
      return TlRequest{a.opcode == tlul::kPutFullData, a.address, a.data, 0, tlul::kFullMask};
    case tlul::kPutPartialData:
      if (a.mask == 0) return std::nullopt;
      return TlRequest{true, a.address, a.data, 0, a.mask};
    default:
      return std::nullopt;
  }
}

}  // namespace irqlab::cosim
