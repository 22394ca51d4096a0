#include "waves/gtkw_writer.h"

#include <cmath>
#include <fstream>
#include <stdexcept>
#include <string>

namespace irqlab::cosim {

namespace {

constexpr const char* kTop = "TOP.irqlab_cosim_top.";
// GTKWave trace flags: hexadecimal, decimal, binary.
constexpr const char* kHex = "@22";
constexpr const char* kDecimal = "@24";
constexpr const char* kBinary = "@28";
// The opening view spans about this many cycles, starting this many before the focus.
constexpr double kViewCycles = 160;
constexpr std::uint64_t kLeadCycles = 10;
constexpr double kViewPixels = 450;  // the wave pane of GTKWave's default window
// GTKWave's zoom z shows 2^(-z - kZoomOffset) time units per pixel (measured on 3.3.118).
constexpr double kZoomOffset = 7.7;

struct Trace {
  std::string name;
  const char* format;
};

void group(std::ofstream& out, const std::string& name, std::initializer_list<Trace> traces) {
  out << "@800200\n-" << name << "\n";
  for (const Trace& t : traces) out << t.format << "\n" << kTop << t.name << "\n";
  out << "@1000200\n-" << name << "\n";
}

}  // namespace

void write_gtkw(const std::filesystem::path& gtkw, const std::filesystem::path& fst, unsigned harts,
                unsigned locks, bool nic, bool crypto, std::uint64_t clock_period_ps,
                std::optional<std::uint64_t> focus_cycle) {
  std::ofstream out(gtkw);
  out << "[*] irqlab waves: interrupt sources, PLIC, per-hart interrupt line and kernel state\n";
  out << "[*] activity: 0 idle, 1 kernel, 2 user, 3 interrupt; handler: PLIC source, 0 = none;"
         " lwp: LWP id; lock_wait: 1 + lock id; lock owner: 1 + LWP id, 0 = free\n";
  out << "[dumpfile] \"" << std::filesystem::absolute(fst).string() << "\"\n";
  // The FST counts picoseconds.
  const double zoom =
      -std::log2(kViewCycles * static_cast<double>(clock_period_ps) / kViewPixels) - kZoomOffset;
  if (focus_cycle) {
    const std::uint64_t start = *focus_cycle > kLeadCycles ? *focus_cycle - kLeadCycles : 0;
    out << "[timestart] " << start * clock_period_ps << "\n";
    out << "*" << zoom << " " << *focus_cycle * clock_period_ps << "\n";
  } else {
    out << "[timestart] 0\n*" << zoom << " -1\n";
  }
  group(out, "interrupt sources",
        {{"clk_i", kBinary},
         {"ext_irq_i[15:0]", kHex},
         {"irq_src_o[31:0]", kHex},
         {"plic_ip_o[31:0]", kHex},
         {"irq_o[3:0]", kBinary}});
  for (unsigned h = 0; h < harts; ++h) {
    const std::string p = "g_hart[" + std::to_string(h) + "].u_kernel.";
    group(out, "hart " + std::to_string(h),
          {{p + "activity[1:0]", kDecimal},
           {p + "in_irq", kBinary},
           {p + "handler[7:0]", kDecimal},
           {p + "lwp[15:0]", kDecimal},
           {p + "lock_wait[7:0]", kDecimal}});
  }
  for (unsigned l = 0; l < locks; ++l)
    group(out, "lock " + std::to_string(l),
          {{"g_lock[" + std::to_string(l) + "].u_lock.owner[15:0]", kDecimal}});
  group(out, "register bus",
        {{"tl_a_valid_i", kBinary},
         {"tl_a_ready_o", kBinary},
         {"tl_a_opcode_i[2:0]", kDecimal},
         {"tl_a_address_i[31:0]", kHex},
         {"tl_a_data_i[31:0]", kHex},
         {"tl_d_valid_o", kBinary},
         {"tl_d_data_o[31:0]", kHex},
         {"tl_d_error_o", kBinary}});
  if (nic) {
    // The NIC's interrupt state, rings, RX FIFO level in words and counters (unread values:
    // reads clear them; cosim/rtl/irqlab_cosim_top.sv), then its DMA and MAC pins.
    group(out, "nic",
          {{"nic_icr_o[7:0]", kHex},
           {"nic_ims_o[7:0]", kHex},
           {"nic_rdh_o[15:0]", kDecimal},
           {"nic_rdt_o[15:0]", kDecimal},
           {"nic_tdh_o[15:0]", kDecimal},
           {"nic_tdt_o[15:0]", kDecimal},
           {"nic_rx_fifo_level_o[15:0]", kDecimal},
           {"nic_mpc_o[31:0]", kDecimal},
           {"nic_rlec_o[31:0]", kDecimal},
           {"nic_rnbc_o[31:0]", kDecimal},
           {"nic_gprc_o[31:0]", kDecimal},
           {"nic_gptc_o[31:0]", kDecimal},
           {"nic_rx_drop_o", kBinary},
           {"nic_dma_a_valid_o", kBinary},
           {"nic_dma_a_ready_i", kBinary},
           {"nic_dma_a_opcode_o[2:0]", kDecimal},
           {"nic_dma_a_address_o[31:0]", kHex},
           {"nic_dma_d_valid_i", kBinary},
           {"nic_dma_d_data_i[31:0]", kHex},
           {"nic_dma_d_error_i", kBinary},
           {"nic_mac_rx_valid_i", kBinary},
           {"nic_mac_rx_data_i[31:0]", kHex},
           {"nic_mac_rx_last_i", kBinary},
           {"nic_mac_tx_valid_o", kBinary},
           {"nic_mac_tx_data_o[31:0]", kHex},
           {"nic_mac_tx_last_o", kBinary}});
  }
  if (crypto) {
    // The crypto engine: busy, its ring indices, interrupt state (the PLIC source is in
    // irq_src_o), the job pulses, then its DMA pins (cosim/rtl/irqlab_cosim_top.sv).
    group(out, "crypto",
          {{"crypto_busy_o", kBinary},
           {"crypto_jr_head_o[10:0]", kDecimal},
           {"crypto_jr_tail_o[10:0]", kDecimal},
           {"crypto_intr_state_o[1:0]", kBinary},
           {"crypto_halt_err_o", kBinary},
           {"crypto_job_start_o", kBinary},
           {"crypto_job_done_o", kBinary},
           {"crypto_dma_a_valid_o", kBinary},
           {"crypto_dma_a_ready_i", kBinary},
           {"crypto_dma_a_opcode_o[2:0]", kDecimal},
           {"crypto_dma_a_address_o[31:0]", kHex},
           {"crypto_dma_a_mask_o[3:0]", kBinary},
           {"crypto_dma_a_data_o[31:0]", kHex},
           {"crypto_dma_d_valid_i", kBinary},
           {"crypto_dma_d_data_i[31:0]", kHex},
           {"crypto_dma_d_error_i", kBinary}});
  }
  if (!out) throw std::runtime_error("cannot write " + gtkw.string());
}

}  // namespace irqlab::cosim
