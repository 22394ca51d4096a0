#pragma once
// How harts meet the rest of the platform in time: a policy object, separate from the
// CPU model (as qbox separates its sync policies from its models). The co-simulation's
// lazy RTL clock implements it (cosim/sync/lazy_clock.h); a plain SystemC platform
// could implement it with wait() alone.
#include "cpu/instruction_boundaries.h"
#include "machine/machine.h"

namespace irqlab::models {

using kernel::Cycle;

class HartSync {
 public:
  virtual ~HartSync() = default;
  virtual Cycle now() const = 0;
  // Spend n cycles on `hart` with its interrupts masked; returns at now + n with the
  // platform caught up.
  virtual void advance(unsigned hart, Cycle n) = 0;
  // Spend up to n cycles on `hart` with its interrupts open: returns early, at the first
  // instruction boundary at which its interrupt line is high (at once if it is high now).
  // Returns the cycles spent.
  virtual Cycle advance_interruptible(unsigned hart, Cycle n, InstructionBoundaries& boundaries) = 0;
  // Level of the hart's external interrupt line at the hart's current cycle.
  virtual bool irq_line(unsigned hart) = 0;
  // Sleep until the hart's interrupt line is high; returns at that exact cycle.
  virtual void wait_irq(unsigned hart) = 0;
};

}  // namespace irqlab::models
