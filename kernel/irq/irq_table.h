#pragma once
// Interrupt handler registry and dispatch.
//
// One handler per PLIC source, registered with request_irq() before the harts boot
// (the registry is never changed while interrupts can be taken). The interrupt
// controller driver calls dispatch() for every ID it claims, on the interrupted hart,
// with interrupts disabled:
//
//   consume(irq_dispatch)          look up and call
//   HandlerStart (T2)              first cycle of the handler's first step
//   handler(source)                spends its own cycles through the Machine
//   HandlerEnd
//
// A claimed source without a handler spends irq_dispatch, emits Unhandled (counted
// from the stream, trace/stream_counters.h); the driver still completes it so the gateway can forward the next request.
#include <functional>
#include <vector>

#include "cost/cost_profile.h"
#include "machine/machine.h"
#include "trace/trace.h"

namespace irqlab::kernel {

// Runs on the hart that claimed `source`, inside the trap.
using IrqHandler = std::function<void(unsigned source)>;

class IrqTable {
 public:
  // `sources` counts PLIC source IDs including the reserved ID 0.
  IrqTable(Machine& machine, Tracer& tracer, const CostProfile& costs, unsigned sources);

  // Throws std::invalid_argument for source 0, a source out of range, an empty handler,
  // or a source that already has a handler.
  void request_irq(unsigned source, IrqHandler handler);

  void dispatch(unsigned source);

 private:
  Machine& machine_;
  Tracer& tracer_;
  const CostProfile& costs_;
  std::vector<IrqHandler> handlers_;
};

}  // namespace irqlab::kernel
