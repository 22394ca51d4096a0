#pragma once
// The crypto engine's pins on the co-simulation top (docs/rtl.md, Crypto engine), served
// while the RTL domain steps: its DMA master's device side (rtl/dma_port.h, the NIC's
// protocol and timing) and its observation pulses turned into events.
//
// Per cycle c, as RtlDomain::step() calls it:
//   drive(c)            before the falling-edge evaluation: the DMA device pins of cycle c;
//   before_edge(c)      after it: samples the DMA host pins the engine drives in c;
//   after_edge(c)       after the rising edge that ends c: the DMA port takes that edge (an
//                       accepted access is performed in memory now); the registered pulses
//                       of cycle c + 1 become CryptoJobStart (arg: crypto_jr_head_o, the
//                       index of the job whose descriptor fetch starts) and CryptoJobDone
//                       (arg: the index of the job started last: the engine runs one job
//                       at a time, and JR_HEAD has already advanced in that cycle).
// The engine's quiescent_o is part of the SoC's; an outstanding DMA response is a pending
// input change (next_change), so a quiescent jump stops at it.
//
// Belongs to the RTL domain; called only from it, on the simulator's one thread.
#include <cstdint>
#include <optional>

#include "rtl/dma_port.h"
#include "trace/trace.h"

class Virqlab_cosim_top;

namespace irqlab::cosim {

class CryptoPort {
 public:
  // `dma` must outlive the port.
  CryptoPort(Virqlab_cosim_top& top, DmaTarget& dma);

  void emit_into(const kernel::Tracer& tracer) { tracer_ = &tracer; }

  // Returns true when an input changed from the previous cycle's.
  bool drive(Cycle cycle);
  void before_edge(Cycle cycle);
  void after_edge(Cycle cycle);
  // The first cycle after `cycle` at which an input changes (a DMA response), if any.
  std::optional<Cycle> next_change(Cycle cycle) const { return dma_.next_change(cycle); }

 private:
  Virqlab_cosim_top& top_;
  DmaPort dma_;
  const kernel::Tracer* tracer_ = nullptr;
  DmaPort::DevicePins dma_pins_;
  DmaPort::HostPins dma_host_;
  std::uint32_t running_index_ = 0;  // the JR index of the job started last
};

}  // namespace irqlab::cosim
