#pragma once
// Address decoder between initiators and targets, with the interconnect's latency: a
// request reaches its target `request_cycles` after issue and the response returns
// `response_cycles` after the target finishes, annotated on the TLM delay (LT style).
// An address that no target claims is answered with TLM_ADDRESS_ERROR_RESPONSE.
#include <string>
#include <systemc>
#include <tlm>
#include <tlm_utils/multi_passthrough_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>
#include <vector>

namespace irqlab::models {

struct RouterLatency {
  unsigned request_cycles = 0;
  unsigned response_cycles = 0;
};

class Router : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<Router> target;
  tlm_utils::multi_passthrough_initiator_socket<Router> initiator;

  Router(const sc_core::sc_module_name& name, sc_core::sc_time clock_period, RouterLatency latency);

  // Targets are bound to `initiator` in the order their windows are added.
  void add_window(std::string name, std::uint64_t base, std::uint64_t size);

 private:
  struct Window {
    std::string name;
    std::uint64_t base;
    std::uint64_t size;
  };
  void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
  const Window* decode(std::uint64_t address, unsigned* port) const;

  sc_core::sc_time period_;
  RouterLatency latency_;
  std::vector<Window> windows_;
};

}  // namespace irqlab::models
