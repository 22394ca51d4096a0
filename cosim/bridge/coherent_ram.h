#pragma once
// The RAM's two doors: the harts' (from the bus router) and the NIC's DMA (from the DMA
// interconnect, bridge/dma_bridge.h), both forwarded as TLM b_transport to the one
// models::Memory. It keeps memory coherent between harts and device DMA.
//
// Ordering argument. Every access takes effect in memory at one point of the one cycle
// axis, and its latency (interconnect request + memory + response cycles) is then spent
// before its initiator sees the result:
// - a hart's access at the cycle it issues it (its current cycle t): this door first
//   catches the RTL up to t (LazyClock::sync, as the register bridge does), then accesses
//   memory, with no SystemC wait in between;
// - a DMA access at the rising edge that accepts its A beat (rtl/dma_port.h), performed by
//   the RTL domain right after that edge.
// The RTL stands at cycle t after sync(t): it has taken every edge up to time t and none
// after it, so every DMA access accepted at an edge at or before t is already in memory
// and the hart's read sees it, while every later one is performed after the hart's access
// and sees its write. The RTL cannot be ahead of t (lazy clock invariant 1: a running
// hart's next touch is its own cycle, and sync refuses an RTL ahead of the hart). Within
// one cycle the order is thus: the DMA accepted at the edge that starts cycle t, then the
// harts' accesses at t (in SystemC's deterministic process order). A hart's burst
// (memory_read/memory_write of several bytes) is one transaction: it takes effect at once.
#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include "sync/lazy_clock.h"

namespace irqlab::cosim {

class CoherentRam : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<CoherentRam> harts;  // from the bus router
  tlm_utils::simple_target_socket<CoherentRam> dma;    // from the DMA interconnect
  tlm_utils::simple_initiator_socket<CoherentRam> memory;

  CoherentRam(const sc_core::sc_module_name& name, LazyClock& clock);

 private:
  // Called from a hart's context: the transaction carries models::InitiatorExtension.
  void hart_access(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
  // Called from the RTL domain while it steps (no wait).
  void dma_access(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);

  LazyClock& clock_;
};

}  // namespace irqlab::cosim
