#pragma once
// Kernel trace events: one cycle-stamped stream that sinks outside the kernel turn into
// metrics, FST signals and log lines. A kernel without sinks pays one branch per event.
#include <cstdint>
#include <vector>

#include "machine/machine.h"

namespace irqlab::kernel {

// What a hart is doing; shown per hart in the waves.
enum class CpuActivity : std::uint8_t {
  Idle = 0,       // waiting for an interrupt
  Kernel = 1,     // kernel thread or boot code
  User = 2,       // simulated user process
  Interrupt = 3,  // trap entry, dispatch, handler, trap exit
};

enum class TraceKind : std::uint8_t {
  Activity,      // arg: CpuActivity now running on the hart
  TrapEnter,     // T1, first cycle of trap entry; arg unused
  Claim,         // claim read returned; arg: source id (0 = nothing pending)
  HandlerStart,  // T2, first cycle of the driver's handler; arg: source id
  HandlerEnd,    // arg: source id
  Complete,      // completion written to the interrupt controller; arg: source id
  TrapExit,      // T5, back to the interrupted context; arg unused
  Unhandled,     // claimed a source with no handler; arg: source id
  Switch,        // a switch starts; arg: SwitchKind | LWP id switched to << 8
  Wakeup,        // an LWP made runnable; arg: LWP id
  LockBlock,     // an LWP blocks on a turnstile or sleep queue; arg: LWP id
  IpiSend,       // IPI SET written; arg: target hart
  SoftDispatch,  // a soft interrupt level starts being served; arg: IPL
  LockWait,      // the running LWP found a lock taken and starts waiting; arg: lock id
  LockAcquire,   // the running LWP owns the lock from now on; arg: lock id
  LockRelease,   // the owner lets the lock go (free or handed off); arg: lock id
  DeferRaise,    // deferred work requested (personality/deferred.h); arg: work id
  DeferStart,    // T3, deferred work starts running; arg: work id
  DeferEnd,      // deferred work finished; arg: work id
};

// Switch kinds (research/kernel-semantics.md, Terms); Switch events carry one.
enum class SwitchKind : std::uint8_t {
  Full = 0,   // FS: run-queue pick, register and address-space switch
  Light = 1,  // LS: softint stack switch, no run-queue work, no address-space change
};

struct TraceEvent {
  Cycle cycle;
  std::uint16_t cpu;
  TraceKind kind;
  std::uint32_t arg;
};

class TraceSink {
 public:
  virtual ~TraceSink() = default;
  virtual void record(const TraceEvent& event) = 0;
};

// Fans events out to the attached sinks.
class Tracer {
 public:
  void attach(TraceSink* sink) { sinks_.push_back(sink); }
  void detach(TraceSink* sink) { std::erase(sinks_, sink); }
  void emit(Cycle cycle, unsigned cpu, TraceKind kind, std::uint32_t arg = 0) const {
    if (sinks_.empty()) return;
    const TraceEvent event{cycle, static_cast<std::uint16_t>(cpu), kind, arg};
    for (TraceSink* sink : sinks_) sink->record(event);
  }

 private:
  std::vector<TraceSink*> sinks_;
};

}  // namespace irqlab::kernel
