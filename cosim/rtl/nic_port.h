#pragma once
// The NIC's pins on the co-simulation top (docs/rtl.md, NIC pins), served while the RTL domain
// steps: the DMA master's device side (rtl/dma_port.h), the MAC receive pins driven from
// the wire model, the MAC transmit beats handed to the transmit sink, the clock-period
// strap, the receive-drop pulse turned into FrameDropped events, and the RX FIFO's fill
// (nic_rx_fifo_level_o) turned into NicRxFifoLevel events when it changes.
//
// Per cycle c, as RtlDomain::step() calls it:
//   drive(c)            before the falling-edge evaluation: the DMA device pins of cycle c
//                       and the wire's beat of cycle c (idle without a wire);
//   before_edge(c)      after it: samples what the NIC drives in c (DMA A beat, TX beat);
//   after_edge(c)       after the rising edge that ends c: the DMA port takes that edge (an
//                       accepted access is performed in memory now), the TX beat goes to the
//                       sink, and a drop pulse seen in c + 1 (the cycle after the frame's last
//                       beat, docs/rtl.md) is emitted as FrameDropped at c + 1, with the
//                       wire's sequence number of that frame (0 for a looped-back frame);
//                       a FIFO level that differs from c's is emitted at c + 1, the first
//                       cycle it holds. Skipped (quiescent) cycles change no level.
// FrameOffered and FrameTransmitted come from the wire and the sink's callbacks, which the
// runner points at the same event stream.
//
// Belongs to the RTL domain; called only from it, on the simulator's one thread.
#include <cstdint>
#include <optional>

#include "net/mac_tx_sink.h"
#include "net/mac_wire.h"
#include "rtl/dma_port.h"
#include "trace/trace.h"

class Virqlab_cosim_top;

namespace irqlab::cosim {

class NicPort {
 public:
  // `wire` may be null (the receive pins stay idle); the others must outlive the port.
  NicPort(Virqlab_cosim_top& top, DmaTarget& dma, models::net::MacWire* wire,
          models::net::MacTxSink& tx);

  void emit_into(const kernel::Tracer& tracer) { tracer_ = &tracer; }

  // Returns true when an input changed from the previous cycle's.
  bool drive(Cycle cycle);
  void before_edge(Cycle cycle);
  void after_edge(Cycle cycle);
  // The first cycle after `cycle` at which an input may change (quiescent skipping stops
  // there), if any.
  std::optional<Cycle> next_change(Cycle cycle);

 private:
  Virqlab_cosim_top& top_;
  DmaPort dma_;
  models::net::MacWire* wire_;
  models::net::MacTxSink& tx_;
  const kernel::Tracer* tracer_ = nullptr;
  DmaPort::DevicePins dma_pins_;
  models::net::MacBeat rx_beat_;
  DmaPort::HostPins dma_host_;
  std::optional<models::net::MacBeat> tx_beat_;  // handed over at the coming edge
  std::uint32_t offers_ = 0;                     // frames whose last beat was presented
  std::optional<Cycle> last_offer_cycle_;
  std::uint32_t fifo_words_ = 0;  // RX FIFO level last emitted (empty from reset)
};

}  // namespace irqlab::cosim
