#pragma once
// Where the latency metrics hand each timed sample as it happens, so that no sample
// has to stay in memory (results/samples_file.h writes them to samples.jsonl).
#include <optional>

#include "machine/machine.h"

namespace irqlab::cosim {

using kernel::Cycle;

struct LatencySample {
  unsigned source;
  unsigned cpu;
  Cycle t0;                  // request at the PLIC input
  std::optional<Cycle> irq;  // the hart's line rose for this request (none if already high)
  Cycle t1;                  // trap entry
  Cycle t2;                  // handler start
};

struct DeferredSample {
  unsigned source;  // whose handler asked for the work
  Cycle t0;         // the earliest request served since the work last started
  Cycle t3;         // the work starts
};

class SampleSink {
 public:
  virtual ~SampleSink() = default;
  virtual void latency(const LatencySample& sample) = 0;
  virtual void deferred(const DeferredSample& sample) = 0;
};

}  // namespace irqlab::cosim
