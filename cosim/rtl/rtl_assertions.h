#pragma once
// RTL assertions in the co-simulation: a failing SystemVerilog assertion of the SoC stops
// the run with the assertion, its block and the cycle, instead of aborting the process.
//
// irqlab_soc_model is Verilated with --assert (cosim/CMakeLists.txt), and its C++ files,
// Verilator's runtime among them, are compiled with
//   VL_PRINTF=irqlab_verilated_printf   (rtl/verilated_print.h): what the model prints comes
//                                        here, is kept as its last line and passed to stdout;
//   VL_USER_STOP                         Verilator's vl_stop(), which aborts the process
//                                        (the context's fatalOnError), is replaced by ours.
// In Verilator 5.006 a failing assertion prints "[<time>] %Error: <file>:<line>: Assertion
// failed in <scope>.<label>: <message>" (VL_WRITEF) and then calls VL_STOP_MT(file, line,
// "") -> vl_stop_maybe() -> vl_stop(). Our vl_stop() keeps that line, the file and the line
// number, and sets the context's gotError and gotFinish without aborting; RtlDomain checks
// gotError after every evaluation and throws RtlAssertionFailure. Everything runs on the one
// simulation thread.
#include <optional>
#include <stdexcept>
#include <string>

namespace irqlab::cosim {

struct RtlAssertionReport {
  // The model's report: "<file>:<line>: Assertion failed in <scope>.<label>: <message>".
  std::string text;
  std::string file;  // the SystemVerilog source, as Verilator names it
  int line = 0;
};

// The report of the assertion that stopped the model since the last call, and forgets it;
// nullopt if none did.
std::optional<RtlAssertionReport> take_rtl_assertion();

struct RtlAssertionFailure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace irqlab::cosim
