#pragma once
// Lets a GoogleTest observe a failing SystemVerilog assertion of a Verilated model built
// with --assert, instead of the process aborting.
//
// Verilator 5.006 turns a failed assertion into $error -> VL_STOP_MT -> vl_stop() on the
// thread's VerilatedContext: with fatalOnError() (the default) that aborts the process,
// which is what every other RTL test relies on to fail loudly; without it, it prints the
// message and sets gotError(). Construct one per test, on the context the model was built
// with, before the first eval(); only in tests that provoke a failure on purpose.
#include <verilated.h>

namespace irqlab::rtltest {

class AssertionCatcher {
 public:
  explicit AssertionCatcher(VerilatedContext& context) : context_(context) {
    // Failures are reported to the thread's context, which is the first one the thread
    // used unless set: make it this test's.
    Verilated::threadContextp(&context_);
    context_.fatalOnError(false);
  }

  // True once any assertion of the model has failed.
  bool fired() const { return context_.gotError(); }

 private:
  VerilatedContext& context_;
};

}  // namespace irqlab::rtltest
