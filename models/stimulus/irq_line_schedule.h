#pragma once
// Narrow protocol for interrupt lines driven from outside the RTL: whoever owns the
// lines (the RTL clock) applies each change at its cycle.
#include "machine/machine.h"

namespace irqlab::models {

class IrqLineSchedule {
 public:
  virtual ~IrqLineSchedule() = default;
  virtual void schedule_line(kernel::Cycle at, unsigned line, bool level) = 0;
};

}  // namespace irqlab::models
