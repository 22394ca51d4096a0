#pragma once
// Test harness for the Verilated `crypto` engine on its own (tests/rtl/crypto_test.cpp):
// the model plus a memory serving its DMA port, stepped together one cycle at a time.
//
// - Memory: the DMA port's memory (dma_memory.h, the bench is one), with the
//   co-simulation's latency by default (kCryptoDefaultMemoryLatency = 4: request 1 +
//   memory 2 + response 1).
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
#include <vector>
#include <verilated.h>

#include "Vcrypto.h"
#include "assertion_catcher.h"
#include "dma_memory.h"
#include "drivers/regs/crypto_regs.h"

namespace irqlab::rtltest {

namespace crypto = irqlab::regs::crypto;

inline constexpr unsigned kCryptoDefaultMemoryLatency = 4;

class CryptoBench : public DmaMemory {
 public:
  // catch_assertions: a failing assertion is recorded (assertion_fired()) instead of
  // aborting the process; only for tests that provoke one on purpose.
  explicit CryptoBench(bool catch_assertions = false) : DmaMemory(kCryptoDefaultMemoryLatency) {
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

  // ---- the bench's knobs (the memory's: DmaMemory)
  bool auto_clear_done = false;
  bool assertion_fired() const { return catcher_ && catcher_->fired(); }

  // ---- observations
  const std::vector<std::uint64_t>& job_starts() const { return job_starts_; }
  const std::vector<std::uint64_t>& job_dones() const { return job_dones_; }
  const std::vector<std::uint64_t>& intr_rises() const { return intr_rises_; }

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
    run_until([&] { return dut.quiescent_o && !response_due() && !clear_pending_; }, max_cycles);
  }

  VerilatedContext context;
  Vcrypto dut{&context};

 private:
  void edge() {
    dut.clk_i = 0;
    dut.eval();
    dut.clk_i = 1;
    dut.eval();
  }

  // One cycle: drive this cycle's inputs, observe the outputs, apply the edge.
  void one_cycle() {
    drive(dut, cycle_);
    const bool clearing = clear_pending_ && !reg_busy_;
    if (clearing) {
      dut.reg_req_i = 1;
      dut.reg_we_i = 1;
      dut.reg_addr_i = static_cast<std::uint16_t>(crypto::kIntrState);
      dut.reg_wdata_i = 1u << crypto::kIntrStateDoneShift;
    }
    dut.eval();

    observe(dut, cycle_);

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

  std::uint64_t cycle_ = 0;
  std::optional<AssertionCatcher> catcher_;
  bool reg_busy_ = false;
  bool clear_pending_ = false;
  bool last_error_ = false;
  std::vector<std::uint64_t> job_starts_;
  std::vector<std::uint64_t> job_dones_;
  std::vector<std::uint64_t> intr_rises_;
  bool last_intr_ = false;
  std::uint64_t last_access_edge_ = 0;
};

}  // namespace irqlab::rtltest
