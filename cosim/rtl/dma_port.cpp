#include "rtl/dma_port.h"

#include <algorithm>

namespace irqlab::cosim {

DmaPort::DevicePins DmaPort::pins(Cycle cycle) const {
  DevicePins p;
  if (!outstanding_) return p;
  p.a_ready = false;
  if (cycle >= outstanding_->valid_from) {
    p.d_valid = true;
    p.d = outstanding_->response;
  }
  return p;
}

void DmaPort::edge(Cycle cycle, const HostPins& host) {
  const DevicePins now = pins(cycle);
  if (now.d_valid && host.d_ready) {
    outstanding_.reset();
    return;
  }
  if (!now.a_ready || !host.a_valid) return;
  if (const std::optional<TlRequest> request = decode_request(host.a)) {
    const DmaTarget::Completion done = target_.access(*request);
    outstanding_ = Outstanding{cycle + std::max<Cycle>(done.latency, 1), done.response};
  } else {
    outstanding_ = Outstanding{cycle + 1, TlResponse{true, 0}};
  }
}

std::optional<Cycle> DmaPort::next_change(Cycle cycle) const {
  if (outstanding_ && outstanding_->valid_from > cycle) return outstanding_->valid_from;
  return std::nullopt;
}

}  // namespace irqlab::cosim
