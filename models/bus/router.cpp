#include "bus/router.h"

#include <stdexcept>

namespace irqlab::models {

Router::Router(const sc_core::sc_module_name& name, sc_core::sc_time clock_period,
               RouterLatency latency)
    : sc_module(name), target("target"), initiator("initiator"), period_(clock_period),
      latency_(latency) {
  target.register_b_transport(this, &Router::b_transport);
}

void Router::add_window(std::string name, std::uint64_t base, std::uint64_t size) {
  for (const Window& w : windows_) {
    if (base < w.base + w.size && w.base < base + size)
      throw std::invalid_argument("window " + name + " overlaps " + w.name);
  }
  windows_.push_back({std::move(name), base, size});
}

const Router::Window* Router::decode(std::uint64_t address, unsigned* port) const {
  for (unsigned i = 0; i < windows_.size(); ++i) {
    if (address >= windows_[i].base && address - windows_[i].base < windows_[i].size) {
      *port = i;
      return &windows_[i];
    }
  }
  return nullptr;
}

void Router::b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  unsigned port = 0;
  if (decode(trans.get_address(), &port) == nullptr) {
    trans.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return;
  }
  delay += latency_.request_cycles * period_;
  initiator[port]->b_transport(trans, delay);
  delay += latency_.response_cycles * period_;
}

}  // namespace irqlab::models
