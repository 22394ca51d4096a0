#include "rtl/clock_edge.h"

#include "Virqlab_cosim_top__Syms.h"
#include "verilated_config.h"

namespace irqlab::cosim {

bool record_clock_low(Virqlab_cosim_top___024root& root) {
#if VERILATOR_VERSION_INTEGER == 5006000
  // Verilator 5.006's trigger: posedge clk_i = clk_i & ~__Vtrigrprev__TOP__clk_i, the
  // previous value updated at every evaluation (eval_triggers__act). Other versions name
  // and compute it differently; they evaluate the falling edge instead.
  root.__Vtrigrprev__TOP__clk_i = 0;
  // An evaluation also tells the trace that something may have changed: without it the
  // next wave sample compares nothing and the clock's fall would be missing. The groups of
  // signals an evaluation marks as recomputed stay unmarked: none of them has changed.
  root.vlSymsp->__Vm_activity = true;
  return true;
#else
  (void)root;
  return false;
#endif
}

}  // namespace irqlab::cosim
