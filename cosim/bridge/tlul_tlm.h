#pragma once
// TL-UL (bridge/tlul.h) to and from TLM-2.0 generic payloads: the one mapping of
// requests, responses and errors that the register bridge (a TLM target in front of the
// RTL's device port) and the DMA bridge (a TLM initiator behind the RTL's host port) share.
// A TL-UL d_error is a TLM address error; any TLM error is a TL-UL d_error. A
// PutPartialData is a 4-byte write with TLM byte enables (TLM_BYTE_ENABLED on the lanes of
// its mask), so the target writes only those bytes.
#include <array>
#include <tlm>

#include "bridge/tlul.h"

namespace irqlab::cosim {

// The data word and byte enables a transaction points into; must outlive it.
struct TlPayloadBuffer {
  std::uint32_t word = 0;
  std::array<unsigned char, 4> byte_enables{};
};

// Sets up `trans` as the 4-byte access `request`, reading from or writing into
// `buffer.word` (byte lane i at byte i: the host is little-endian, as the bus).
void to_payload(const TlRequest& request, TlPayloadBuffer& buffer, tlm::tlm_generic_payload& trans);
// The TL-UL response to a finished transaction (data: `word` after a read).
TlResponse response_of(const tlm::tlm_generic_payload& trans, std::uint32_t word);
// The TLM status that carries a TL-UL response back to a TLM initiator.
tlm::tlm_response_status status_of(const TlResponse& response);

}  // namespace irqlab::cosim
