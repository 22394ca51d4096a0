// The rising edge without Verilator's input pass (rtl/clock_edge.h), on the Verilated SoC
// itself. That the runs' outputs do not change is TimeModel.ElidedEvaluationsChangeNoOutput's
// business; this checks that the pass is in fact left out in this build, so that the
// comparison there compares two different clocks.
#include "rtl/clock_edge.h"

#include <gtest/gtest.h>

#include "Virqlab_cosim_top.h"
#include "verilated.h"

namespace irqlab::cosim {
namespace clock_edge_test {

TEST(ClockEdge, RisingEdgeLeavesOutOnlyTheInputPass) {
  // The project builds with Verilator 5.006 and links the redirection into every binary
  // that has an RTL clock (cosim/CMakeLists.txt).
  ASSERT_TRUE(rising_edge_input_pass_skippable());
  VerilatedContext context;
  Virqlab_cosim_top top(&context);
  top.clk_i = 1;
  top.rst_ni = 1;
  top.eval();
  top.rst_ni = 0;
  top.eval();
  top.rst_ni = 1;
  top.tl_d_ready_i = 1;
  top.eval();
  // The bus adapter's quiescent_o = !a_valid_i && !d_valid_q (rtl/bus/tlul_adapter_reg.sv),
  // combinational in the input: after reset, with no request, the SoC is quiescent.
  ASSERT_EQ(top.quiescent_o, 1U);
  // A request appears with the clock held high (no edge, so no flop moves). Against the
  // function's precondition, on purpose: only the input pass can see the new input.
  top.tl_a_valid_i = 1;
  ASSERT_TRUE(evaluate_rising_edge_with_settled_inputs(top));
  EXPECT_EQ(top.quiescent_o, 1U) << "the input pass ran";
  top.eval();
  EXPECT_EQ(top.quiescent_o, 0U) << "a whole evaluation sees the request";
  // The redirection is for that one evaluation: the next ones run the pass.
  top.tl_a_valid_i = 0;
  top.eval();
  EXPECT_EQ(top.quiescent_o, 1U);
}

}  // namespace clock_edge_test
}  // namespace irqlab::cosim
