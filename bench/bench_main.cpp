// irqlab-bench: simulation speed of irqlab against two references, in one run.
//
//   bare Verilator loop   the SoC model stepped from a C++ loop, stimulus only: the
//                         fastest the RTL can go, with no CPU, kernel or SystemC;
//   naive SystemC harness the same model clocked by an sc_clock with an SC_METHOD woken
//                         on every clock edge, the way a --sc model is usually driven;
//   irqlab                `irqlab run` on a scenario, waves off (a child process: SystemC
//                         runs one simulation per process).
// All three apply the same pulses to the same external line. Prints cycles per second
// and the ratios; it measures, it asserts nothing.
// Verilator's headers first: after <systemc> they expect SystemC's time in the global
// namespace.
#include "Virqlab_cosim_top.h"
#include "verilated.h"

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <regex>
#include <string>
#include <systemc>

namespace {

using Clock = std::chrono::steady_clock;

// One pulse on external line 0 every `period` cycles, as a scenario's periodic stimulus.
std::uint32_t ext_lines(std::uint64_t cycle, std::uint64_t period) { return cycle % period == 0 ? 1U : 0U; }

// Asynchronous reset, as the co-simulation does it (cosim/rtl/rtl_domain.cpp).
void reset(Virqlab_cosim_top& top) {
  top.clk_i = 1;
  top.rst_ni = 1;
  top.eval();
  top.rst_ni = 0;
  top.eval();
  top.rst_ni = 1;
  top.tl_d_ready_i = 1;
  top.eval();
}

double bare_loop(std::uint64_t cycles, std::uint64_t period) {
  VerilatedContext context;
  Virqlab_cosim_top top(&context, "TOP");
  reset(top);
  const auto start = Clock::now();
  for (std::uint64_t c = 0; c < cycles; ++c) {
    top.ext_irq_i = ext_lines(c, period);
    top.clk_i = 0;
    top.eval();
    top.clk_i = 1;
    top.eval();
  }
  return static_cast<double>(cycles) / std::chrono::duration<double>(Clock::now() - start).count();
}

struct NaiveHarness : sc_core::sc_module {
  SC_HAS_PROCESS(NaiveHarness);
  NaiveHarness(const sc_core::sc_module_name& name, sc_core::sc_time period, std::uint64_t pulse_period)
      : sc_module(name), clk("clk", period), top(&context, "TOP"), pulse_period_(pulse_period) {
    reset(top);
    SC_METHOD(on_edge);
    sensitive << clk;
    dont_initialize();
  }
  void on_edge() {
    const bool high = clk.read();
    if (!high) top.ext_irq_i = ext_lines(cycle_, pulse_period_);
    top.clk_i = high;
    top.eval();
    if (high) ++cycle_;
  }
  sc_core::sc_clock clk;
  VerilatedContext context;
  Virqlab_cosim_top top;
  std::uint64_t pulse_period_;
  std::uint64_t cycle_ = 0;
};

double naive_systemc(std::uint64_t cycles, std::uint64_t period) {
  const sc_core::sc_time clock_period(10, sc_core::SC_NS);
  NaiveHarness harness("naive", clock_period, period);
  const auto start = Clock::now();
  sc_core::sc_start(static_cast<double>(cycles) * clock_period);
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return static_cast<double>(harness.cycle_) / seconds;
}

double irqlab_run(const std::string& irqlab, const std::string& scenario, std::uint64_t cycles, std::uint64_t period) {
  const std::string command = irqlab + " --log info run " + scenario + " --no-waves --out /tmp/irqlab-bench -c duration_cycles=" +
                              std::to_string(cycles) + " -c 'sources=[{source: 16, priority: 3, handler_cycles: 200, " +
                              "stimulus: {periodic: {start: 0, period: " + std::to_string(period) + ", count: " +
                              std::to_string(cycles / period) + "}}}]' 2>&1 >/dev/null";
  FILE* pipe = popen(command.c_str(), "r");
  std::string output;
  char buffer[512];
  while (pipe != nullptr && fgets(buffer, sizeof buffer, pipe) != nullptr) output += buffer;
  if (pipe == nullptr || pclose(pipe) != 0) {
    std::fprintf(stderr, "irqlab run failed:\n%s", output.c_str());
    std::exit(1);
  }
  std::smatch m;
  if (!std::regex_search(output, m, std::regex(R"(\(([0-9]+) cycles/s\))"))) {
    std::fprintf(stderr, "no speed in irqlab's log:\n%s", output.c_str());
    std::exit(1);
  }
  return std::stod(m[1]);
}

}  // namespace

int sc_main(int argc, char* argv[]) {
  CLI::App app{"irqlab-bench: irqlab's speed against the bare Verilator loop and a naive SystemC harness"};
  std::uint64_t cycles = 2'000'000;
  std::uint64_t period = 5000;
  std::string irqlab = IRQLAB_BINARY;
  std::string scenario = IRQLAB_DEFAULT_SCENARIO;
  app.add_option("--cycles", cycles, "cycles per measurement")->capture_default_str();
  app.add_option("--pulse-period", period, "cycles between stimulus pulses")->capture_default_str();
  app.add_option("--irqlab", irqlab, "irqlab binary");
  app.add_option("--scenario", scenario, "scenario for the irqlab measurement (its sources are replaced)");
  CLI11_PARSE(app, argc, argv);

  const double bare = bare_loop(cycles, period);
  const double naive = naive_systemc(cycles, period);
  const double full = irqlab_run(irqlab, scenario, cycles, period);
  std::printf("%-24s %14s %12s\n", "harness", "cycles/s", "vs bare");
  std::printf("%-24s %14.0f %12.3f\n", "bare Verilator loop", bare, 1.0);
  std::printf("%-24s %14.0f %12.3f\n", "naive SystemC harness", naive, naive / bare);
  std::printf("%-24s %14.0f %12.3f\n", "irqlab (kernel + RTL)", full, full / bare);
  std::printf("irqlab / naive SystemC: %.2f\n", full / naive);
  return 0;
}

int main(int argc, char* argv[]) {
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
  return sc_core::sc_elab_and_sim(argc, argv);
}
