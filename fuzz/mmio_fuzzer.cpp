// libFuzzer target: register accesses against the Verilated SoC (rtl/soc/irqlab_soc.sv),
// built with --assert so that every SystemVerilog assertion of the RTL (bus handshake,
// PLIC, timer, IPI, NIC and crypto invariants) is checked on every cycle; a failing one
// aborts the process (Verilator's fatalOnError), which libFuzzer reports as a crash.
//
// Input: a sequence of 9-byte records, each one TL-UL access on the SoC port (driven as
// the tests' TL-UL host, tests/rtl/rtl_host.h, does) or a change of the external
// interrupt lines:
//   byte 0     bits 0-2: A opcode (any of 8: Get, PutFullData and PutPartialData are the
//              supported ones); bit 3: the address is bytes 1-4 as they are (else bytes
//              1-2, little-endian, pick a described register of cosim/soc_registers.h);
//              bits 4-6: a_mask = those 3 bits when any is set (never 0xF), else 0xF;
//              bit 7: no access, ext_irq_i = bytes 5-6 (little-endian) instead.
//   bytes 1-4  the address or the register's index (little-endian);
//   bytes 5-8  the write data (little-endian).
// The NIC's and the crypto engine's DMA and MAC ports stay idle (never ready, nothing
// received): what they start waits, as on a stalled bus.
// Contract checked (tlul_adapter_reg.sv, soc_map_test.cpp): every access is answered
// within kResponseCycles; the response carries d_error exactly when the opcode is
// unsupported, the mask is not 0xF, the address is unaligned or no register of the
// description is at it, and then reads 0.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <verilated.h>

#include "Virqlab_soc.h"
#include "rtl_host.h"
#include "soc_map.h"
#include "soc_registers.h"

namespace {

namespace soc = irqlab::cosim::soc;
using irqlab::rtltest::Clock;

constexpr std::size_t kRecord = 9;
constexpr std::size_t kMaxRecords = 256;
constexpr unsigned kResponseCycles = 16;  // the adapter answers in the next cycle

[[noreturn]] void finding(const char* what, std::uint32_t addr) {
  std::fprintf(stderr, "mmio_fuzzer: %s (address 0x%08x)\n", what, addr);
  std::abort();
}

const std::set<std::uint64_t>& described() {
  static const std::set<std::uint64_t> addresses = [] {
    std::set<std::uint64_t> out;
    for (const soc::RegisterInstance& r : soc::kRegisters) out.insert(r.address);
    return out;
  }();
  return addresses;
}

bool supported(std::uint8_t opcode) {
  return opcode == irqlab::rtltest::tl::kGet || opcode == irqlab::rtltest::tl::kPutFullData ||
         opcode == irqlab::rtltest::tl::kPutPartialData;
}

// One access on the A channel, held until accepted, then its response, bounded in cycles.
void access(Virqlab_soc& dut, Clock<Virqlab_soc>& clk, std::uint8_t opcode, std::uint32_t addr,
            std::uint8_t mask, std::uint32_t data, std::uint8_t source) {
  dut.tl_a_valid_i = 1;
  dut.tl_a_opcode_i = opcode;
  dut.tl_a_address_i = addr;
  dut.tl_a_mask_i = mask;
  dut.tl_a_data_i = data;
  dut.tl_a_source_i = source;
  dut.eval();
  unsigned waited = 0;
  while (!dut.tl_a_ready_o) {
    if (++waited > kResponseCycles) finding("request never accepted", addr);
    clk.step();
  }
  clk.step();
  dut.tl_a_valid_i = 0;
  dut.eval();
  for (waited = 0; !dut.tl_d_valid_o; ++waited) {
    if (waited > kResponseCycles) finding("no response", addr);
    clk.step();
  }
  const bool expect_error =
      !supported(opcode) || mask != 0xF || (addr & 3) != 0 || !described().contains(addr);
  if (dut.tl_d_source_o != source) finding("response with another source", addr);
  if (dut.tl_d_error_o != expect_error)
    finding(expect_error ? "no d_error where the description has no register"
                         : "d_error on a described register",
            addr);
  if (dut.tl_d_error_o && dut.tl_d_data_o != 0) finding("an error response with data", addr);
  clk.step();  // d_ready is high: this edge retires the response
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  VerilatedContext context;
  // Verilator reports a failing assertion to the thread's context, by default the first
  // one the thread used: that of an earlier input, gone by now.
  Verilated::threadContextp(&context);
  Virqlab_soc dut{&context};
  Clock<Virqlab_soc> clk{dut};
  dut.tl_a_valid_i = 0;
  dut.tl_d_ready_i = 1;
  dut.ext_irq_i = 0;
  dut.nic_clk_period_ps_i = 1000;
  dut.nic_dma_a_ready_i = 0;
  dut.nic_dma_d_valid_i = 0;
  dut.nic_mac_rx_valid_i = 0;
  dut.nic_mac_tx_ready_i = 0;
  dut.crypto_dma_a_ready_i = 0;
  dut.crypto_dma_d_valid_i = 0;
  clk.reset();

  const std::size_t records = std::min(size / kRecord, kMaxRecords);
  for (std::size_t i = 0; i < records; ++i) {
    const std::uint8_t* r = data + i * kRecord;
    const std::uint32_t word = std::uint32_t{r[1]} | std::uint32_t{r[2]} << 8 |
                               std::uint32_t{r[3]} << 16 | std::uint32_t{r[4]} << 24;
    if (r[0] & 0x80) {
      dut.ext_irq_i = static_cast<std::uint16_t>(r[5] | r[6] << 8) & ((1u << soc::kMaxExtIrqs) - 1);
      clk.step();
      continue;
    }
    const auto opcode = static_cast<std::uint8_t>(r[0] & 0x07);
    const std::uint32_t addr =
        (r[0] & 0x08) ? word
                      : static_cast<std::uint32_t>(
                            soc::kRegisters[(r[1] | r[2] << 8) % soc::kRegisters.size()].address);
    const auto mask = static_cast<std::uint8_t>((r[0] & 0x70) ? (r[0] >> 4) & 0x07 : 0x0F);
    const std::uint32_t wdata = std::uint32_t{r[5]} | std::uint32_t{r[6]} << 8 |
                                std::uint32_t{r[7]} << 16 | std::uint32_t{r[8]} << 24;
    access(dut, clk, opcode, addr, mask, wdata, static_cast<std::uint8_t>(i));
  }
  dut.final();
  return 0;
}
