#include "rtl/crypto_port.h"

#include "Virqlab_cosim_top.h"

namespace irqlab::cosim {

CryptoPort::CryptoPort(Virqlab_cosim_top& top, DmaTarget& dma) : top_(top), dma_(dma) {
  top_.crypto_dma_a_ready_i = dma_pins_.a_ready;
}

bool CryptoPort::drive(Cycle cycle) {
  const DmaPort::DevicePins dma = dma_.pins(cycle);
  const bool changed = dma != dma_pins_;
  dma_pins_ = dma;
  top_.crypto_dma_a_ready_i = dma.a_ready;
  top_.crypto_dma_d_valid_i = dma.d_valid;
  top_.crypto_dma_d_data_i = dma.d.data;
  top_.crypto_dma_d_error_i = dma.d.error;
  return changed;
}

void CryptoPort::before_edge(Cycle) {
  dma_host_.a_valid = top_.crypto_dma_a_valid_o != 0;
  dma_host_.a =
      TlAPins{static_cast<std::uint8_t>(top_.crypto_dma_a_opcode_o), top_.crypto_dma_a_address_o,
              static_cast<std::uint8_t>(top_.crypto_dma_a_mask_o), top_.crypto_dma_a_data_o};
  dma_host_.d_ready = top_.crypto_dma_d_ready_o != 0;
}

void CryptoPort::after_edge(Cycle cycle) {
  dma_.edge(cycle, dma_host_);
  if (top_.crypto_job_start_o != 0) {
    running_index_ = top_.crypto_jr_head_o;
    if (tracer_ != nullptr)
      tracer_->emit(cycle + 1, 0, kernel::TraceKind::CryptoJobStart, running_index_);
  }
  if (top_.crypto_job_done_o != 0 && tracer_ != nullptr)
    tracer_->emit(cycle + 1, 0, kernel::TraceKind::CryptoJobDone, running_index_);
}

}  // namespace irqlab::cosim
