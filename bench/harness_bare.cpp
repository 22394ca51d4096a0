// irqlab_bench_bare: the fastest the RTL can go. The co-simulation's --cc model of the SoC
// top, clocked from a plain C++ loop with two eval() per cycle, no CPU, kernel or SystemC;
// the line schedule is applied at the falling edge of its cycle, as irqlab's RTL clock
// does (cosim/rtl/rtl_domain.cpp). Prints the speed in irqlab's log format.
#include "Virqlab_cosim_top.h"
#include "verilated.h"

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>

#include "line_schedule.h"

namespace {

// Asynchronous reset before the first edge; cycle 0 is the reset state.
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

}  // namespace

int main(int argc, char* argv[]) {
  CLI::App app{"irqlab_bench_bare: the SoC's --cc model in a bare C++ loop (run by irqlab_bench)"};
  std::string schedule_file;
  std::uint64_t cycles = 0;
  app.add_option("--schedule", schedule_file, "line schedule file")->required();
  app.add_option("--cycles", cycles, "cycles to run")->required();
  CLI11_PARSE(app, argc, argv);

  const irqlab::bench::LineSchedule schedule = irqlab::bench::read_line_schedule(schedule_file);
  VerilatedContext context;
  Virqlab_cosim_top top(&context, "TOP");
  reset(top);

  const auto start = std::chrono::steady_clock::now();
  std::size_t next = 0;
  for (std::uint64_t cycle = 0; cycle < cycles; ++cycle) {
    if (next < schedule.size() && schedule[next].cycle == cycle) top.ext_irq_i = schedule[next++].lines;
    top.clk_i = 0;
    top.eval();
    top.clk_i = 1;
    top.eval();
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  top.final();
  std::printf("simulated %llu cycles in %.3f s (%.0f cycles/s)\n", static_cast<unsigned long long>(cycles), seconds,
              static_cast<double>(cycles) / seconds);
  return 0;
}
