#include "bridge/tlul_tlm.h"

namespace irqlab::cosim {

void to_payload(const TlRequest& request, TlPayloadBuffer& buffer,
                tlm::tlm_generic_payload& trans) {
  buffer.word = request.write ? request.data : 0;
  trans.set_command(request.write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
  trans.set_address(request.address);
  trans.set_data_ptr(reinterpret_cast<unsigned char*>(&buffer.word));
  trans.set_data_length(sizeof buffer.word);
  trans.set_streaming_width(sizeof buffer.word);
  if (request.write && request.mask != tlul::kFullMask) {
    for (unsigned lane = 0; lane < buffer.byte_enables.size(); ++lane)
      buffer.byte_enables[lane] =
          (request.mask >> lane & 1U) != 0 ? TLM_BYTE_ENABLED : TLM_BYTE_DISABLED;
    trans.set_byte_enable_ptr(buffer.byte_enables.data());
    trans.set_byte_enable_length(static_cast<unsigned>(buffer.byte_enables.size()));
  } else {
    trans.set_byte_enable_ptr(nullptr);
    trans.set_byte_enable_length(0);
  }
  trans.set_dmi_allowed(false);
  trans.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
}

TlResponse response_of(const tlm::tlm_generic_payload& trans, std::uint32_t word) {
  if (!trans.is_response_ok()) return TlResponse{true, 0};
  return TlResponse{false, trans.is_read() ? word : 0};
}

tlm::tlm_response_status status_of(const TlResponse& response) {
  return response.error ? tlm::TLM_ADDRESS_ERROR_RESPONSE : tlm::TLM_OK_RESPONSE;
}

}  // namespace irqlab::cosim
