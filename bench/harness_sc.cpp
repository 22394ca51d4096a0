// irqlab_bench_sc: the usual way to run Verilated RTL under SystemC, as Verilator's own
// SystemC examples do (examples/make_tracing_sc): the SoC top Verilated with --sc, every
// port bound to an sc_signal, an sc_clock on clk_i, and the model's own process evaluating
// it whenever an input changes. The stimulus is an SC_THREAD that sleeps from one line
// change to the next, so no stimulus process wakes per cycle. Prints the speed in
// irqlab's log format.
// Verilator's headers first: after <systemc> they expect SystemC in the global namespace.
#include "Virqlab_cosim_top_sc.h"
#include "verilated.h"

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <systemc>

#include "line_schedule.h"

namespace {

using irqlab::bench::LineChange;
using irqlab::bench::LineSchedule;

class LineDriver : public sc_core::sc_module {
 public:
  sc_core::sc_out<bool> rst_ni{"rst_ni"};
  sc_core::sc_out<std::uint32_t> ext_irq{"ext_irq"};

  SC_HAS_PROCESS(LineDriver);
  LineDriver(const sc_core::sc_module_name& name, sc_core::sc_time period, const LineSchedule& schedule)
      : sc_module(name), period_(period), schedule_(schedule) {
    SC_THREAD(drive);
  }

 private:
  // The clock falls at time 0 and rises mid-cycle, so a change written at cycle c's
  // start is seen by the rising edge that ends cycle c, as in the bare loop.
  void drive() {
    // Asynchronous reset in the first delta cycles, before the first rising edge.
    rst_ni.write(false);
    wait(sc_core::SC_ZERO_TIME);
    rst_ni.write(true);
    std::uint64_t cycle = 0;
    for (const LineChange& change : schedule_) {
      wait(static_cast<double>(change.cycle - cycle) * period_);
      cycle = change.cycle;
      ext_irq.write(change.lines);
    }
  }

  sc_core::sc_time period_;
  const LineSchedule& schedule_;
};

// What the SoC's ports are bound to. Inputs the bench does not drive share constant
// signals; every output has its own.
struct SocSignals {
  // Low from elaboration: the model's first evaluation (a rising edge at time 0 for its
  // clock input) must see reset, or the RTL's assertions check flops that never reset.
  sc_core::sc_signal<bool> rst_ni{"rst_ni", false};
  sc_core::sc_signal<bool> tl_d_ready{"tl_d_ready", true};
  sc_core::sc_signal<std::uint32_t> ext_irq{"ext_irq", 0};
  sc_core::sc_signal<bool> low_bit{"low_bit", false};
  sc_core::sc_signal<std::uint32_t> zero32{"zero32", 0};
  sc_core::sc_signal<std::uint64_t> zero64{"zero64", 0};
  sc_core::sc_signal<sc_dt::sc_bv<128>> zero128{"zero128"};
  sc_core::sc_signal<bool> tl_a_ready{"tl_a_ready"}, tl_d_valid{"tl_d_valid"}, tl_d_error{"tl_d_error"};
  sc_core::sc_signal<bool> quiescent{"quiescent"};
  sc_core::sc_signal<std::uint32_t> tl_d_opcode{"tl_d_opcode"}, tl_d_source{"tl_d_source"}, tl_d_data{"tl_d_data"};
  sc_core::sc_signal<std::uint32_t> irq{"irq"}, irq_src{"irq_src"}, plic_ip{"plic_ip"};
  // The NIC: its clock-period strap (the 10 ns clock below) and idle DMA and MAC inputs.
  sc_core::sc_signal<std::uint32_t> nic_clk_period_ps{"nic_clk_period_ps", 10000};
  sc_core::sc_signal<bool> nic_dma_a_valid{"nic_dma_a_valid"}, nic_dma_d_ready{"nic_dma_d_ready"};
  sc_core::sc_signal<std::uint32_t> nic_dma_a_opcode{"nic_dma_a_opcode"},
      nic_dma_a_address{"nic_dma_a_address"};
  sc_core::sc_signal<std::uint32_t> nic_dma_a_mask{"nic_dma_a_mask"},
      nic_dma_a_data{"nic_dma_a_data"};
  sc_core::sc_signal<bool> nic_mac_rx_ready{"nic_mac_rx_ready"},
      nic_mac_tx_valid{"nic_mac_tx_valid"};
  sc_core::sc_signal<std::uint32_t> nic_mac_tx_data{"nic_mac_tx_data"},
      nic_mac_tx_keep{"nic_mac_tx_keep"};
  sc_core::sc_signal<bool> nic_mac_tx_last{"nic_mac_tx_last"}, nic_rx_drop{"nic_rx_drop"};
  sc_core::sc_signal<bool> nic_rx_drop_cause{"nic_rx_drop_cause"};
  // The NIC's registers and counters the co-simulation top observes (nic_icr_o ...
  // nic_rx_fifo_level_o).
  sc_core::sc_vector<sc_core::sc_signal<std::uint32_t>> nic_observed{"nic_observed", 14};
  // The crypto engine's outputs: DMA request pins, job pulses and observed state.
  sc_core::sc_signal<bool> crypto_dma_a_valid{"crypto_dma_a_valid"},
      crypto_dma_d_ready{"crypto_dma_d_ready"};
  sc_core::sc_signal<std::uint32_t> crypto_dma_a_opcode{"crypto_dma_a_opcode"},
      crypto_dma_a_address{"crypto_dma_a_address"}, crypto_dma_a_mask{"crypto_dma_a_mask"},
      crypto_dma_a_data{"crypto_dma_a_data"};
  sc_core::sc_signal<bool> crypto_job_start{"crypto_job_start"}, crypto_job_done{"crypto_job_done"},
      crypto_halt_err{"crypto_halt_err"}, crypto_busy{"crypto_busy"};
  sc_core::sc_signal<std::uint32_t> crypto_jr_head{"crypto_jr_head"},
      crypto_jr_tail{"crypto_jr_tail"}, crypto_intr_state{"crypto_intr_state"};

  void bind(Virqlab_cosim_top_sc& top, sc_core::sc_clock& clk) {
    top.clk_i(clk);
    top.rst_ni(rst_ni);
    top.tl_a_valid_i(low_bit);
    top.tl_a_ready_o(tl_a_ready);
    top.tl_a_opcode_i(zero32);
    top.tl_a_address_i(zero32);
    top.tl_a_mask_i(zero32);
    top.tl_a_data_i(zero32);
    top.tl_a_source_i(zero32);
    top.tl_d_valid_o(tl_d_valid);
    top.tl_d_ready_i(tl_d_ready);
    top.tl_d_opcode_o(tl_d_opcode);
    top.tl_d_data_o(tl_d_data);
    top.tl_d_error_o(tl_d_error);
    top.tl_d_source_o(tl_d_source);
    top.ext_irq_i(ext_irq);
    top.irq_o(irq);
    top.irq_src_o(irq_src);
    top.plic_ip_o(plic_ip);
    top.quiescent_o(quiescent);
    top.kernel_activity_i(zero32);
    top.kernel_in_irq_i(zero32);
    top.kernel_handler_i(zero32);
    top.kernel_lwp_i(zero64);
    top.kernel_deferred_i(zero64);
    top.kernel_lock_wait_i(zero32);
    top.kernel_lock_owner_i(zero128);
    top.nic_clk_period_ps_i(nic_clk_period_ps);
    top.nic_dma_a_valid_o(nic_dma_a_valid);
    top.nic_dma_a_ready_i(low_bit);
    top.nic_dma_a_opcode_o(nic_dma_a_opcode);
    top.nic_dma_a_address_o(nic_dma_a_address);
    top.nic_dma_a_mask_o(nic_dma_a_mask);
    top.nic_dma_a_data_o(nic_dma_a_data);
    top.nic_dma_d_valid_i(low_bit);
    top.nic_dma_d_ready_o(nic_dma_d_ready);
    top.nic_dma_d_data_i(zero32);
    top.nic_dma_d_error_i(low_bit);
    top.nic_mac_rx_valid_i(low_bit);
    top.nic_mac_rx_ready_o(nic_mac_rx_ready);
    top.nic_mac_rx_data_i(zero32);
    top.nic_mac_rx_keep_i(zero32);
    top.nic_mac_rx_last_i(low_bit);
    top.nic_mac_tx_valid_o(nic_mac_tx_valid);
    top.nic_mac_tx_ready_i(low_bit);
    top.nic_mac_tx_data_o(nic_mac_tx_data);
    top.nic_mac_tx_keep_o(nic_mac_tx_keep);
    top.nic_mac_tx_last_o(nic_mac_tx_last);
    top.nic_rx_drop_o(nic_rx_drop);
    top.nic_rx_drop_cause_o(nic_rx_drop_cause);
    top.nic_icr_o(nic_observed[0]);
    top.nic_ims_o(nic_observed[1]);
    top.nic_rdh_o(nic_observed[2]);
    top.nic_rdt_o(nic_observed[3]);
    top.nic_tdh_o(nic_observed[4]);
    top.nic_tdt_o(nic_observed[5]);
    top.nic_mpc_o(nic_observed[6]);
    top.nic_rlec_o(nic_observed[7]);
    top.nic_rnbc_o(nic_observed[8]);
    top.nic_gprc_o(nic_observed[9]);
    top.nic_gptc_o(nic_observed[10]);
    top.nic_gorc_o(nic_observed[11]);
    top.nic_gotc_o(nic_observed[12]);
    top.nic_rx_fifo_level_o(nic_observed[13]);
    top.crypto_dma_a_valid_o(crypto_dma_a_valid);
    top.crypto_dma_a_ready_i(low_bit);
    top.crypto_dma_a_opcode_o(crypto_dma_a_opcode);
    top.crypto_dma_a_address_o(crypto_dma_a_address);
    top.crypto_dma_a_mask_o(crypto_dma_a_mask);
    top.crypto_dma_a_data_o(crypto_dma_a_data);
    top.crypto_dma_d_valid_i(low_bit);
    top.crypto_dma_d_ready_o(crypto_dma_d_ready);
    top.crypto_dma_d_data_i(zero32);
    top.crypto_dma_d_error_i(low_bit);
    top.crypto_job_start_o(crypto_job_start);
    top.crypto_job_done_o(crypto_job_done);
    top.crypto_jr_head_o(crypto_jr_head);
    top.crypto_jr_tail_o(crypto_jr_tail);
    top.crypto_intr_state_o(crypto_intr_state);
    top.crypto_halt_err_o(crypto_halt_err);
    top.crypto_busy_o(crypto_busy);
  }
};

}  // namespace

int sc_main(int argc, char* argv[]) {
  CLI::App app{"irqlab_bench_sc: the SoC's --sc model under SystemC (run by irqlab_bench)"};
  std::string schedule_file;
  std::uint64_t cycles = 0;
  app.add_option("--schedule", schedule_file, "line schedule file")->required();
  app.add_option("--cycles", cycles, "cycles to run")->required();
  CLI11_PARSE(app, argc, argv);

  const LineSchedule schedule = irqlab::bench::read_line_schedule(schedule_file);
  const sc_core::sc_time period(10, sc_core::SC_NS);
  sc_core::sc_clock clk("clk", period, 0.5, sc_core::SC_ZERO_TIME, false);
  SocSignals signals;
  Virqlab_cosim_top_sc top("top");
  signals.bind(top, clk);
  LineDriver driver("stimulus", period, schedule);
  driver.rst_ni(signals.rst_ni);
  driver.ext_irq(signals.ext_irq);

  // Elaboration and reset, then `cycles` rising edges (the first at half a period).
  sc_core::sc_start(sc_core::SC_ZERO_TIME);
  const auto start = std::chrono::steady_clock::now();
  sc_core::sc_start(static_cast<double>(cycles) * period);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  top.final();
  std::printf("simulated %llu cycles in %.3f s (%.0f cycles/s)\n", static_cast<unsigned long long>(cycles), seconds,
              static_cast<double>(cycles) / seconds);
  return 0;
}

// SystemC prints its banner while it starts; the bench reads this program's output.
int main(int argc, char* argv[]) {
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
  return sc_core::sc_elab_and_sim(argc, argv);
}
