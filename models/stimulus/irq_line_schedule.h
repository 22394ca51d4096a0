#pragma once
// Narrow protocol for interrupt lines driven from outside the RTL. Whoever owns the lines
// (the RTL clock) pulls each line's changes from its source one at a time and applies each
// at its cycle, so it holds one pending change per source however long the run.
#include <optional>

#include "machine/machine.h"

namespace irqlab::models {

struct LineChange {
  kernel::Cycle at = 0;
  bool level = false;
};

class LineSource {
 public:
  virtual ~LineSource() = default;
  // The next change, at a later cycle than the one before; nullopt once there is none.
  virtual std::optional<LineChange> next_change() = 0;
};

class IrqLineSchedule {
 public:
  virtual ~IrqLineSchedule() = default;
  // From now on `source` drives `line`; it must outlive the run. Its first change must not
  // be in the owner's past.
  virtual void attach_line(unsigned line, LineSource& source) = 0;
};

}  // namespace irqlab::models
