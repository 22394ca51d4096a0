// Runtime options of the sanitizer build, compiled into every executable of it
// (cmake/IrqlabSanitizers.cmake): the sanitizer runtimes call these hooks at start-up,
// before main. ASAN_OPTIONS / UBSAN_OPTIONS in the environment still override them.

extern "C" {

// LeakSanitizer is off. The co-simulation's SC_THREADs run on SystemC's coroutine stacks
// (Debian's SystemC 2.3.4 announces each switch to ASan); at exit those threads are still
// alive, suspended on stacks LeakSanitizer cannot walk, and LeakSanitizer crashes there
// instead of reporting. The fuzzers, which run no SystemC, keep leak detection on.
const char* __asan_default_options() { return "detect_leaks=0"; }

// Every UBSan report ends the process with an error (the checks are compiled recoverable
// so that suppressions work), with its stack; the suppressions list the reports of
// Verilator's FST writer runtime only (sanitize/ubsan.supp says which and why).
const char* __ubsan_default_options() {
  return "halt_on_error=1:print_stacktrace=1:suppressions=" IRQLAB_UBSAN_SUPPRESSIONS;
}

}  // extern "C"
