#pragma once
// The neutral deferred-work API: "run this soon at <level>; it may or may not block".
//
// Drivers and protocol code establish a DeferredWork once (before or after boot) and
// call schedule() from a hard-interrupt handler or from thread context; each personality
// maps it onto its own mechanism (docs/personalities.md has the table):
//
//   DeferredWork& w = kernel.establish_deferred({"ipintr", DeferLevel::Net, false, true,
//                                                [&] { ... }});
//   ... in the NIC's hard handler:  w.schedule();
//
// Semantics every personality keeps: schedule() while the work is pending (raised but
// not started) runs it once (coalesced); schedule() while it runs makes it run again
// afterwards; it runs on the CPU that scheduled it unless the mechanism is a global
// thread (documented per personality); may_block = false work must not block (it may run
// in interrupt context, where blocking panics); mpsafe = false work runs under the big
// kernel lock where the personality has one.
//
// Instrumentation (research §5, T3): per work, the cycle it was first raised since its
// last start, runs, the T3 - raise latency (total, max), the times and cycles it was
// blocked while running, and the switches attributed to it (DeferredStats, stats.h,
// listed in Kernel::stats().deferred): FS/LS out of and back into the context running it
// while it runs (counted by the scheduler), plus the entry and exit switches of the
// mechanism's context, which the personality charges (charge_switch) to the first and
// last work a dispatch runs. ICs taken while it runs are derived from the stream
// (trace/stream_counters.h). Trace: AnnounceDeferred (name; arg2: the source it serves),
// DeferRaise, DeferStart (T3), DeferEnd; arg = id.
#include <cstdint>
#include <functional>
#include <string>

#include "stats.h"
#include "trace/trace.h"

namespace irqlab::kernel {

class Kernel;

enum class DeferLevel : std::uint8_t { Clock, Bio, Net, Serial };

// Whether a work is the bottom half of its source's driver, and where it then runs when
// its source's hard handler schedules it.
enum class BottomHalf : std::uint8_t {
  No,          // not a bottom half: the mechanism of `level`
  OrDeferred,  // in the source's interrupt thread where the personality gives devices one
               // (FreeBSD ithread; Linux threadirqs / PREEMPT_RT irq thread), else the
               // mechanism of `level` (a NIC's receive processing: NAPI, swi, softint)
  OrInline,    // in the source's interrupt thread where there is one, else at once in the
               // hard handler that schedules it (a crypto engine's completion)
};
const char* defer_level_name(DeferLevel level);

struct DeferredSpec {
  std::string name;
  DeferLevel level = DeferLevel::Net;
  bool may_block = false;  // may block on a mutex or rwlock (never sleep on a condvar)
  bool mpsafe = true;      // false: runs under the big kernel lock (where there is one)
  std::function<void()> handler;
  unsigned source = 0;  // the interrupt source whose handler schedules it, 0 = none
  BottomHalf bottom_half = BottomHalf::No;
};

class DeferredWork {
 public:
  DeferredWork(Kernel& kernel, DeferredSpec spec, std::uint32_t id);
  DeferredWork(const DeferredWork&) = delete;
  DeferredWork& operator=(const DeferredWork&) = delete;

  // Neutral entry point: hands the work to the personality's mechanism.
  void schedule();
  // netisr_dispatch(): runs the work now, in the caller's context, where the personality
  // dispatches it directly (Personality::dispatches_directly), else schedule(). For a
  // protocol hand-off (ether_input -> ip_input) from the caller's own bottom half.
  void dispatch();

  const DeferredSpec& spec() const { return spec_; }
  const std::string& name() const { return spec_.name; }
  std::uint32_t id() const { return id_; }
  DeferredStats stats() const { return stats_; }

  // --- For personalities -------------------------------------------------------------
  // The mechanism's schedule operation (set by Personality::establish()).
  std::function<void(DeferredWork&)> mechanism;
  // Mechanism name for the statistics ("netisr", "softint/net", "kthread", ...).
  void set_mechanism_name(std::string name) { stats_.mechanism = std::move(name); }
  // A schedule request reached the mechanism; `coalesced`: it was already pending.
  void raised(bool coalesced);
  // Runs the handler on the calling context: DeferStart (T3), handler, DeferEnd.
  void run();
  void charge_switch(SwitchKind kind);
  bool outstanding() const { return raise_pending_; }

 private:
  Kernel& kernel_;
  DeferredSpec spec_;
  std::uint32_t id_;
  DeferredStats stats_;
  bool raise_pending_ = false;  // raised since the last start
  Cycle raised_at_ = 0;
};

}  // namespace irqlab::kernel
