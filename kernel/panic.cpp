#include "panic.h"

namespace irqlab::kernel {

const char* trace_kind_name(TraceKind kind) {
  switch (kind) {
    case TraceKind::Activity: return "Activity";
    case TraceKind::TrapEnter: return "TrapEnter";
    case TraceKind::Claim: return "Claim";
    case TraceKind::HandlerStart: return "HandlerStart";
    case TraceKind::HandlerEnd: return "HandlerEnd";
    case TraceKind::Complete: return "Complete";
    case TraceKind::TrapExit: return "TrapExit";
    case TraceKind::Unhandled: return "Unhandled";
    case TraceKind::Switch: return "Switch";
    case TraceKind::Wakeup: return "Wakeup";
    case TraceKind::LockBlock: return "LockBlock";
    case TraceKind::IpiSend: return "IpiSend";
    case TraceKind::SoftDispatch: return "SoftDispatch";
    case TraceKind::LockWait: return "LockWait";
    case TraceKind::LockAcquire: return "LockAcquire";
    case TraceKind::LockRelease: return "LockRelease";
    case TraceKind::DeferRaise: return "DeferRaise";
    case TraceKind::DeferStart: return "DeferStart";
    case TraceKind::DeferEnd: return "DeferEnd";
  }
  return "?";
}

std::string PanicLog::recent() const {
  std::string out;
  const std::size_t count = next_ < ring_.size() ? next_ : ring_.size();
  for (std::size_t i = next_ - count; i < next_; ++i) {
    const TraceEvent& e = ring_[i % ring_.size()];
    out += "    cycle " + std::to_string(e.cycle) + " cpu " + std::to_string(e.cpu) + " " +
           trace_kind_name(e.kind) + " " + std::to_string(e.arg) + "\n";
  }
  return out;
}

}  // namespace irqlab::kernel
