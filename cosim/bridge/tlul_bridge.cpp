#include "bridge/tlul_bridge.h"

#include <cstring>

#include "bridge/tlul_tlm.h"
#include "cpu/initiator_extension.h"

namespace irqlab::cosim {

TlulBridge::TlulBridge(const sc_core::sc_module_name& name, LazyClock& clock)
    : sc_module(name), target("target"), clock_(clock) {
  target.register_b_transport(this, &TlulBridge::b_transport);
}

void TlulBridge::acquire(unsigned hart) {
  if (!busy_) {
    busy_ = true;
    return;
  }
  Waiter me{hart, {}};
  waiters_.push_back(&me);
  clock_.block(hart);
  sc_core::wait(me.granted);
  waiters_.pop_front();  // the grant went to the oldest waiter: this one
}

void TlulBridge::release() {
  if (waiters_.empty()) {
    busy_ = false;
    return;
  }
  Waiter* next = waiters_.front();
  clock_.unblock(next->hart, clock_.rtl().cycle(), next->granted);
}

TlResponse TlulBridge::handshake(unsigned hart, const TlRequest& request) {
  RtlDomain& rtl = clock_.rtl();
  rtl.drive_request(request);
  for (bool accepted = false; !accepted;) {
    accepted = rtl.request_accepted_at_edge();
    clock_.step(hart);
  }
  rtl.drive_idle();
  for (;;) {
    const std::optional<TlResponse> response = rtl.response();
    clock_.step(hart);  // d_ready is high: this edge retires a present response
    if (response) return *response;
  }
}

void TlulBridge::b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  const auto* initiator = trans.get_extension<models::InitiatorExtension>();
  if (initiator == nullptr || trans.get_data_length() != 4 || trans.get_byte_enable_ptr() != nullptr ||
      (trans.get_address() >> 32) != 0) {
    trans.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
    return;
  }
  const unsigned hart = initiator->hart;
  clock_.advance(hart, static_cast<Cycle>(delay / clock_.period()));
  delay = sc_core::SC_ZERO_TIME;
  acquire(hart);
  clock_.sync(hart);

  TlRequest request;
  request.write = trans.is_write();
  request.address = static_cast<std::uint32_t>(trans.get_address());
  request.source = static_cast<std::uint8_t>(hart);
  if (request.write) std::memcpy(&request.data, trans.get_data_ptr(), 4);
  const TlResponse response = handshake(hart, request);
  if (!request.write) std::memcpy(trans.get_data_ptr(), &response.data, 4);

  release();
  clock_.advance(hart, clock_.rtl().cycle() - clock_.now());
  trans.set_response_status(status_of(response));
}

}  // namespace irqlab::cosim
