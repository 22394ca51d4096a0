#pragma once
// TLM-2.0 target that runs each transaction as the real TL-UL handshake on the
// Verilated SoC's register port, cycle by cycle.
//
// Timing: the transaction starts at the current time plus the delay annotated on the
// way in (the interconnect's request latency), drives A-channel valid until the edge
// that accepts it, then takes the D-channel response and keeps it until the edge that
// retires it (d_ready is tied high). It returns with the caller's time at that edge and
// a zero delay. The port takes one transaction at a time; other harts queue in arrival
// order, which is the interconnect's arbitration.
// Addresses pass unchanged (the SoC decodes its own map); only 32-bit accesses exist.
#include <deque>
#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

#include "sync/lazy_clock.h"

namespace irqlab::cosim {

class TlulBridge : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<TlulBridge> target;

  TlulBridge(const sc_core::sc_module_name& name, LazyClock& clock);

 private:
  struct Waiter {
    unsigned hart;
    sc_core::sc_event granted;
  };

  void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
  void acquire(unsigned hart);
  void release();
  TlResponse handshake(unsigned hart, const TlRequest& request);

  LazyClock& clock_;
  bool busy_ = false;
  std::deque<Waiter*> waiters_;  // each lives on its waiting hart's stack
};

}  // namespace irqlab::cosim
