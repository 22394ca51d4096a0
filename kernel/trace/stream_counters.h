#pragma once
// Counters derived from the event stream (trace/trace.h) instead of being kept beside it:
// per CPU traps, spurious traps and switches; per LWP switches and interrupt contexts; per
// source handled and unhandled claims; per deferred work the interrupt contexts taken
// while it ran. The kernel attaches one (Kernel::stats() reads it); any other consumer may
// attach its own and gets the same figures from the same events.
//
// Derivations (each the kernel's definition, stated on events):
//   interrupts, IC      TrapEnter on the CPU; the LWP current on that CPU gets the IC
//   spurious            the first Claim after a TrapEnter on that CPU returned 0
//   FS, LS              Switch on the CPU (arg2 the kind); the LWP switched to gets it
//   current LWP         from boot the CPU's idle LWP (AnnounceLwp, arg2 1 + CPU), then each
//                       Switch's target
//   handled             HandlerEnd (a handler that never returned is not counted)
//   unhandled           Unhandled
//   deferred IC         TrapEnter while the current LWP runs deferred work: the innermost
//                       work it runs (DeferStart pushes, DeferEnd pops, per LWP, so work
//                       that blocks takes its stack along to whichever CPU resumes it)
//
// Called only through a Tracer, on the simulator's thread.
#include <cstdint>
#include <string>
#include <vector>

#include "stats.h"
#include "trace/trace.h"

namespace irqlab::kernel {

class StreamCounters : public TraceSink {
 public:
  // cpus: harts of the run; sources: PLIC source ids 0..sources-1 are counted.
  StreamCounters(unsigned cpus, unsigned sources);
  void record(const TraceEvent& event) override;

  const std::vector<CpuStats>& cpus() const { return cpus_; }  // ticks are not on the stream: 0
  const std::vector<SourceStats>& sources() const { return sources_; }
  const std::vector<LwpStats>& lwps() const { return lwps_; }  // indexed by LWP id
  // Interrupt contexts taken while deferred work `id` ran (0 for an unknown id).
  std::uint64_t deferred_interrupts(std::uint32_t id) const;

 private:
  struct LwpState {
    std::vector<std::uint32_t> running_deferred;  // innermost last
  };
  struct CpuTrack {
    std::int64_t current_lwp = -1;  // none before boot
    bool awaiting_first_claim = false;
  };
  void on_trap_enter(unsigned cpu);
  // The records of `id`, grown on first sight (ids are dense, announced or not).
  LwpStats& lwp(std::uint32_t id);
  std::vector<std::uint32_t>& running_deferred(std::uint32_t lwp_id);
  std::uint64_t& deferred_interrupts_of(std::uint32_t id);

  std::vector<CpuStats> cpus_;
  std::vector<CpuTrack> track_;
  std::vector<SourceStats> sources_;
  std::vector<LwpStats> lwps_;
  std::vector<LwpState> lwp_state_;
  std::vector<std::uint64_t> deferred_interrupts_;
};

}  // namespace irqlab::kernel
