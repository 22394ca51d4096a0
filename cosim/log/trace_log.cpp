#include "log/trace_log.h"

#include <spdlog/spdlog.h>

namespace irqlab::cosim {

namespace {

const char* kind_name(kernel::TraceKind kind) {
  switch (kind) {
    case kernel::TraceKind::Activity: return "activity";
    case kernel::TraceKind::TrapEnter: return "trap enter";
    case kernel::TraceKind::Claim: return "claim";
    case kernel::TraceKind::HandlerStart: return "handler start";
    case kernel::TraceKind::HandlerEnd: return "handler end";
    case kernel::TraceKind::Complete: return "complete";
    case kernel::TraceKind::TrapExit: return "trap exit";
    case kernel::TraceKind::Unhandled: return "unhandled";
    case kernel::TraceKind::Switch: return "switch";
    case kernel::TraceKind::Wakeup: return "wakeup";
    case kernel::TraceKind::LockBlock: return "lock block";
    case kernel::TraceKind::IpiSend: return "ipi send";
    case kernel::TraceKind::SoftDispatch: return "soft dispatch";
  }
  return "event";
}

}  // namespace

void TraceLog::record(const kernel::TraceEvent& event) {
  spdlog::debug("hart {}: {} {}", event.cpu, kind_name(event.kind), event.arg);
}

}  // namespace irqlab::cosim
