#include "log/trace_log.h"

#include <spdlog/spdlog.h>

#include "panic.h"

namespace irqlab::cosim {

void TraceLog::record(const kernel::TraceEvent& event) {
  spdlog::debug("hart {}: {} {:#x}", event.cpu, kernel::trace_kind_name(event.kind), event.arg);
}

}  // namespace irqlab::cosim
