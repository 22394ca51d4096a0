#pragma once
// Where the latency metrics hand each timed sample once it is complete, so that no sample
// has to stay in memory longer than its request is in flight (results/samples_file.h
// writes them to samples.jsonl). The points are defined in metrics/latency_metrics.h.
#include <optional>

#include "machine/machine.h"

namespace irqlab::cosim {

using kernel::Cycle;

struct LatencySample {
  unsigned source = 0;
  unsigned cpu = 0;          // the hart whose handler served it
  Cycle t0 = 0;              // request at the PLIC input
  std::optional<Cycle> irq;  // the hart's line rose for this request, at or before T1
  Cycle t1 = 0;              // trap entry, or the claim that took it in a running trap
  Cycle t2 = 0;              // handler start
  bool claimed_in_running_trap = false;
  std::optional<Cycle> t3;  // the first start of deferred work the handler raised
  std::optional<Cycle> t4;  // the switch into the first LWP the handler woke
  std::optional<Cycle> t5;  // the trap that served it returns to the interrupted context
};

struct DeferredSample {
  unsigned source;  // whose handler asked for the work
  Cycle t0;         // the earliest request served since the work last started
  Cycle t3;         // the work starts
};

// Called by LatencyMetrics through the Tracer (the simulator's one thread).
class SampleSink {
 public:
  virtual ~SampleSink() = default;
  virtual void latency(const LatencySample& sample) = 0;
  virtual void deferred(const DeferredSample& sample) = 0;
};

}  // namespace irqlab::cosim
