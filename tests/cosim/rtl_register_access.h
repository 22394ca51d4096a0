#pragma once
// One register access through the RTL domain's TL-UL port, clocked the way the bus bridge
// (cosim/bridge/tlul_bridge.cpp) runs it: the request held until accepted, then the
// response awaited. For tests that drive an RtlDomain without the SystemC bridge.
//
// Test thread, with nothing else driving `rtl`.
#include <cstdint>
#include <optional>

#include "rtl/rtl_domain.h"

namespace irqlab::cosim {

inline std::uint32_t rtl_register_access(RtlDomain& rtl, bool write, std::uint32_t address,
                                         std::uint32_t data = 0) {
  rtl.drive_request({write, address, data, 0});
  for (bool accepted = false; !accepted;) {
    accepted = rtl.request_accepted_at_edge();
    rtl.step();
  }
  rtl.drive_idle();
  for (;;) {
    const std::optional<TlResponse> response = rtl.response();
    rtl.step();
    if (response) return response->data;
  }
}

}  // namespace irqlab::cosim
