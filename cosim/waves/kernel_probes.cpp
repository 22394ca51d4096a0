#include "waves/kernel_probes.h"

#include <stdexcept>
#include <string>

namespace irqlab::cosim {

void KernelProbes::record(const kernel::TraceEvent& event) {
  RtlDomain::KernelProbe& h = harts_[event.cpu];
  switch (event.kind) {
    case kernel::TraceKind::Activity:
      h.activity = static_cast<kernel::CpuActivity>(event.arg);
      break;
    case kernel::TraceKind::TrapEnter:
      h.in_interrupt = true;
      break;
    case kernel::TraceKind::TrapExit:
      h.in_interrupt = false;
      break;
    case kernel::TraceKind::HandlerStart:
      h.handler = event.arg;
      break;
    case kernel::TraceKind::HandlerEnd:
      h.handler = 0;
      break;
    case kernel::TraceKind::Switch:
      h.lwp = event.arg >> 8;
      break;
    default:
      return;
  }
  if (rtl_.cycle() != event.cycle)
    throw std::logic_error("kernel event at cycle " + std::to_string(event.cycle) +
                           " while the RTL stands at " + std::to_string(rtl_.cycle()));
  rtl_.set_kernel_probe(event.cpu, h);
}

}  // namespace irqlab::cosim
