#include "bridge/dma_bridge.h"

#include "bridge/tlul_tlm.h"

namespace irqlab::cosim {

DmaBridge::DmaBridge(const sc_core::sc_module_name& name, sc_core::sc_time period)
    : sc_module(name), initiator("initiator"), period_(period) {}

DmaTarget::Completion DmaBridge::access(const TlRequest& request) {
  tlm::tlm_generic_payload trans;
  TlPayloadBuffer buffer;
  to_payload(request, buffer, trans);
  sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
  initiator->b_transport(trans, delay);
  return {response_of(trans, buffer.word), static_cast<Cycle>(delay / period_)};
}

}  // namespace irqlab::cosim
