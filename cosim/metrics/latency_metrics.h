#pragma once
// Interrupt latency per source, from the RTL's and the kernel's cycle-stamped events.
//
// The points of one request (research/kernel-semantics.md §5; docs/results-schema.md):
// T0: the cycle a source's request is presented to the PLIC gateway (the line asserted
//     at the PLIC input; for a level source that re-pends, the completing cycle).
// T1: the first cycle of the trap entry on the hart that took the interrupt; for a
//     request claimed by a trap already open when it came (entered before the hart's
//     line rose for it, or before T0 when the line was already high), the cycle its
//     Claim returned in that trap's dispatch loop: the hart takes it there.
// T2: the first cycle of the driver's handler for that source.
// T3: the first start (DeferStart) of deferred work the handler raised (DeferRaise while
//     the handler ran), after the raise; none when it raised none.
// T4: the first switch into an LWP the handler woke (Wakeup while the handler ran, of an
//     LWP not current on any hart); the Switch event's cycle, where the switch into the
//     LWP starts: its first instruction follows after the switch's cost. None when the
//     handler woke none.
// T5: the TrapExit of the trap that served it: back in the interrupted context (which
//     may be later and on another hart, when the interrupted LWP was preempted).
// Each request the PLIC takes is claimed exactly once, so requests and handler starts
// pair in order per source. Every part is an ordered difference: irq is taken only when
// T0 <= irq <= T1, so controller (irq - T0), sampling (T1 - irq) and trap_to_handler
// (T2 - T1) add up to T2 - T0, and T0 <= T1 <= T2 holds by construction.
//
// Traps are tracked per LWP (a stack of open traps: traps nest, and a preempted LWP
// leaves its trap open until it resumes), with the LWP current on each hart from the
// Switch events. A sample is handed to the sample sink when its T5 and the T3/T4 it
// waits for are known (or at the end of the run), in handler-start order.
// Deferred-work latency per work item: T3 - T0 from the earliest request of the work's
// source served since the work last started (raises coalesce).
// Gateway drops: a rising source line the gateway took no request for in its cycle,
// by the source's state then: a request pending (not yet claimed) or one in service
// (claimed, not yet completed).
// Handler blocking: LockWait to LockAcquire of an LWP while a handler runs on it.
//
// Memory: exact histograms (metrics/histogram.h: bounded by the values' spread), the open
// traps and the samples still in flight; flat in the length of the run.
#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "metrics/histogram.h"
#include "metrics/sample_sink.h"
#include "soc_map.h"  // kMaxHarts
#include "trace/trace.h"

namespace irqlab::cosim {

// Rising edges at the PLIC input that the gateway did not take, by the source's state.
struct GatewayDrops {
  std::uint64_t while_pending = 0;     // a request of the source not yet claimed
  std::uint64_t while_in_service = 0;  // claimed, completion not yet written
};

struct SourceLatency {
  unsigned source = 0;
  std::uint64_t asserted = 0;  // rising edges of the line at the PLIC input
  std::uint64_t requests = 0;  // requests the gateway took
  std::uint64_t handled = 0;   // handler starts
  GatewayDrops dropped;
  CycleHistogram latency;          // T2 - T0, one per latency sample
  std::map<unsigned, CycleHistogram> latency_per_cpu;  // T2 - T0 by the hart that served it
  CycleHistogram controller;       // irq - T0, for samples whose request raised the line
  CycleHistogram sampling;         // T1 - irq, for those samples
  CycleHistogram trap_to_handler;  // T2 - T1, every sample
  // Requests claimed by a trap that was already open (their T1 is the claim).
  std::uint64_t claimed_in_running_trap = 0;
  CycleHistogram t0_to_t3;         // one per run of the source's deferred work (deferred samples)
  CycleHistogram handler_blocked;  // each lock wait inside the source's handler, in cycles
  std::optional<Cycle> first_t0;   // the first timed request
};

// Called through a Tracer only (the simulator's one thread); finish() once after the run.
class LatencyMetrics : public kernel::TraceSink {
 public:
  explicit LatencyMetrics(SampleSink& samples) : samples_(samples) {}

  void record(const kernel::TraceEvent& event) override;
  // Hands the samples still waiting for a point to the sink (without it) and counts the
  // last edges; call once, after the last event.
  void finish();

  // Per source, in source order; only sources that saw any activity.
  std::vector<SourceLatency> sources() const;
  std::uint64_t unhandled() const { return unhandled_; }
  // T2 - T0 of every sample by the hart that handled it (all sources).
  const std::array<CycleHistogram, soc::kMaxHarts>& latency_per_hart() const { return per_hart_; }
  // T3 - T0 per deferred work id (only works that ran for a request).
  const std::map<std::uint32_t, CycleHistogram>& deferred_latency() const { return work_latency_; }
  // LockWait to LockAcquire, per lock id (registration order).
  const std::map<std::uint32_t, CycleHistogram>& lock_blocked() const { return lock_blocked_; }

 private:
  struct OpenTrap {
    Cycle enter = 0;
    std::optional<Cycle> claim;            // the latest claim of this trap
    std::optional<Cycle> rise_at_claim;    // the hart's latest line rise up to that claim
    std::optional<std::uint64_t> handler;  // the sample whose handler runs now
    std::vector<std::uint64_t> served;     // samples waiting for this trap's exit (T5)
  };
  struct Pending {
    LatencySample sample;
    bool raised = false;  // waits for T3
    bool woke = false;    // waits for T4
  };
  struct SourceState {
    std::uint64_t unclaimed = 0;                 // requests taken, not yet claimed
    std::uint64_t in_service = 0;                // claimed, not yet completed
    std::optional<std::pair<Cycle, bool>> edge;  // an edge not yet taken: (cycle, while pending)
  };
  struct Wait {
    Cycle since;
    std::optional<unsigned> handler_source;
  };

  SourceLatency& source(unsigned id);
  OpenTrap* open_trap(unsigned cpu);
  Pending* pending(std::uint64_t sequence);
  void on_source_line(const kernel::TraceEvent& event);
  void on_gateway_request(const kernel::TraceEvent& event);
  void settle_edge(unsigned source);
  void on_claim(const kernel::TraceEvent& event);
  void on_handler_start(const kernel::TraceEvent& event);
  void on_trap_exit(const kernel::TraceEvent& event);
  void on_defer_raise(const kernel::TraceEvent& event);
  void on_deferred_start(const kernel::TraceEvent& event);
  void on_wakeup(const kernel::TraceEvent& event);
  void on_switch(const kernel::TraceEvent& event);
  void on_lock_wait(const kernel::TraceEvent& event);
  void on_lock_acquire(const kernel::TraceEvent& event);
  void add_latency(const LatencySample& sample);
  void flush(bool all);

  SampleSink& samples_;
  std::map<unsigned, SourceLatency> sources_;
  std::map<unsigned, SourceState> source_state_;
  std::map<unsigned, std::deque<Cycle>> open_requests_;
  std::map<std::uint32_t, unsigned> deferred_source_;          // work -> the source it serves
  std::map<std::uint32_t, std::optional<Cycle>> deferred_t0_;  // work -> T0 until it starts
  std::map<std::uint32_t, CycleHistogram> work_latency_;
  std::map<std::uint32_t, CycleHistogram> lock_blocked_;
  std::map<std::pair<std::uint32_t, std::uint32_t>, Wait> waits_;  // (lock, lwp)
  std::array<CycleHistogram, soc::kMaxHarts> per_hart_;
  std::array<std::optional<Cycle>, soc::kMaxHarts> irq_rise_{};
  std::array<std::optional<std::uint32_t>, soc::kMaxHarts> current_lwp_{};
  std::map<std::uint32_t, std::vector<OpenTrap>> traps_;  // LWP -> its open traps, innermost last
  std::map<std::uint32_t, std::vector<std::uint64_t>> awaiting_t3_;  // work -> samples
  std::map<std::uint32_t, std::vector<std::uint64_t>> awaiting_t4_;  // LWP -> samples
  std::deque<Pending> pending_;      // samples not yet handed on, in handler-start order
  std::uint64_t first_pending_ = 0;  // sequence number of pending_.front()
  std::uint64_t unhandled_ = 0;
};

}  // namespace irqlab::cosim
