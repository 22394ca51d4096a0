#include "bridge/coherent_ram.h"

#include "cpu/initiator_extension.h"

namespace irqlab::cosim {

CoherentRam::CoherentRam(const sc_core::sc_module_name& name, LazyClock& clock)
    : sc_module(name), harts("harts"), dma("dma"), memory("memory"), clock_(clock) {
  harts.register_b_transport(this, &CoherentRam::hart_access);
  dma.register_b_transport(this, &CoherentRam::dma_access);
}

void CoherentRam::hart_access(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  const auto* initiator = trans.get_extension<models::InitiatorExtension>();
  if (initiator == nullptr) {
    trans.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
    return;
  }
  clock_.sync(initiator->hart);
  memory->b_transport(trans, delay);
}

void CoherentRam::dma_access(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  memory->b_transport(trans, delay);
}

}  // namespace irqlab::cosim
