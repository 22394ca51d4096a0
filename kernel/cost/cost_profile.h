#pragma once
// The cost model: every cycle the kernel spends is a named parameter of a cost profile,
// loaded from YAML (scenarios/costs/*.yaml), never a literal in kernel code.
#include <span>
#include <string_view>

#include "machine/machine.h"

namespace irqlab::kernel {

struct CostProfile {
  Cycle trap_entry = 0;    // save the interrupted context's registers, vector to the trap handler
  Cycle trap_exit = 0;     // restore registers, return from trap
  Cycle irq_dispatch = 0;  // after a claim: look up and call the registered handler
  Cycle tick_handler = 0;  // periodic timer tick body (time keeping, accounting)
  Cycle boot = 0;          // per-hart boot code before the first driver access
};

struct CostField {
  std::string_view name;
  Cycle CostProfile::*member;
  std::string_view meaning;
};

// Every field of CostProfile with its name in the YAML file; loaders and docs use it.
std::span<const CostField> cost_fields();

}  // namespace irqlab::kernel
