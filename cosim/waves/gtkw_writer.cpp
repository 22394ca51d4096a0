#include "waves/gtkw_writer.h"

#include <fstream>
#include <stdexcept>
#include <string>

namespace irqlab::cosim {

namespace {

constexpr const char* kTop = "TOP.irqlab_cosim_top.";

void group(std::ofstream& out, const std::string& name, std::initializer_list<std::string> signals) {
  out << "@800200\n-" << name << "\n@28\n";
  for (const std::string& s : signals) {
    const bool bus = s.find('[') != std::string::npos;
    out << (bus ? "@22\n" : "@28\n") << kTop << s << "\n";
  }
  out << "@1000200\n-" << name << "\n";
}

}  // namespace

void write_gtkw(const std::filesystem::path& gtkw, const std::filesystem::path& fst, unsigned harts,
                std::uint64_t clock_period_ps) {
  std::ofstream out(gtkw);
  out << "[*] irqlab waves: interrupt sources, PLIC, per-hart interrupt line and kernel state\n";
  out << "[dumpfile] \"" << std::filesystem::absolute(fst).string() << "\"\n";
  out << "[timestart] 0\n";
  out << "*" << -static_cast<double>(clock_period_ps) / 1000.0 << " 0\n";  // zoom near one cycle
  group(out, "interrupt sources",
        {"clk_i", "ext_irq_i[15:0]", "irq_src_o[31:0]", "plic_ip_o[31:0]", "irq_o[3:0]"});
  for (unsigned h = 0; h < harts; ++h) {
    const std::string p = "g_hart[" + std::to_string(h) + "].u_kernel.";
    group(out, "hart " + std::to_string(h), {p + "activity[1:0]", p + "in_irq", p + "handler[7:0]"});
  }
  group(out, "register bus",
        {"tl_a_valid_i", "tl_a_ready_o", "tl_a_opcode_i[2:0]", "tl_a_address_i[31:0]", "tl_a_data_i[31:0]",
         "tl_d_valid_o", "tl_d_data_o[31:0]", "tl_d_error_o"});
  if (!out) throw std::runtime_error("cannot write " + gtkw.string());
}

}  // namespace irqlab::cosim
