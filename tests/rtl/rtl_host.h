#pragma once
// Header-only helpers to drive Verilated irqlab RTL models from GoogleTest, cycle by cycle.
//
// Cycle numbering (same as docs/rtl.md): "cycle c" is the clock period that follows rising
// edge c. After Clock::reset() the model is in cycle 0; step() applies edge cycle()+1.
// Inputs are changed between edges (i.e. "in cycle c"), outputs are sampled after an
// edge, so a value read after step() is the value during cycle cycle().
#include <cstdint>

namespace irqlab::rtltest {

template <class Dut>
class Clock {
 public:
  explicit Clock(Dut& dut) : dut_(dut) {}

  // Asynchronous reset held over two edges, released in the new cycle 0.
  void reset() {
    dut_.clk_i = 0;
    dut_.rst_ni = 0;
    dut_.eval();
    edge();
    edge();
    dut_.rst_ni = 1;
    dut_.eval();
    cycle_ = 0;
  }

  // Apply n rising edges.
  void step(unsigned n = 1) {
    for (unsigned i = 0; i < n; ++i) edge();
  }

  // Re-evaluate combinational logic after changing inputs inside a cycle.
  void settle() { dut_.eval(); }

  uint64_t cycle() const { return cycle_; }

 private:
  void edge() {
    dut_.clk_i = 0;
    dut_.eval();
    dut_.clk_i = 1;
    dut_.eval();
    ++cycle_;
  }

  Dut& dut_;
  uint64_t cycle_ = 0;
};

struct RegRsp {
  uint32_t data = 0;
  bool error = false;
  uint64_t edge = 0;  // the edge at which the access took effect
};

// Simple register bus master (reg_req_i/reg_we_i/reg_addr_i/reg_wdata_i ->
// reg_rdata_o/reg_error_o), for block-level tests of plic, timer and ipi. It reproduces the
// tlul_adapter_reg schedule exactly: request in cycle s, takes effect at edge s+1 (read data
// and error sampled just before that edge), then one idle cycle, so the call returns in
// cycle s+2 -- the first cycle in which the adapter could present the next access.
template <class Dut>
class RegHost {
 public:
  RegHost(Dut& dut, Clock<Dut>& clk) : dut_(dut), clk_(clk) {}

  RegRsp write(uint32_t addr, uint32_t data) { return access(true, addr, data); }
  RegRsp read(uint32_t addr) { return access(false, addr, 0); }
  uint32_t rd(uint32_t addr) { return read(addr).data; }

  RegRsp access(bool we, uint32_t addr, uint32_t wdata) {
    dut_.reg_req_i = 1;
    dut_.reg_we_i = we;
    dut_.reg_addr_i = addr;
    dut_.reg_wdata_i = wdata;
    dut_.eval();
    RegRsp rsp;
    rsp.data = dut_.reg_rdata_o;
    rsp.error = dut_.reg_error_o;
    clk_.step();
    rsp.edge = clk_.cycle();
    dut_.reg_req_i = 0;
    dut_.reg_we_i = 0;
    dut_.reg_wdata_i = 0;
    dut_.eval();
    clk_.step();
    return rsp;
  }

 private:
  Dut& dut_;
  Clock<Dut>& clk_;
};

namespace tl {
constexpr uint8_t kPutFullData = 0;
constexpr uint8_t kPutPartialData = 1;
constexpr uint8_t kGet = 4;
constexpr uint8_t kAccessAck = 0;
constexpr uint8_t kAccessAckData = 1;
}  // namespace tl

struct TlRsp {
  uint32_t data = 0;
  bool error = false;
  uint8_t opcode = 0;
  uint8_t source = 0;
  uint64_t request_cycle = 0;  // cycle s in which a_valid was first presented
  uint64_t accept_edge = 0;    // edge at which a_valid && a_ready was sampled
  uint64_t response_cycle = 0; // cycle in which d_valid && d_ready was seen
  uint64_t retire_edge = 0;    // edge that retired the response
};

// TL-UL subset host on the SoC port (tl_a_* / tl_d_*). d_ready is held high.
template <class Dut>
class TlulHost {
 public:
  TlulHost(Dut& dut, Clock<Dut>& clk) : dut_(dut), clk_(clk) { dut_.tl_d_ready_i = 1; }

  TlRsp write(uint32_t addr, uint32_t data, uint8_t mask = 0xF) {
    return access(tl::kPutFullData, addr, data, mask);
  }
  TlRsp read(uint32_t addr) { return access(tl::kGet, addr, 0, 0xF); }
  uint32_t rd(uint32_t addr) { return read(addr).data; }

  // Drive the A channel in the current cycle (no edge applied).
  void present(uint8_t opcode, uint32_t addr, uint32_t data, uint8_t mask, uint8_t source) {
    dut_.tl_a_valid_i = 1;
    dut_.tl_a_opcode_i = opcode;
    dut_.tl_a_address_i = addr;
    dut_.tl_a_data_i = data;
    dut_.tl_a_mask_i = mask;
    dut_.tl_a_source_i = source;
    dut_.eval();
  }
  void idle() {
    dut_.tl_a_valid_i = 0;
    dut_.eval();
  }

  // Full access: hold a_valid until accepted, then wait for and retire the response.
  TlRsp access(uint8_t opcode, uint32_t addr, uint32_t data, uint8_t mask) {
    TlRsp rsp;
    rsp.request_cycle = clk_.cycle();
    present(opcode, addr, data, mask, next_source_);
    bool accepted = false;
    while (!accepted) {
      accepted = dut_.tl_a_ready_o;
      clk_.step();
    }
    rsp.accept_edge = clk_.cycle();
    idle();
    while (!dut_.tl_d_valid_o) clk_.step();
    rsp.response_cycle = clk_.cycle();
    rsp.data = dut_.tl_d_data_o;
    rsp.error = dut_.tl_d_error_o;
    rsp.opcode = dut_.tl_d_opcode_o;
    rsp.source = dut_.tl_d_source_o;
    clk_.step();  // d_ready is high: this edge retires the response
    rsp.retire_edge = clk_.cycle();
    next_source_ = static_cast<uint8_t>(next_source_ + 1);
    return rsp;
  }

 private:
  Dut& dut_;
  Clock<Dut>& clk_;
  uint8_t next_source_ = 0x10;
};

}  // namespace irqlab::rtltest
