#include "waves/gtkw_writer.h"

#include <cmath>
#include <initializer_list>
#include <ostream>
#include <string>

#include "output/atomic_file.h"
#include "waves/wave_names.h"

namespace irqlab::cosim {

namespace {

constexpr const char* kTop = "TOP.irqlab_cosim_top.";
constexpr const char* kFilterDir = "waves-filters/";
// GTKWave trace flags (its analyzer.h): TR_RJUSTIFY 0x20 plus a number format, TR_HEX 0x02,
// TR_DEC 0x04, TR_BIN 0x08; TR_FTRANSLATED 0x2000 applies the file filter named by the
// preceding "^1 file" line; TR_BLANK 0x200 makes a comment row, with TR_GRP_BEGIN 0x800000
// or TR_GRP_END 0x1000000 a group's start or end. A trace with no number format gets the
// FST's enum table when its signal has one (GTKWave's AddTrace()).
constexpr const char* kHex = "@22";
constexpr const char* kDecimal = "@24";
constexpr const char* kBinary = "@28";
constexpr const char* kEnum = "@20";
constexpr const char* kNamed = "@2024";
constexpr const char* kComment = "@200";
constexpr const char* kGroupBegin = "@800200";
constexpr const char* kGroupEnd = "@1000200";
// The opening view spans about this many cycles, starting this many before the focus.
constexpr double kViewCycles = 160;
constexpr std::uint64_t kLeadCycles = 10;
// GTKWave's window, and the width of its wave pane in it.
constexpr unsigned kWindowWidth = 1200;
constexpr unsigned kWindowHeight = 860;
constexpr double kViewPixels = 600;
// GTKWave's zoom z shows 2^(-z - kZoomOffset) time units per pixel (measured on 3.3.118).
constexpr double kZoomOffset = 7.7;
constexpr unsigned kNamedMarkers = 26;  // A..Z

struct Trace {
  std::string name;
  const char* format;
  const char* filter = nullptr;  // with kNamed: the filter file in waves-filters/
};

void group(std::ostream& out, const std::string& name, std::initializer_list<Trace> traces) {
  out << kGroupBegin << "\n-" << name << "\n";
  for (const Trace& t : traces) {
    if (t.filter != nullptr) out << "^1 " << kFilterDir << t.filter << "\n";
    out << t.format << "\n" << kTop << t.name << "\n";
  }
  out << kGroupEnd << "\n-" << name << "\n";
}

void comment(std::ostream& out, const std::string& text) {
  out << kComment << "\n-" << text << "\n";
}

void legend(std::ostream& out, const GtkwView& view) {
  out << kGroupBegin << "\n-legend\n";
  comment(out, "activity: state by name");
  comment(out, "ids: names, waves-filters/");
  if (view.first_t0) comment(out, "marker A: 1st interrupt's T0");
  if (view.first_t2) comment(out, "marker B: its T2");
  out << kGroupEnd << "\n-legend\n";
}

void view_position(std::ostream& out, const GtkwView& view) {
  const std::uint64_t p = view.clock_period_ps;  // the FST counts picoseconds
  const double zoom = -std::log2(kViewCycles * static_cast<double>(p) / kViewPixels) - kZoomOffset;
  if (!view.first_t0) {
    out << "[timestart] 0\n*" << zoom << " -1\n";
    return;
  }
  const kernel::Cycle t0 = *view.first_t0;
  out << "[timestart] " << (t0 > kLeadCycles ? t0 - kLeadCycles : 0) * p << "\n";
  // The primary marker, then the named markers A (T0), B (T2) and the unused rest.
  out << "*" << zoom << " " << t0 * p << " " << t0 * p << " "
      << (view.first_t2 ? std::to_string(*view.first_t2 * p) : "-1");
  for (unsigned m = 2; m < kNamedMarkers; ++m) out << " -1";
  out << "\n";
}

void device_groups(std::ostream& out, const GtkwView& view) {
  using F = WaveFilterFiles;
  group(out, "interrupt sources",
        {{"clk_i", kBinary}, {"ext_irq_i[15:0]", kHex}, {"irq_src_o[31:0]", kHex}});
  group(out, "PLIC", {{"plic_ip_o[31:0]", kHex}, {"irq_o[3:0]", kBinary}});
  for (unsigned h = 0; h < view.harts; ++h) {
    const std::string p = "g_hart[" + std::to_string(h) + "].u_kernel.";
    group(out, "hart " + std::to_string(h),
          {{p + "activity[1:0]", kEnum},
           {p + "in_irq", kBinary},
           {p + "handler[7:0]", kNamed, F::kSources},
           {p + "lwp[15:0]", kNamed, F::kLwps},
           {p + "lock_wait[7:0]", kNamed, F::kLocksWaited},
           {p + "deferred[15:0]", kNamed, F::kDeferred}});
  }
  for (unsigned l = 0; l < view.locks; ++l)
    group(out, "lock " + std::to_string(l),
          {{"g_lock[" + std::to_string(l) + "].u_lock.owner[15:0]", kNamed, F::kLockOwners}});
  group(out, "timer", {{"u_soc.timer_intr[3:0]", kBinary}});
  group(out, "IPI", {{"u_soc.ipi_intr[3:0]", kBinary}});
  group(out, "register bus",
        {{"tl_a_valid_i", kBinary},
         {"tl_a_ready_o", kBinary},
         {"tl_a_opcode_i[2:0]", kNamed, F::kTlulAOpcodes},
         {"tl_a_address_i[31:0]", kHex},
         {"tl_a_data_i[31:0]", kHex},
         {"u_soc.dev_sel[4:0]", kBinary},
         {"tl_d_valid_o", kBinary},
         {"tl_d_opcode_o[2:0]", kNamed, F::kTlulDOpcodes},
         {"tl_d_data_o[31:0]", kHex},
         {"tl_d_error_o", kBinary}});
  if (view.nic) {
    // The NIC's interrupt state, rings, RX FIFO level in words and counters (unread values:
    // reads clear them; cosim/rtl/irqlab_cosim_top.sv), then its DMA and MAC pins.
    group(out, "NIC",
          {{"u_soc.nic_intr", kBinary},
           {"nic_icr_o[7:0]", kHex},
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
           {"nic_dma_a_opcode_o[2:0]", kNamed, F::kTlulAOpcodes},
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
  if (view.crypto) {
    // The crypto engine: busy, its ring indices, interrupt state (the PLIC source is in
    // irq_src_o), the job pulses, then its DMA pins (cosim/rtl/irqlab_cosim_top.sv).
    group(out, "crypto",
          {{"u_soc.crypto_intr", kBinary},
           {"crypto_busy_o", kBinary},
           {"crypto_jr_head_o[10:0]", kDecimal},
           {"crypto_jr_tail_o[10:0]", kDecimal},
           {"crypto_intr_state_o[1:0]", kBinary},
           {"crypto_halt_err_o", kBinary},
           {"crypto_job_start_o", kBinary},
           {"crypto_job_done_o", kBinary},
           {"crypto_dma_a_valid_o", kBinary},
           {"crypto_dma_a_ready_i", kBinary},
           {"crypto_dma_a_opcode_o[2:0]", kNamed, F::kTlulAOpcodes},
           {"crypto_dma_a_address_o[31:0]", kHex},
           {"crypto_dma_a_mask_o[3:0]", kBinary},
           {"crypto_dma_a_data_o[31:0]", kHex},
           {"crypto_dma_d_valid_i", kBinary},
           {"crypto_dma_d_data_i[31:0]", kHex},
           {"crypto_dma_d_error_i", kBinary}});
  }
}

}  // namespace

void write_gtkw(const std::filesystem::path& gtkw, const GtkwView& view) {
  AtomicFile file(gtkw);
  std::ostream& out = file.stream();
  out << "[*] irqlab waves; open with `irqlab waves OUTDIR` (paths are relative to OUTDIR)\n";
  out << "[dumpfile] \"waves.fst\"\n";
  out << "[size] " << kWindowWidth << " " << kWindowHeight << "\n";
  view_position(out, view);
  legend(out, view);
  device_groups(out, view);
  file.commit();
}

}  // namespace irqlab::cosim
