#include "rtl/nic_port.h"

#include "Virqlab_cosim_top.h"

namespace irqlab::cosim {

NicPort::NicPort(Virqlab_cosim_top& top, DmaTarget& dma, models::net::MacWire* wire,
                 models::net::MacTxSink& tx)
    : top_(top), dma_(dma), wire_(wire), tx_(tx) {
  top_.nic_dma_a_ready_i = dma_pins_.a_ready;
  top_.nic_mac_tx_ready_i = 1;  // the transmit sink takes a beat every cycle
}

bool NicPort::drive(Cycle cycle) {
  const DmaPort::DevicePins dma = dma_.pins(cycle);
  const models::net::MacBeat beat = wire_ != nullptr ? wire_->pins(cycle) : models::net::MacBeat{};
  const bool changed = dma != dma_pins_ || beat != rx_beat_;
  dma_pins_ = dma;
  rx_beat_ = beat;
  top_.nic_dma_a_ready_i = dma.a_ready;
  top_.nic_dma_d_valid_i = dma.d_valid;
  top_.nic_dma_d_data_i = dma.d.data;
  top_.nic_dma_d_error_i = dma.d.error;
  top_.nic_mac_rx_valid_i = beat.valid;
  top_.nic_mac_rx_data_i = beat.data;
  top_.nic_mac_rx_keep_i = beat.keep;
  top_.nic_mac_rx_last_i = beat.last;
  if (beat.valid && beat.last) {
    ++offers_;
    last_offer_cycle_ = cycle;
  }
  return changed;
}

void NicPort::before_edge(Cycle) {
  dma_host_.a_valid = top_.nic_dma_a_valid_o != 0;
  dma_host_.a =
      TlAPins{static_cast<std::uint8_t>(top_.nic_dma_a_opcode_o), top_.nic_dma_a_address_o,
              static_cast<std::uint8_t>(top_.nic_dma_a_mask_o), top_.nic_dma_a_data_o};
  dma_host_.d_ready = top_.nic_dma_d_ready_o != 0;
  tx_beat_.reset();
  if (top_.nic_mac_tx_valid_o != 0)
    tx_beat_ = models::net::MacBeat{true, top_.nic_mac_tx_data_o,
                                    static_cast<std::uint8_t>(top_.nic_mac_tx_keep_o),
                                    top_.nic_mac_tx_last_o != 0};
}

void NicPort::after_edge(Cycle cycle) {
  dma_.edge(cycle, dma_host_);
  if (tx_beat_) tx_.accept(cycle, *tx_beat_);
  if (tracer_ == nullptr) return;
  if (const std::uint32_t words = top_.nic_rx_fifo_level_o; words != fifo_words_) {
    fifo_words_ = words;
    tracer_->emit(cycle + 1, 0, kernel::TraceKind::NicRxFifoLevel, 0, words);
  }
  if (top_.nic_rx_drop_o == 0) return;
  // The pulse is in cycle + 1, the cycle after the dropped frame's last beat: the wire's
  // frame whose last beat was in `cycle`, or else one the NIC looped back from its own
  // transmit side (RCTL.LBM), which the wire never offered (sequence 0).
  const std::uint32_t sequence = last_offer_cycle_ == cycle ? offers_ : 0;
  tracer_->emit(cycle + 1, 0, kernel::TraceKind::FrameDropped, sequence, top_.nic_rx_drop_cause_o);
}

std::optional<Cycle> NicPort::next_change(Cycle cycle) {
  std::optional<Cycle> next = dma_.next_change(cycle);
  if (wire_ != nullptr)
    if (const std::optional<Cycle> beat = wire_->next_change(); beat && (!next || *beat < *next))
      next = beat;
  return next;
}

}  // namespace irqlab::cosim
