#include "rtl/clock_edge.h"

#include "Virqlab_cosim_top.h"
#include "Virqlab_cosim_top__Syms.h"
#include "verilated_config.h"

#if VERILATOR_VERSION_INTEGER == 5006000
// Verilator 5.006's ico trigger function, Virqlab_cosim_top___024root___eval_triggers__ico
// (a free function, defined in another generated file than the ___eval() that calls it), by
// its mangled name. With `--wrap=<name>` the linker sends ___eval()'s calls to the __wrap_
// symbol and gives the original the __real_ one; the reference to the original is weak, so
// a binary linked without the option (an RTL variant of `irqlab tune`) links, sees it null
// and evaluates in full.
#define IRQLAB_ICO_TRIGGERS \
  "_Z48Virqlab_cosim_top___024root___eval_triggers__icoP27Virqlab_cosim_top___024root"
extern "C" void irqlab_original_ico_triggers(Virqlab_cosim_top___024root* root) __asm__(
    "__real_" IRQLAB_ICO_TRIGGERS) __attribute__((weak));
extern "C" void irqlab_redirected_ico_triggers(Virqlab_cosim_top___024root* root) __asm__(
    "__wrap_" IRQLAB_ICO_TRIGGERS);

namespace {
// The model being evaluated without its input pass, on this thread; null otherwise.
thread_local Virqlab_cosim_top___024root* settled_inputs_root = nullptr;
}  // namespace

// Called by the model's ___eval() at the start of every ico iteration.
extern "C" void irqlab_redirected_ico_triggers(Virqlab_cosim_top___024root* root) {
  if (root == settled_inputs_root) {
    root->__VicoTriggered.clear();  // no ico iteration: the loop ends at once
    return;
  }
  irqlab_original_ico_triggers(root);
}
#endif

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

bool rising_edge_input_pass_skippable() {
#if VERILATOR_VERSION_INTEGER == 5006000
  return irqlab_original_ico_triggers != nullptr;
#else
  return false;
#endif
}

bool evaluate_rising_edge_with_settled_inputs(Virqlab_cosim_top& top) {
#if VERILATOR_VERSION_INTEGER == 5006000
  if (!rising_edge_input_pass_skippable()) return false;
  // Reset even when an assertion throws out of eval(): later evaluations run the pass.
  struct SettledInputsScope {
    explicit SettledInputsScope(Virqlab_cosim_top___024root* root) { settled_inputs_root = root; }
    ~SettledInputsScope() { settled_inputs_root = nullptr; }
    SettledInputsScope(const SettledInputsScope&) = delete;
    SettledInputsScope& operator=(const SettledInputsScope&) = delete;
  } scope(top.rootp);
  top.eval();
  return true;
#else
  (void)top;
  return false;
#endif
}

}  // namespace irqlab::cosim
