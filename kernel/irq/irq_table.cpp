#include "irq/irq_table.h"

#include <stdexcept>
#include <string>

namespace irqlab::kernel {

IrqTable::IrqTable(Machine& machine, Tracer& tracer, const CostProfile& costs, unsigned sources)
    : machine_(machine), tracer_(tracer), costs_(costs), handlers_(sources) {}

void IrqTable::request_irq(unsigned source, IrqHandler handler) {
  const std::string who = "request_irq(" + std::to_string(source) + "): ";
  if (source == 0) throw std::invalid_argument(who + "source 0 is reserved by the PLIC");
  if (source >= handlers_.size())
    throw std::invalid_argument(who + "source out of range (PLIC has sources 1.." +
                                std::to_string(handlers_.size() - 1) + ")");
  if (!handler) throw std::invalid_argument(who + "empty handler");
  if (handlers_[source]) throw std::invalid_argument(who + "source already has a handler");
  handlers_[source] = std::move(handler);
}

void IrqTable::dispatch(unsigned source) {
  const unsigned cpu = machine_.cpu_id();
  machine_.consume(costs_.irq_dispatch);
  if (source >= handlers_.size() || !handlers_[source]) {
    tracer_.emit(machine_.now(), cpu, TraceKind::Unhandled, source);
    return;
  }
  tracer_.emit(machine_.now(), cpu, TraceKind::HandlerStart, source);
  handlers_[source](source);
  tracer_.emit(machine_.now(), cpu, TraceKind::HandlerEnd, source);
}

}  // namespace irqlab::kernel
