#pragma once
// The event stream as debug log lines ("hart 1: HandlerStart 0x10 0x0", "announce
// AnnounceLwp 3 worker"). In the run's sink list only when the log level is debug or
// lower (run/runner.cpp), so it costs nothing otherwise.
#include "run/run_sink.h"

namespace irqlab::cosim {

class TraceLog : public RunSink {
 public:
  void begin(const RunInfo&) override {}
  void record(const kernel::TraceEvent& event) override;
  void end(RunSummary&) override {}
};

}  // namespace irqlab::cosim
