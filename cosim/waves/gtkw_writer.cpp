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
                unsigned locks, std::uint64_t clock_period_ps, std::optional<std::uint64_t> focus_cycle) {
  std::ofstream out(gtkw);
  out << "[*] irqlab waves: interrupt sources, PLIC, per-hart interrupt line and kernel state\n";
  out << "[*] activity: 0 idle, 1 kernel, 2 user, 3 interrupt; handler: PLIC source, 0 = none;"
         " lwp: LWP id; lock_wait: 1 + lock id; lock owner: 1 + LWP id, 0 = free\n";
  out << "[dumpfile] \"" << std::filesystem::absolute(fst).string() << "\"\n";
  // The FST counts picoseconds.
  const double zoom = -std::log2(kViewCycles * static_cast<double>(clock_period_ps) / kViewPixels) - kZoomOffset;
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
          {{p + "activity[1:0]", kDecimal}, {p + "in_irq", kBinary}, {p + "handler[7:0]", kDecimal},
           {p + "lwp[15:0]", kDecimal},
           {p + "lock_wait[7:0]", kDecimal}});
  }
  for (unsigned l = 0; l < locks; ++l)
    group(out, "lock " + std::to_string(l), {{"g_lock[" + std::to_string(l) + "].u_lock.owner[15:0]", kDecimal}});
  group(out, "register bus",
        {{"tl_a_valid_i", kBinary},
         {"tl_a_ready_o", kBinary},
         {"tl_a_opcode_i[2:0]", kDecimal},
         {"tl_a_address_i[31:0]", kHex},
         {"tl_a_data_i[31:0]", kHex},
         {"tl_d_valid_o", kBinary},
         {"tl_d_data_o[31:0]", kHex},
         {"tl_d_error_o", kBinary}});
  if (!out) throw std::runtime_error("cannot write " + gtkw.string());
}

}  // namespace irqlab::cosim
