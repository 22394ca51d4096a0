#pragma once
// Interrupt latency per source, from the RTL's and the kernel's cycle-stamped events.
//
// T0: the cycle a source's request is presented to the PLIC gateway (the line asserted
//     at the PLIC input; for a level source that re-pends, the completing cycle).
// T1: the first cycle of the trap entry on the hart that took the interrupt.
// T2: the first cycle of the driver's handler for that source.
// Each request the PLIC takes is claimed exactly once, so requests and handler starts
// pair in order per source. Edges the gateway drops (while a request is pending or
// claimed) are counted as dropped, not timed.
// T3: the start of the deferred work a source's handler asked for; T3 - T0 is measured
// from the earliest request served since that work last started (raises coalesce).
//
// Each sample goes to the sample sink as it happens and into exact histograms, so
// memory stays flat however long the run.
#include <array>
#include <deque>
#include <map>
#include <optional>
#include <vector>

#include "metrics/histogram.h"
#include "metrics/sample_sink.h"
#include "rtl/rtl_domain.h"  // kMaxHarts
#include "trace/trace.h"

namespace irqlab::cosim {

struct SourceLatency {
  unsigned source = 0;
  std::uint64_t asserted = 0;  // rising edges of the line at the PLIC input
  std::uint64_t requests = 0;  // requests the gateway took
  std::uint64_t handled = 0;   // handler starts
  CycleHistogram latency;          // T2 - T0, one per latency sample
  CycleHistogram controller;       // hart's line rise - T0, for samples whose request raised it
  CycleHistogram sampling;         // T1 - line rise, for those of them the hart trapped for
  CycleHistogram trap_to_handler;  // T2 - T1, for samples the hart trapped for
  // Requests that arrived during a trap already running on the hart and were claimed by its
  // dispatch loop: their T1 precedes them, so they have no sampling or trap part.
  std::uint64_t claimed_in_running_trap = 0;
  CycleHistogram t0_to_t3;         // one per run of the source's deferred work (deferred samples)
  std::optional<Cycle> first_t0;   // the first timed request
};

// Everything it needs is on the stream: SourceLine, GatewayRequest and HartLine from the
// RTL, TrapEnter, HandlerStart, DeferStart and Unhandled from the kernel, and the source
// each deferred work serves from its AnnounceDeferred. Called through a Tracer only.
class LatencyMetrics : public kernel::TraceSink {
 public:
  explicit LatencyMetrics(SampleSink& samples) : samples_(samples) {}

  void record(const kernel::TraceEvent& event) override;

  // Per source, in source order; only sources that saw any activity.
  std::vector<SourceLatency> sources() const;
  std::uint64_t unhandled() const { return unhandled_; }

 private:
  SourceLatency& source(unsigned id);
  void add_latency(const LatencySample& sample);
  void on_handler_start(const kernel::TraceEvent& event);
  void on_deferred_start(const kernel::TraceEvent& event);

  SampleSink& samples_;
  std::map<unsigned, SourceLatency> sources_;
  std::map<unsigned, std::deque<Cycle>> open_requests_;
  std::map<std::uint32_t, unsigned> deferred_source_;
  std::map<unsigned, std::optional<Cycle>> deferred_t0_;  // per source with deferred work, until it starts
  std::array<Cycle, soc::kMaxHarts> irq_rise_{};
  std::array<Cycle, soc::kMaxHarts> trap_enter_{};
  std::uint64_t unhandled_ = 0;
};

}  // namespace irqlab::cosim
