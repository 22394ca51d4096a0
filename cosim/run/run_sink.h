#pragma once
// A sink of the run's event stream (kernel/trace/trace.h) with a life cycle: the runner
// (run/runner.cpp) builds the list of sinks the scenario and command line turn on, in one
// place, attaches them to the run's Tracer, and calls
//   begin(info)      once, before the kernel is built and the RTL steps
//   record(event)    for every event, kernel and RTL, as it happens
//   end(summary)     once, after the simulation stopped and the waves are closed, in the
//                    order the sinks were listed; a sink whose output failed marks the
//                    summary failed, and later sinks see that.
// A sink that is off is not in the list: it costs nothing.
#include <filesystem>
#include <optional>
#include <string>

#include "kernel.h"
#include "scenario/scenario.h"

namespace irqlab::cosim {

struct RunInfo {
  const Scenario& scenario;
  std::filesystem::path out_dir;
};

struct RunSummary {
  bool ok = true;
  std::optional<std::string> error;
  kernel::Cycle simulated_cycles = 0;
  // What the stream does not carry: per-lock times, deferred latency, ticks (and the
  // counters derived from the stream, trace/stream_counters.h, for convenience).
  kernel::KernelStats kernel;
  void fail(std::string reason) {
    if (!ok) return;  // the first failure is the one reported
    ok = false;
    error = std::move(reason);
  }
};

class RunSink : public kernel::TraceSink {
 public:
  virtual void begin(const RunInfo& info) = 0;
  virtual void end(RunSummary& summary) = 0;
};

}  // namespace irqlab::cosim
