#pragma once
// A DMA master (the NIC's, the crypto engine's) into the SystemC memory: the RTL domain's DmaTarget
// (rtl/dma_port.h) implemented as a TLM-2.0 initiator. Each access is one 4-byte
// b_transport through the DMA interconnect (a models::Router with the bus's request and
// response cycles) to the RAM's DMA door (bridge/coherent_ram.h), so it costs what a
// hart's RAM access costs:
//   latency = platform.bus.request_cycles + platform.memory_latency
//             + platform.bus.response_cycles   (defaults 1 + 2 + 1 = 4 cycles)
// from the edge that accepts A to the edge that retires D. An address no window claims,
// or any other TLM error, is a d_error (bridge/tlul_tlm.h). A PutPartialData writes only
// its mask's bytes (TLM byte enables; models::Memory honours them).
#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include "rtl/dma_port.h"

namespace irqlab::cosim {

class DmaBridge : public sc_core::sc_module, public DmaTarget {
 public:
  tlm_utils::simple_initiator_socket<DmaBridge> initiator;

  DmaBridge(const sc_core::sc_module_name& name, sc_core::sc_time period);

  // Called by the RTL domain right after the accepting edge; never waits.
  Completion access(const TlRequest& request) override;

 private:
  sc_core::sc_time period_;
};

}  // namespace irqlab::cosim
