#pragma once
// The event stream: one cycle-stamped stream of everything a run does, kernel and RTL
// alike, fanned out to sinks (metrics, FST probes, logs, results, the kernel's own
// counters and panic log).
//
// The kernel emits its events through Kernel::tracer(); the co-simulation's RTL domain
// emits the RTL's (source line, gateway request, hart line) into the same Tracer, so a
// sink sees one stream; each event carries its cycle, and one hart's events come in cycle
// order. Named entities (LWPs, locks, deferred
// work, interrupt sources) are announced once, before their first event, with an
// Announce* event carrying the name; every other event carries ids only. A sink thus
// never needs KernelStats to name what it sees.
//
// Later sources of events (DMA, packets) add their kinds to TraceKind and emit into the
// same Tracer; sinks ignore the kinds they do not know.
//
// Cost: with no sink attached, emit() is one branch; an event is a few words passed by
// reference. Announcements are rare (one per entity), so their name is a string_view
// into storage the announcer keeps alive for the whole run.
//
// May be called from any hart's context or from the RTL stepper; everything runs on the
// simulator's one thread, so no locking.
#include <cstdint>
#include <span>
#include <string_view>
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

// `cpu` is the hart an event happens on (for source and gateway events, which belong to
// no hart, 0). arg and arg2 as listed; unlisted arg2 is 0.
enum class TraceKind : std::uint8_t {
  // --- kernel -------------------------------------------------------------------------
  Activity,      // arg: CpuActivity now running on the hart
  TrapEnter,     // T1, first cycle of trap entry
  Claim,         // claim read returned; arg: source id (0 = nothing pending)
  HandlerStart,  // T2, first cycle of the driver's handler; arg: source id
  HandlerEnd,    // arg: source id
  Complete,      // completion written to the interrupt controller; arg: source id
  TrapExit,      // T5, back to the interrupted context
  Unhandled,     // claimed a source with no handler; arg: source id
  Switch,        // a switch starts; arg: LWP id switched to, arg2: SwitchKind
  Wakeup,        // an LWP made runnable; arg: LWP id
  LockBlock,     // an LWP blocks on a turnstile or sleep queue; arg: LWP id
  IpiSend,       // IPI SET written; arg: target hart
  SoftDispatch,  // a soft interrupt level starts being served; arg: IPL
  LockWait,     // the running LWP found a lock taken and starts waiting; arg: lock id, arg2: LWP id
  LockAcquire,  // the LWP owns the lock from now on; arg: lock id, arg2: LWP id
  LockRelease,  // the owner lets the lock go (free or handed off); arg: lock id, arg2: LWP id
  DeferRaise,   // deferred work requested (personality/deferred.h); arg: work id
  DeferStart,   // T3, deferred work starts running; arg: work id
  DeferEnd,     // deferred work finished; arg: work id
  PacketDelivered,  // the protocol input took a received frame (the delivery point);
                    // arg: length (no FCS); data: the frame
  PacketSent,       // the driver handed a frame to the TX ring (TDT written); arg: length; data
  NicCounter,       // the driver read a NIC statistics register; arg: NicCounterId
                    // (drivers/nic/nic_counters.h), arg2: the value read (cleared by the read)
  NicError,         // the driver found a NIC engine stopped by an error (STATUS); arg:
                    // NicErrorCause (drivers/nic/nic_counters.h)
  CryptoDispatch,   // crypto_dispatch took a request (crypto/ocf.h); arg: request id, arg2: length
  CryptoDone,       // crypto_done; arg: request id, arg2: CryptoError
  CryptoCallback,   // the request's callback (the continuation) starts; arg: request id
  PacketStage,      // a packet reached a stage of the receive path (net/net_events.h);
                    // arg: packet id, arg2: PacketStage
  PacketDrop,       // the network stack dropped a packet; arg: packet id, arg2: NetDropCause
  SocketRead,       // the user process's receive returned a datagram; arg: packet id,
                    // arg2: length; data: the payload
  // Levels (a value that holds until the next event of its kind; emitted only on a change):
  IplChange,      // the hart's interrupt priority level changed (ipl/spl.h); arg: the new
                  // level, an index of the kernel's IPL table (0 = base level)
  RunQueueDepth,  // a CPU's run queue changed length; cpu: that run queue's CPU (the hart
                  // that changed it may be another); arg: LWPs queued
  // --- RTL (cosim/rtl/rtl_domain.h), cycle-exact --------------------------------------
  SourceLine,        // a source line changed at the PLIC input; arg: source, arg2: new level
  GatewayRequest,    // T0: the gateway took a request, pending from the next cycle; arg: source
  HartLine,          // a hart's interrupt line changed (first cycle of the level); arg2: level
  FrameOffered,      // MAC RX: the last beat of a frame was presented; arg: offer sequence
                     // number (1-based), arg2: length on the wire incl. FCS; data: the frame
  FrameDropped,      // the NIC dropped that frame; arg: offer sequence number (0: a frame it
                     // looped back, never offered), arg2: cause (0 FIFO overflow = MPC,
                     // 1 length = RLEC)
  FrameTransmitted,  // MAC TX: the last beat of a frame left; arg: length on the wire; data
  CryptoJobStart,    // the crypto engine starts a job (its descriptor fetch); arg: JR index
  CryptoJobDone,     // the engine retired the job's status write-back; arg: JR index
  NicRxFifoLevel,    // the NIC's RX FIFO fill changed (first cycle of the new level);
                     // arg2: 32-bit words held (RxFifoBytes / 4 at most)
  // --- entity announcements: arg: id, name set ----------------------------------------
  AnnounceLwp,       // arg2: 1 + n for CPU n's idle LWP (current on CPU n from boot), else 0
  AnnounceLock,      // lock ids are the locks' registration order
  AnnounceDeferred,  // arg2: the interrupt source whose handler raises it, 0 = none
  AnnounceSource,    // an interrupt source the run uses; name as in results.json
};

// Switch kinds (research/kernel-semantics.md, Terms); Switch events carry one.
enum class SwitchKind : std::uint8_t {
  Full = 0,   // FS: run-queue pick, register and address-space switch
  Light = 1,  // LS: softint stack switch, no run-queue work, no address-space change
};

struct TraceEvent {
  Cycle cycle = 0;
  std::uint16_t cpu = 0;
  TraceKind kind = TraceKind::Activity;
  std::uint32_t arg = 0;
  std::uint32_t arg2 = 0;
  std::string_view name;  // Announce* only
  std::span<const std::uint8_t> data;  // packet and frame kinds only: the bytes
};

constexpr bool is_announcement(TraceKind kind) { return kind >= TraceKind::AnnounceLwp; }
// A level's new value (IPL, run-queue length, FIFO fill): a state, not something that happened.
constexpr bool is_level(TraceKind kind) {
  return kind == TraceKind::IplChange || kind == TraceKind::RunQueueDepth ||
         kind == TraceKind::NicRxFifoLevel;
}

// Printable name of a kind ("HandlerStart"), for logs and panic messages.
const char* trace_kind_name(TraceKind kind);

class TraceSink {
 public:
  virtual ~TraceSink() = default;
  virtual void record(const TraceEvent& event) = 0;
};

// Fans events out to the attached sinks, in attach order.
class Tracer {
 public:
  void attach(TraceSink* sink) { sinks_.push_back(sink); }
  void detach(TraceSink* sink) { std::erase(sinks_, sink); }
  void emit(Cycle cycle, unsigned cpu, TraceKind kind, std::uint32_t arg = 0,
            std::uint32_t arg2 = 0) const {
    if (sinks_.empty()) return;
    deliver({cycle, static_cast<std::uint16_t>(cpu), kind, arg, arg2, {}, {}});
  }
  // A packet or frame event; `data` is valid during the call only.
  void emit_frame(Cycle cycle, unsigned cpu, TraceKind kind, std::uint32_t arg, std::uint32_t arg2,
                  std::span<const std::uint8_t> data) const {
    if (sinks_.empty()) return;
    deliver({cycle, static_cast<std::uint16_t>(cpu), kind, arg, arg2, {}, data});
  }
  // An Announce* event; `name` must outlive the run.
  void announce(Cycle cycle, unsigned cpu, TraceKind kind, std::uint32_t id, std::string_view name,
                std::uint32_t arg2 = 0) const {
    if (sinks_.empty()) return;
    deliver({cycle, static_cast<std::uint16_t>(cpu), kind, id, arg2, name, {}});
  }

 private:
  void deliver(const TraceEvent& event) const {
    for (TraceSink* sink : sinks_) sink->record(event);
  }

  std::vector<TraceSink*> sinks_;
};

}  // namespace irqlab::kernel
