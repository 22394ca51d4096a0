#include "bridge/tlul_tlm.h"

namespace irqlab::cosim {

void to_payload(const TlRequest& request, std::uint32_t& word, tlm::tlm_generic_payload& trans) {
  word = request.write ? request.data : 0;
  trans.set_command(request.write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
  trans.set_address(request.address);
  trans.set_data_ptr(reinterpret_cast<unsigned char*>(&word));
  trans.set_data_length(sizeof word);
  trans.set_streaming_width(sizeof word);
  trans.set_byte_enable_ptr(nullptr);
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
