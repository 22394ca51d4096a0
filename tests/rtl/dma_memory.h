#pragma once
// The memory on a Verilated device's DMA master port (TL-UL subset host, one transaction
// outstanding: rtl/prim/prim_tlul_host.sv), shared by the RTL harnesses (nic_harness.h,
// crypto_harness.h). The device's pins are the dma_* ports both models have.
//
// - A byte-addressed RAM of kMemorySize bytes at kMemoryBase, little-endian words.
// - a_ready is high while no response is due (unless a test holds it low). A request whose
//   handshake (a_valid && a_ready) is seen in cycle a is answered with d_valid in cycle
//   a + memory_latency, retired at the edge after it (the devices' d_ready is 1).
// - Get reads and Puts write at the handshake; PutPartialData writes only the masked bytes.
//   An address outside the RAM, or a word a test marked with inject_fault(), answers
//   d_error (data 0) and is not written.
// - Every handshake is checked against the subset the co-simulation accepts
//   (bridge/tlul.h: aligned; Get and PutFullData with mask F, PutPartialData with a partial
//   mask) and logged.
// Per cycle, the harness calls drive() before its eval() and observe() after it, then
// applies the edge. Use from one GoogleTest thread.
#include <cstdint>
#include <gtest/gtest.h>
#include <set>
#include <span>
#include <stdexcept>
#include <vector>

namespace irqlab::rtltest {

inline constexpr std::uint32_t kMemoryBase = 0x8000'0000;
inline constexpr std::uint32_t kMemorySize = 0x0010'0000;  // 1 MiB

inline constexpr unsigned kOpGet = 4, kOpPutFullData = 0, kOpPutPartialData = 1;

struct DmaBeat {
  std::uint64_t handshake_cycle;
  unsigned opcode;
  std::uint32_t address;
  unsigned mask;
  std::uint32_t data;  // written (Puts) or read (Get)
  bool error;
  bool write() const { return opcode != kOpGet; }
};

class DmaMemory {
 public:
  explicit DmaMemory(unsigned latency) : memory_latency(latency), bytes_(kMemorySize, 0) {}

  // ---- knobs
  unsigned memory_latency;
  bool a_ready = true;
  // Accesses to the word at `addr` answer d_error from now on.
  void inject_fault(std::uint32_t addr) { faults_.insert(addr & ~3u); }
  void clear_faults() { faults_.clear(); }
  // The next cycle carries a D response although no request is outstanding (a protocol
  // violation by the bus, for assertion tests).
  void spurious_response() { spurious_ = true; }

  // ---- contents
  std::uint8_t& mem(std::uint32_t addr) {
    if (!in_memory(addr)) throw std::out_of_range("address outside memory");
    return bytes_[addr - kMemoryBase];
  }
  void mem_write(std::uint32_t addr, std::span<const std::uint8_t> bytes) {
    for (std::size_t i = 0; i < bytes.size(); ++i)
      mem(addr + static_cast<std::uint32_t>(i)) = bytes[i];
  }
  std::vector<std::uint8_t> mem_read(std::uint32_t addr, std::size_t n) {
    std::vector<std::uint8_t> out(n);
    for (std::size_t i = 0; i < n; ++i) out[i] = mem(addr + static_cast<std::uint32_t>(i));
    return out;
  }
  void mem_write32(std::uint32_t addr, std::uint32_t value) {
    for (unsigned i = 0; i < 4; ++i) mem(addr + i) = static_cast<std::uint8_t>(value >> (8 * i));
  }
  std::uint32_t mem_read32(std::uint32_t addr) {
    std::uint32_t v = 0;
    for (unsigned i = 0; i < 4; ++i) v |= std::uint32_t{mem(addr + i)} << (8 * i);
    return v;
  }
  const std::vector<std::uint8_t>& memory() const { return bytes_; }

  // ---- observations
  const std::vector<DmaBeat>& dma() const { return log_; }
  bool response_due() const { return response_due_; }

  // ---- the port, once per cycle
  // Drives this cycle's D channel and a_ready.
  template <class Dut>
  void drive(Dut& dut, std::uint64_t cycle) {
    responding_ = (response_due_ && response_cycle_ == cycle) || spurious_;
    spurious_ = false;
    dut.dma_d_valid_i = responding_;
    dut.dma_d_data_i = responding_ ? response_data_ : 0;
    dut.dma_d_error_i = responding_ && response_error_;
    dut.dma_a_ready_i = a_ready && !response_due_;
  }
  // After the cycle's eval(): retires the response driven, takes a request whose handshake
  // happens in this cycle.
  template <class Dut>
  void observe(const Dut& dut, std::uint64_t cycle) {
    if (responding_) response_due_ = false;
    if (dut.dma_a_valid_o && dut.dma_a_ready_i)
      accept(cycle, dut.dma_a_opcode_o, dut.dma_a_address_o, dut.dma_a_mask_o, dut.dma_a_data_o);
  }

 private:
  static bool in_memory(std::uint32_t addr) {
    return addr >= kMemoryBase && addr - kMemoryBase < kMemorySize;
  }

  void accept(std::uint64_t cycle, unsigned opcode, std::uint32_t addr, unsigned mask,
              std::uint32_t data) {
    EXPECT_EQ(addr % 4, 0u);
    if (opcode == kOpGet || opcode == kOpPutFullData) {
      EXPECT_EQ(mask, 0xFu) << "opcode " << opcode;
    } else {
      EXPECT_TRUE(opcode == kOpPutPartialData && mask != 0 && mask != 0xF)
          << "opcode " << opcode << " mask " << mask;
    }
    response_error_ = !in_memory(addr) || faults_.count(addr) != 0;
    response_data_ = 0;
    if (!response_error_) {
      if (opcode == kOpGet) {
        response_data_ = mem_read32(addr);
      } else {
        for (unsigned i = 0; i < 4; ++i)
          if (mask >> i & 1u) mem(addr + i) = static_cast<std::uint8_t>(data >> (8 * i));
      }
    }
    log_.push_back(
        {cycle, opcode, addr, mask, opcode == kOpGet ? response_data_ : data, response_error_});
    response_due_ = true;
    response_cycle_ = cycle + memory_latency;
  }

  std::vector<std::uint8_t> bytes_;
  std::set<std::uint32_t> faults_;
  bool spurious_ = false;
  bool responding_ = false;
  bool response_due_ = false;
  std::uint64_t response_cycle_ = 0;
  std::uint32_t response_data_ = 0;
  bool response_error_ = false;
  std::vector<DmaBeat> log_;
};

}  // namespace irqlab::rtltest
