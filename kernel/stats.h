#pragma once
// The kernel's statistics, as Kernel::stats() returns them. What the event stream shows
// (traps, spurious traps, switches, handled/unhandled claims, deferred ICs) is derived from
// it by trace/stream_counters.h; the rest (ticks, lock times, deferred latency and
// blocking) is kept by its subsystem. Harts run one at a time (cooperatively, on the
// simulator's thread), so plain integers suffice.
#include <cstdint>
#include <string>
#include <vector>

namespace irqlab::kernel {

// Switch kinds (docs/kernel.md): full switches, lightweight (softint) switches, and
// interrupt contexts (trap entry/exit pairs).
struct SwitchCounts {
  std::uint64_t full = 0;
  std::uint64_t light = 0;
  std::uint64_t interrupt = 0;
  bool operator==(const SwitchCounts&) const = default;
};

struct CpuStats {
  std::uint64_t interrupts = 0;  // external-interrupt traps taken
  std::uint64_t spurious = 0;    // traps whose first claim returned 0
  std::uint64_t ticks = 0;       // timer ticks handled
  SwitchCounts switches;         // FS/LS performed on this CPU, ICs taken on it
};

struct LwpStats {
  std::uint32_t id = 0;
  std::string name;
  SwitchCounts switches;  // FS/LS into the LWP, ICs taken while it was running
};

// Per-lock counters (sync/lock_stats.h keeps them).
struct LockStats {
  std::uint64_t acquisitions = 0;
  std::uint64_t contended = 0;        // acquisitions that had to spin or block
  std::uint64_t blocked_cycles = 0;   // total cycles from first failed attempt to acquisition
  std::uint64_t max_blocked_cycles = 0;
  std::int64_t holder = -1;           // LWP id of the current owner, -1 = free (or readers only)
};

struct NamedLockStats {
  std::string name;
  LockStats stats;
};

struct SourceStats {
  std::uint64_t handled = 0;    // claims dispatched to a registered handler
  std::uint64_t unhandled = 0;  // claims with no handler (completed anyway)
};

// Per deferred work (personality/deferred.h): raise-to-start latency (T3 - raise, research
// §5), blocking while it ran, and the switches attributed to its mechanism.
struct DeferredStats {
  std::uint32_t id = 0;
  std::string name;
  std::string level;              // clock, bio, net, serial
  std::string mechanism;          // the personality's mechanism, e.g. "netisr", "softint/net"
  std::uint64_t raised = 0;       // schedule requests
  std::uint64_t coalesced = 0;    // requests that found it already pending
  std::uint64_t runs = 0;         // handler runs (T3 events)
  std::uint64_t total_latency = 0;  // sum over runs of T3 - first raise since the last start
  std::uint64_t max_latency = 0;
  std::uint64_t blocked = 0;        // times the handler blocked while running
  std::uint64_t blocked_cycles = 0; // cycles it spent blocked (until it ran again)
  SwitchCounts switches;            // FS/LS (and ICs) attributed to this work
};

struct KernelStats {
  std::vector<CpuStats> cpus;        // indexed by hart
  std::vector<SourceStats> sources;  // indexed by PLIC source ID (entry 0 unused)
  std::vector<LwpStats> lwps;        // indexed by LWP id (idle LWPs first, one per CPU)
  std::vector<NamedLockStats> locks; // every live lock, in creation order
  std::vector<DeferredStats> deferred;  // every deferred work, in establish order
};

}  // namespace irqlab::kernel
