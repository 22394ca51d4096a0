#include "log/trace_log.h"

#include <spdlog/spdlog.h>

namespace irqlab::cosim {

void TraceLog::record(const kernel::TraceEvent& event) {
  if (kernel::is_announcement(event.kind))
    spdlog::debug("announce {} {} {} {:#x}", kernel::trace_kind_name(event.kind), event.arg, event.name, event.arg2);
  else
    spdlog::debug("hart {}: {} {:#x} {:#x}", event.cpu, kernel::trace_kind_name(event.kind), event.arg, event.arg2);
}

}  // namespace irqlab::cosim
