#pragma once
// The clock edges without the evaluations Verilator would repeat.
//
// irqlab's RTL clock evaluates the model twice per cycle: with the clock low (the inputs
// of the cycle, applied at the falling edge) and at the rising edge. Two parts of that
// recompute what is already settled:
//
// - The falling edge when no input has changed since the last evaluation. Verilator's
//   combinational logic is a function of the inputs and the flops, neither has changed,
//   and no block is sensitive to the falling edge. The evaluation only records the clock's
//   low level, which the next evaluation needs to see a rising edge: Verilator 5.006
//   detects an edge by comparing clk_i with the value it saw at the previous evaluation,
//   and an evaluation marks the model as active for the next wave sample, which then
//   records the clock's fall. record_clock_low() makes both marks directly, so the caller
//   may skip the evaluation.
// - The input pass of the rising edge's evaluation. Verilator 5.006 starts every eval()
//   with its `ico` region: every combinational block that reads a top-level input, run
//   whole, unconditionally on the first pass. At the rising edge only clk_i has changed
//   since the last evaluation, and no combinational block reads it (clocks are edges);
//   the blocks that also read flops are run again in the `nba` region after the edge
//   changes them. So the pass recomputes the values it last computed.
//   evaluate_rising_edge_with_settled_inputs() evaluates without it: the linker redirects
//   the model's call of its ico trigger function here (--wrap, given by the seam's link
//   options, cosim/CMakeLists.txt), which reports no trigger during that one evaluation.
//   Everything else in the evaluation runs as before, the sampled values the assertions
//   read ($past, $rose) included.
//
// This reads the model's internals, so it is compiled with each Verilated model (the seam,
// cosim/CMakeLists.txt).

class Virqlab_cosim_top;
class Virqlab_cosim_top___024root;

namespace irqlab::cosim {

// Records, as an evaluation with clk_i = 0 would, that the clock was low. Returns false
// (and records nothing) when this Verilator's edge detector is not the one known here:
// the caller must then evaluate. Call with clk_i set to 0, between evaluations, when no
// input has changed since the last one.
bool record_clock_low(Virqlab_cosim_top___024root& root);

// Evaluates `top` without its input pass. Returns false (and evaluates nothing) when this
// Verilator's scheduler is not the one known here or the binary was linked without the
// redirection: the caller must then call eval(). Call with clk_i set to 1 when the last
// evaluation (or record_clock_low()) saw every other input at its present value. May
// throw what eval() throws (a failed RTL assertion).
bool evaluate_rising_edge_with_settled_inputs(Virqlab_cosim_top& top);

// Whether evaluate_rising_edge_with_settled_inputs() can skip the pass in this binary
// (5.006 and the redirection linked in). Any context.
bool rising_edge_input_pass_skippable();

}  // namespace irqlab::cosim
