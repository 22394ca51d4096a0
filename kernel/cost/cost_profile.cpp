#include "cost/cost_profile.h"

#include <array>

namespace irqlab::kernel {

std::span<const CostField> cost_fields() {
  static constexpr std::array fields{
      CostField{"trap_entry", &CostProfile::trap_entry,
                "save the interrupted context's registers and vector to the trap handler"},
      CostField{"trap_exit", &CostProfile::trap_exit, "restore registers and return from trap"},
      CostField{"irq_dispatch", &CostProfile::irq_dispatch,
                "after a claim: look up and call the registered handler"},
      CostField{"tick_handler", &CostProfile::tick_handler,
                "periodic timer tick body (time keeping, accounting)"},
      CostField{"boot", &CostProfile::boot, "per-hart boot code before the first driver access"},
  };
  return fields;
}

}  // namespace irqlab::kernel
