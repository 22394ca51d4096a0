#pragma once
// Kernel trace events as debug log lines ("hart 1: handler 16 start"). Attached only
// when the log level is debug or lower, so it costs nothing otherwise.
#include "trace/trace.h"

namespace irqlab::cosim {

class TraceLog : public kernel::TraceSink {
 public:
  void record(const kernel::TraceEvent& event) override;
};

}  // namespace irqlab::cosim
