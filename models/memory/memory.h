#pragma once
// Plain RAM behind a TLM target socket, with a fixed access latency in cycles.
// Addresses are offsets into the RAM (the router passes global addresses; the memory
// subtracts its base). Byte enables (a DMA master's partial writes) are honoured: only the
// enabled bytes are read or written.
#include <cstdint>
#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>
#include <vector>

namespace irqlab::models {

class Memory : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<Memory> target;

  Memory(const sc_core::sc_module_name& name, std::uint64_t base, std::uint64_t size,
         sc_core::sc_time access_latency);

 private:
  void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);

  std::uint64_t base_;
  sc_core::sc_time latency_;
  std::vector<unsigned char> bytes_;
};

}  // namespace irqlab::models
