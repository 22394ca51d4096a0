#include "panic.h"

namespace irqlab::kernel {

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
