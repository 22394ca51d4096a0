#include "memory/memory.h"

#include <cstring>

namespace irqlab::models {

Memory::Memory(const sc_core::sc_module_name& name, std::uint64_t base, std::uint64_t size,
               sc_core::sc_time access_latency)
    : sc_module(name), target("target"), base_(base), latency_(access_latency), bytes_(size) {
  target.register_b_transport(this, &Memory::b_transport);
}

void Memory::b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  const std::uint64_t offset = trans.get_address() - base_;
  const unsigned length = trans.get_data_length();
  if (trans.get_address() < base_ || offset + length > bytes_.size()) {
    trans.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return;
  }
  const unsigned char* enables = trans.get_byte_enable_ptr();
  const unsigned enable_length = trans.get_byte_enable_length();
  if (enables != nullptr && enable_length == 0) {
    trans.set_response_status(tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
    return;
  }
  unsigned char* data = trans.get_data_ptr();
  if (enables == nullptr) {
    if (trans.is_read()) {
      std::memcpy(data, &bytes_[offset], length);
    } else {
      std::memcpy(&bytes_[offset], data, length);
    }
  } else {
    // TLM-2.0 byte enables: the pattern repeats over the data; disabled bytes stay as they are.
    for (unsigned i = 0; i < length; ++i) {
      if (enables[i % enable_length] != TLM_BYTE_ENABLED) continue;
      if (trans.is_read()) {
        data[i] = bytes_[offset + i];
      } else {
        bytes_[offset + i] = data[i];
      }
    }
  }
  delay += latency_;
  trans.set_response_status(tlm::TLM_OK_RESPONSE);
}

}  // namespace irqlab::models
