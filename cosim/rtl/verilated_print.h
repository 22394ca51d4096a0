/* Forced into every C++ file of the co-simulation's Verilated model and its Verilator
   runtime (cosim/CMakeLists.txt), which are compiled with VL_PRINTF=irqlab_verilated_printf:
   whatever the model prints comes to cosim/rtl/rtl_assertions.cpp. Plain declarations only. */
#pragma once
int irqlab_verilated_printf(const char* format, ...);
