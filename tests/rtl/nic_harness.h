#pragma once
// Test harness for the Verilated `nic` on its own (tests/rtl/nic_test.cpp): the model plus
// everything around it, stepped together one cycle at a time.
//
// - Memory: the DMA port's memory (dma_memory.h, the bench is one), latency
//   kNicDefaultMemoryLatency = 2 by default (one cycle between the accepting edge and the
//   response). The NIC never uses PutPartialData.
// - MAC driver: queued frames (bytes exactly as on the wire, FCS included) are presented
//   one 32-bit beat per cycle, byte 4k+i in bits 8i+7:8i, with `gap_cycles` idle cycles
//   between frames (default 3: the 12-byte inter-frame gap at 4 bytes a cycle). The cycle
//   of each frame's last beat is recorded.
// - MAC monitor: collects the frames leaving on mac_tx (mac_tx_ready high unless a test
//   lowers it), with the cycle of each last beat.
// - Register host: the tlul_adapter_reg schedule, as RegHost (rtl_host.h): request in
//   cycle s, effect at edge s+1, one idle cycle; the rest of the bench keeps running.
// - Observers: the cycles in which intr_o rises, and every rx_drop_o pulse with its cause
//   (both registered outputs, sampled right after each edge).
// Cycle numbering as rtl_host.h: after reset the model is in cycle 0; step() applies the
// next edge; a value read after step() is the value during cycle cycle().
// Use from one GoogleTest thread; one bench per test.
#include <cstdint>
#include <deque>
#include <functional>
#include <gtest/gtest.h>
#include <span>
#include <stdexcept>
#include <vector>
#include <verilated.h>
#include <zlib.h>

#include "Vnic.h"
#include "dma_memory.h"
#include "drivers/regs/nic_regs.h"

namespace irqlab::rtltest {

namespace nic = irqlab::regs::nic;

inline constexpr unsigned kNicDefaultMemoryLatency = 2;
inline constexpr unsigned kDefaultGapCycles = 3;

// The Ethernet FCS of `bytes` as the four bytes that follow them on the wire (zlib's crc32,
// least significant byte first): independent of the RTL's CRC.
inline std::vector<std::uint8_t> fcs_bytes(std::span<const std::uint8_t> bytes) {
  const auto crc =
      static_cast<std::uint32_t>(crc32(0L, bytes.data(), static_cast<uInt>(bytes.size())));
  return {static_cast<std::uint8_t>(crc), static_cast<std::uint8_t>(crc >> 8),
          static_cast<std::uint8_t>(crc >> 16), static_cast<std::uint8_t>(crc >> 24)};
}

// A frame of `length` bytes before the FCS: destination, source 02:00:00:00:00:01, type
// 0x0800, payload bytes (seed + i) & 0xFF. with_fcs appends its FCS.
inline std::vector<std::uint8_t> make_frame(std::uint64_t dest, std::size_t length,
                                            std::uint8_t seed, bool with_fcs = true) {
  std::vector<std::uint8_t> f(length, 0);
  for (unsigned i = 0; i < 6 && i < length; ++i) f[i] = static_cast<std::uint8_t>(dest >> (8 * i));
  const std::uint8_t src[6] = {0x02, 0, 0, 0, 0, 0x01};
  for (unsigned i = 0; i < 6 && 6 + i < length; ++i) f[6 + i] = src[i];
  if (length > 13) {
    f[12] = 0x08;
    f[13] = 0x00;
  }
  for (std::size_t i = 14; i < length; ++i) f[i] = static_cast<std::uint8_t>(seed + i);
  if (with_fcs) {
    const auto fcs = fcs_bytes(f);
    f.insert(f.end(), fcs.begin(), fcs.end());
  }
  return f;
}

inline constexpr std::uint64_t kStation = 0x0000'5254'0012'3456;  // bytes LSB first
inline constexpr std::uint64_t kBroadcast = 0xFFFF'FFFF'FFFF;

struct MacFrame {
  std::vector<std::uint8_t> bytes;
  std::uint64_t last_cycle = 0;  // cycle of the last beat
};

struct DropPulse {
  std::uint64_t cycle;
  unsigned cause;  // 0 FIFO overflow, 1 length
};

class NicBench : public DmaMemory {
 public:
  explicit NicBench(std::uint32_t period_ps = 1000)
      : DmaMemory(kNicDefaultMemoryLatency), period_ps_(period_ps) {
    dut.clk_period_ps_i = period_ps;
    dut.reg_req_i = 0;
    dut.reg_we_i = 0;
    dut.reg_addr_i = 0;
    dut.reg_wdata_i = 0;
    dut.dma_a_ready_i = 1;
    dut.dma_d_valid_i = 0;
    dut.dma_d_data_i = 0;
    dut.dma_d_error_i = 0;
    dut.mac_rx_valid_i = 0;
    dut.mac_rx_data_i = 0;
    dut.mac_rx_keep_i = 0;
    dut.mac_rx_last_i = 0;
    dut.mac_tx_ready_i = 1;
    dut.clk_i = 0;
    dut.rst_ni = 0;
    dut.eval();
    edge();
    edge();
    dut.rst_ni = 1;
    dut.eval();
    cycle_ = 0;
    last_intr_ = dut.intr_o;
  }
  ~NicBench() { dut.final(); }
  NicBench(const NicBench&) = delete;
  NicBench& operator=(const NicBench&) = delete;

  std::uint64_t cycle() const { return cycle_; }
  std::uint32_t period_ps() const { return period_ps_; }

  // ---- the bench's knobs (and the memory's: DmaMemory)
  unsigned gap_cycles = kDefaultGapCycles;
  bool tx_ready = true;

  // ---- MAC
  void send(std::vector<std::uint8_t> frame) { rx_queue_.push_back(std::move(frame)); }
  bool sending() const { return !rx_queue_.empty() || rx_pos_ != 0; }
  const std::vector<std::uint64_t>& sent_last_cycles() const { return sent_last_; }
  const std::vector<MacFrame>& transmitted() const { return tx_frames_; }
  const std::vector<DropPulse>& drops() const { return drops_; }
  const std::vector<std::uint64_t>& intr_rises() const { return intr_rises_; }

  // ---- registers
  std::uint32_t read(std::uint64_t offset) { return access(false, offset, 0); }
  void write(std::uint64_t offset, std::uint32_t value) { access(true, offset, value); }
  // The edge at which the last access took effect.
  std::uint64_t last_access_edge() const { return last_access_edge_; }

  // Presents a register access in the current cycle s; returns after edge s+2 (one idle
  // cycle), the read data as sampled before edge s+1.
  std::uint32_t access(bool we, std::uint64_t offset, std::uint32_t value) {
    dut.reg_req_i = 1;
    dut.reg_we_i = we;
    dut.reg_addr_i = static_cast<std::uint16_t>(offset);
    dut.reg_wdata_i = value;
    dut.eval();
    const std::uint32_t data = dut.reg_rdata_o;
    EXPECT_FALSE(dut.reg_error_o) << std::hex << "register 0x" << offset;
    step();
    last_access_edge_ = cycle_;
    dut.reg_req_i = 0;
    dut.reg_we_i = 0;
    dut.reg_wdata_i = 0;
    step();
    return data;
  }

  // ---- time
  void step(unsigned n = 1) {
    for (unsigned i = 0; i < n; ++i) one_cycle();
  }
  // Steps until pred() holds (checked after each edge); fails the test after max cycles.
  bool run_until(const std::function<bool()>& pred, std::uint64_t max_cycles = 2'000'000) {
    for (std::uint64_t i = 0; i < max_cycles; ++i) {
      if (pred()) return true;
      one_cycle();
    }
    ADD_FAILURE() << "condition not reached within " << max_cycles << " cycles";
    return false;
  }
  // Steps until nothing moves: no frame to send, no beat out, no DMA, and quiescent_o.
  void settle(std::uint64_t max_cycles = 2'000'000) {
    run_until(
        [&] { return !sending() && !response_due() && dut.quiescent_o && !dut.mac_tx_valid_o; },
        max_cycles);
  }

  // ---- driver-level helpers (the manual's programming model)
  // RX ring of `n` descriptors at ring, buffers of bsize bytes from buffers; RDH 0, RDT
  // `owned` (the hardware owns descriptors 0..owned-1).
  void setup_rx_ring(std::uint32_t ring, unsigned n, std::uint32_t buffers, unsigned bsize,
                     unsigned owned) {
    for (unsigned i = 0; i < n; ++i) {
      mem_write32(ring + 16 * i, buffers + bsize * i);
      mem_write32(ring + 16 * i + 4, 0);
      mem_write32(ring + 16 * i + 8, 0);
      mem_write32(ring + 16 * i + 12, 0);
    }
    write(nic::kRdbal, ring);
    write(nic::kRdbah, 0);
    write(nic::kRdlen, 16 * n);
    write(nic::kRdh, 0);
    write(nic::kRdt, owned);
  }
  void set_station(std::uint64_t mac) {
    write(nic::kRal0, static_cast<std::uint32_t>(mac));
    write(nic::kRah0, static_cast<std::uint32_t>((mac >> 32) & 0xFFFF) | (1u << nic::kRah0AvShift));
  }
  // TX ring of `n` descriptors at ring, TDH = TDT = 0.
  void setup_tx_ring(std::uint32_t ring, unsigned n) {
    for (unsigned i = 0; i < 4 * n; ++i) mem_write32(ring + 4 * i, 0);
    write(nic::kTdbal, ring);
    write(nic::kTdbah, 0);
    write(nic::kTdlen, 16 * n);
    write(nic::kTdh, 0);
    write(nic::kTdt, 0);
    tx_ring_ = ring;
    tx_count_ = n;
    tx_tail_ = 0;
  }
  // Puts `payload` at buf, fills the descriptor at the software tail with length and cmd
  // (CMD bits, e.g. IFCS | RS), and advances TDT.
  void queue_tx(std::uint32_t buf, std::span<const std::uint8_t> payload, std::uint8_t cmd) {
    mem_write(buf, payload);
    const std::uint32_t d = tx_ring_ + 16 * tx_tail_;
    mem_write32(d, buf);
    mem_write32(d + 4, 0);
    mem_write32(d + 8, static_cast<std::uint32_t>(payload.size()) | (std::uint32_t{cmd} << 24));
    mem_write32(d + 12, 0);
    tx_tail_ = (tx_tail_ + 1) % tx_count_;
    write(nic::kTdt, tx_tail_);
  }

  VerilatedContext context;
  Vnic dut{&context};

 private:
  void edge() {
    dut.clk_i = 0;
    dut.eval();
    dut.clk_i = 1;
    dut.eval();
  }

  // One cycle: drive this cycle's inputs, observe the outputs, apply the edge.
  void one_cycle() {
    // D channel: the response due in this cycle.
    drive(dut, cycle_);
    // MAC RX: the next beat, after the gap.
    drive_rx_beat();
    dut.mac_tx_ready_i = tx_ready;
    dut.eval();

    // Observe what depends on this cycle's inputs.
    if (dut.dma_a_valid_o) {
      EXPECT_NE(dut.dma_a_opcode_o, kOpPutPartialData);
    }
    observe(dut, cycle_);
    if (dut.mac_tx_valid_o && dut.mac_tx_ready_i) take_tx_beat();

    edge();
    ++cycle_;
    observe_registered_outputs();
  }

  // intr_o and rx_drop_o are flops: their value in a cycle is known right after its edge.
  void observe_registered_outputs() {
    if (dut.rx_drop_o) drops_.push_back({cycle_, static_cast<unsigned>(dut.rx_drop_cause_o)});
    if (dut.intr_o && !last_intr_) intr_rises_.push_back(cycle_);
    last_intr_ = dut.intr_o;
  }

  void drive_rx_beat() {
    dut.mac_rx_valid_i = 0;
    dut.mac_rx_last_i = 0;
    dut.mac_rx_keep_i = 0;
    dut.mac_rx_data_i = 0;
    if (rx_pos_ == 0 && (rx_queue_.empty() || cycle_ < next_start_)) return;
    const std::vector<std::uint8_t>& f = rx_queue_.front();
    std::uint32_t data = 0;
    unsigned n = 0;
    for (; n < 4 && rx_pos_ + n < f.size(); ++n) data |= std::uint32_t{f[rx_pos_ + n]} << (8 * n);
    rx_pos_ += n;
    const bool last = rx_pos_ >= f.size();
    dut.mac_rx_valid_i = 1;
    dut.mac_rx_data_i = data;
    dut.mac_rx_keep_i = static_cast<std::uint8_t>((1u << n) - 1);
    dut.mac_rx_last_i = last;
    if (last) {
      sent_last_.push_back(cycle_);
      rx_queue_.pop_front();
      rx_pos_ = 0;
      next_start_ = cycle_ + 1 + gap_cycles;
    }
  }

  void take_tx_beat() {
    if (!tx_open_) {
      tx_frames_.push_back({});
      tx_open_ = true;
    }
    MacFrame& f = tx_frames_.back();
    const std::uint32_t data = dut.mac_tx_data_o;
    const unsigned keep = dut.mac_tx_keep_o;
    for (unsigned i = 0; i < 4; ++i)
      if (keep >> i & 1u) f.bytes.push_back(static_cast<std::uint8_t>(data >> (8 * i)));
    if (dut.mac_tx_last_o) {
      f.last_cycle = cycle_;
      tx_open_ = false;
    }
  }

  std::uint32_t period_ps_;
  std::uint64_t cycle_ = 0;
  std::deque<std::vector<std::uint8_t>> rx_queue_;
  std::size_t rx_pos_ = 0;
  std::uint64_t next_start_ = 0;
  std::vector<std::uint64_t> sent_last_;
  std::vector<MacFrame> tx_frames_;
  bool tx_open_ = false;
  std::vector<DropPulse> drops_;
  std::vector<std::uint64_t> intr_rises_;
  bool last_intr_ = false;
  std::uint64_t last_access_edge_ = 0;
  std::uint32_t tx_ring_ = 0;
  unsigned tx_count_ = 1;
  unsigned tx_tail_ = 0;
};

}  // namespace irqlab::rtltest
