#pragma once
// The falling clock edge without an evaluation.
//
// irqlab's RTL clock evaluates the model twice per cycle: with the clock low (the inputs
// of the cycle, applied at the falling edge) and at the rising edge. When no input has
// changed since the last evaluation, the low evaluation recomputes what the rising one
// already settled: Verilator's combinational logic is a function of the inputs and the
// flops, neither has changed, and no block is sensitive to the falling edge. It only
// records the clock's low level, which the next evaluation needs to see a rising edge:
// Verilator 5.006 detects an edge by comparing clk_i with the value it saw at the previous
// evaluation, and an evaluation marks the model as active for the next wave sample, which
// then records the clock's fall. record_clock_low() makes both marks directly, so the
// caller may skip the evaluation.
//
// This reads the model's internals, so it is compiled with each Verilated model (the seam,
// cosim/CMakeLists.txt).

class Virqlab_cosim_top___024root;

namespace irqlab::cosim {

// Records, as an evaluation with clk_i = 0 would, that the clock was low. Returns false
// (and records nothing) when this Verilator's edge detector is not the one known here:
// the caller must then evaluate. Call with clk_i set to 0, between evaluations, when no
// input has changed since the last one.
bool record_clock_low(Virqlab_cosim_top___024root& root);

}  // namespace irqlab::cosim
