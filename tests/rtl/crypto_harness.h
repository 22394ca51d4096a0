#pragma once
// Test harness for the Verilated `crypto` engine on its own (tests/rtl/crypto_test.cpp):
// the model plus a memory serving its DMA port, stepped together one cycle at a time.
//
// - Memory: a byte-addressed RAM of kMemorySize bytes at kMemoryBase on the DMA port
//   (TL-UL subset, one transaction outstanding). a_ready is high while no response is due
//   (unless a test holds it low); a request whose handshake is seen in cycle a is answered
//   with d_valid in cycle a + memory_latency (default kCryptoDefaultMemoryLatency = 4, the
//   co-simulation's: request 1 + memory 2 + response 1), retired at the edge after it.
//   Get reads and Puts write at the handshake; PutPartialData writes only the masked
//   bytes. An address outside the RAM, or a word a test marked with inject_fault(),
//   answers d_error (data 0) and is not written.
// - Register host: the tlul_adapter_reg schedule, as RegHost (rtl_host.h): request in
//   cycle s, effect at edge s+1, one idle cycle; the DMA keeps being served meanwhile.
// - Observers (registered outputs, sampled right after each edge): the cycles of every
//   job_start_o and job_done_o pulse, and of every rise of intr_o. With auto_clear_done,
//   the bench writes INTR_STATE.DONE = 1 in the cycle it sees intr_o rise, so that every
//   DONE the engine raises shows as its own rise of intr_o (two cycles after the event).
// Cycle numbering as rtl_host.h. Use from one GoogleTest thread; one bench per test.
#include <cstdint>
#include <functional>
#include <gtest/gtest.h>
#include <optional>
#include <set>
#include <span>
#include <stdexcept>
#include <vector>
#include <verilated.h>

#include "Vcrypto.h"
#include "assertion_catcher.h"
#include "drivers/regs/crypto_regs.h"

namespace irqlab::rtltest {

namespace crypto = irqlab::regs::crypto;

inline constexpr std::uint32_t kMemoryBase = 0x8000'0000;
inline constexpr std::uint32_t kMemorySize = 0x0010'0000;  // 1 MiB
inline constexpr unsigned kCryptoDefaultMemoryLatency = 4;

struct DmaBeat {
  std::uint64_t handshake_cycle;
  unsigned opcode;
  std::uint32_t address;
  unsigned mask;
  std::uint32_t data;  // written (Puts) or read (Get)
  bool error;
};

class CryptoBench {
 public:
  // catch_assertions: a failing assertion is recorded (assertion_fired()) instead of
  // aborting the process; only for tests that provoke one on purpose.
  explicit CryptoBench(bool catch_assertions = false) : memory_(kMemorySize, 0) {
    if (catch_assertions) catcher_.emplace(context);
    dut.reg_req_i = 0;
    dut.reg_we_i = 0;
    dut.reg_addr_i = 0;
    dut.reg_wdata_i = 0;
    dut.dma_a_ready_i = 1;
    dut.dma_d_valid_i = 0;
    dut.dma_d_data_i = 0;
    dut.dma_d_error_i = 0;
    dut.clk_i = 0;
    dut.rst_ni = 0;
    dut.eval();
    edge();
    edge();
    dut.rst_ni = 1;
    dut.eval();
  }
  ~CryptoBench() { dut.final(); }
  CryptoBench(const CryptoBench&) = delete;
  CryptoBench& operator=(const CryptoBench&) = delete;

  std::uint64_t cycle() const { return cycle_; }

  // ---- the bench's knobs
  unsigned memory_latency = kCryptoDefaultMemoryLatency;
  bool a_ready = true;
  bool auto_clear_done = false;
  // Accesses to the word at `addr` answer d_error from now on.
  void inject_fault(std::uint32_t addr) { faults_.insert(addr & ~3u); }
  void clear_faults() { faults_.clear(); }
  // The next cycle carries a D response although no request is outstanding (a protocol
  // violation by the bus, for the assertion test).
  void spurious_response() { spurious_ = true; }
  bool assertion_fired() const { return catcher_ && catcher_->fired(); }

  // ---- memory
  std::uint8_t& mem(std::uint32_t addr) {
    if (!in_memory(addr)) throw std::out_of_range("address outside memory");
    return memory_[addr - kMemoryBase];
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
  const std::vector<std::uint8_t>& memory() const { return memory_; }

  // ---- observations
  const std::vector<std::uint64_t>& job_starts() const { return job_starts_; }
  const std::vector<std::uint64_t>& job_dones() const { return job_dones_; }
  const std::vector<std::uint64_t>& intr_rises() const { return intr_rises_; }
  const std::vector<DmaBeat>& dma() const { return dma_log_; }
  bool response_due() const { return response_due_; }

  // ---- registers
  std::uint32_t read(std::uint64_t offset) { return access(false, offset, 0); }
  void write(std::uint64_t offset, std::uint32_t value) { access(true, offset, value); }
  bool last_error() const { return last_error_; }
  std::uint64_t last_access_edge() const { return last_access_edge_; }

  // Presents a register access in the current cycle s; returns after edge s+2 (one idle
  // cycle), the read data as sampled before edge s+1.
  std::uint32_t access(bool we, std::uint64_t offset, std::uint32_t value) {
    reg_busy_ = true;
    dut.reg_req_i = 1;
    dut.reg_we_i = we;
    dut.reg_addr_i = static_cast<std::uint16_t>(offset);
    dut.reg_wdata_i = value;
    dut.eval();
    const std::uint32_t data = dut.reg_rdata_o;
    last_error_ = dut.reg_error_o;
    step();
    last_access_edge_ = cycle_;
    dut.reg_req_i = 0;
    dut.reg_we_i = 0;
    dut.reg_wdata_i = 0;
    reg_busy_ = false;
    step();
    return data;
  }

  // ---- time
  void step(unsigned n = 1) {
    for (unsigned i = 0; i < n; ++i) one_cycle();
  }
  // Steps until pred() holds (checked after each edge); fails the test after max cycles.
  bool run_until(const std::function<bool()>& pred, std::uint64_t max_cycles = 5'000'000) {
    for (std::uint64_t i = 0; i < max_cycles; ++i) {
      if (pred()) return true;
      one_cycle();
    }
    ADD_FAILURE() << "condition not reached within " << max_cycles << " cycles";
    return false;
  }
  // Steps until the engine is quiescent and no response is due.
  void settle(std::uint64_t max_cycles = 5'000'000) {
    run_until([&] { return dut.quiescent_o && !response_due_ && !clear_pending_; }, max_cycles);
  }

  VerilatedContext context;
  Vcrypto dut{&context};

 private:
  static bool in_memory(std::uint32_t addr) {
    return addr >= kMemoryBase && addr - kMemoryBase < kMemorySize;
  }

  void edge() {
    dut.clk_i = 0;
    dut.eval();
    dut.clk_i = 1;
    dut.eval();
  }

  // One cycle: drive this cycle's inputs, observe the outputs, apply the edge.
  void one_cycle() {
    const bool respond = (response_due_ && response_cycle_ == cycle_) || spurious_;
    spurious_ = false;
    dut.dma_d_valid_i = respond;
    dut.dma_d_data_i = respond ? response_data_ : 0;
    dut.dma_d_error_i = respond && response_error_;
    dut.dma_a_ready_i = a_ready && !response_due_;
    const bool clearing = clear_pending_ && !reg_busy_;
    if (clearing) {
      dut.reg_req_i = 1;
      dut.reg_we_i = 1;
      dut.reg_addr_i = static_cast<std::uint16_t>(crypto::kIntrState);
      dut.reg_wdata_i = 1u << crypto::kIntrStateDoneShift;
    }
    dut.eval();

    if (respond) response_due_ = false;
    if (dut.dma_a_valid_o && dut.dma_a_ready_i) accept_request();

    edge();
    ++cycle_;
    if (clearing) {
      dut.reg_req_i = 0;
      dut.reg_we_i = 0;
      dut.reg_wdata_i = 0;
      clear_pending_ = false;
    }
    observe_registered_outputs();
  }

  void observe_registered_outputs() {
    if (dut.job_start_o) job_starts_.push_back(cycle_);
    if (dut.job_done_o) job_dones_.push_back(cycle_);
    if (dut.intr_o && !last_intr_) {
      intr_rises_.push_back(cycle_);
      if (auto_clear_done) clear_pending_ = true;
    }
    last_intr_ = dut.intr_o;
  }

  void accept_request() {
    const std::uint32_t addr = dut.dma_a_address_o;
    const unsigned opcode = dut.dma_a_opcode_o;
    const unsigned mask = dut.dma_a_mask_o;
    const std::uint32_t data = dut.dma_a_data_o;
    // The TL-UL subset the co-simulation accepts (bridge/tlul.h).
    EXPECT_EQ(addr % 4, 0u);
    if (opcode == 4 || opcode == 0) {
      EXPECT_EQ(mask, 0xFu) << "opcode " << opcode;
    } else {
      EXPECT_TRUE(opcode == 1 && mask != 0 && mask != 0xF)
          << "opcode " << opcode << " mask " << mask;
    }
    response_error_ = !in_memory(addr) || faults_.count(addr) != 0;
    response_data_ = 0;
    if (!response_error_) {
      if (opcode == 4) {
        response_data_ = mem_read32(addr);
      } else {
        for (unsigned i = 0; i < 4; ++i)
          if (mask >> i & 1u) mem(addr + i) = static_cast<std::uint8_t>(data >> (8 * i));
      }
    }
    dma_log_.push_back(
        {cycle_, opcode, addr, mask, opcode == 4 ? response_data_ : data, response_error_});
    response_due_ = true;
    response_cycle_ = cycle_ + memory_latency;
  }

  std::uint64_t cycle_ = 0;
  std::vector<std::uint8_t> memory_;
  std::set<std::uint32_t> faults_;
  std::optional<AssertionCatcher> catcher_;
  bool spurious_ = false;
  bool response_due_ = false;
  std::uint64_t response_cycle_ = 0;
  std::uint32_t response_data_ = 0;
  bool response_error_ = false;
  bool reg_busy_ = false;
  bool clear_pending_ = false;
  bool last_error_ = false;
  std::vector<std::uint64_t> job_starts_;
  std::vector<std::uint64_t> job_dones_;
  std::vector<std::uint64_t> intr_rises_;
  bool last_intr_ = false;
  std::vector<DmaBeat> dma_log_;
  std::uint64_t last_access_edge_ = 0;
};

}  // namespace irqlab::rtltest
