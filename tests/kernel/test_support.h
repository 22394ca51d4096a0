#pragma once
// Shared pieces of the kernel tests: a platform, a trace recorder, a config builder.
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "fake_machine.h"
#include "kernel.h"
#include "kernel_config.h"
#include "trace/trace.h"

namespace irqlab::kernel::test {

constexpr Addr kPlicBase = 0x0C000000;
constexpr Addr kTimerBase = 0x02000000;
constexpr Addr kIpiBase = 0x10010000;
constexpr Cycle kMmio = 3;  // the fake bus's cost of one register access

// 32 PLIC sources, max priority 7, hart h's timer on source 1 + h, its IPI on 7 + h.
inline PlatformMap test_platform(unsigned harts) {
  PlatformMap p;
  p.plic_base = kPlicBase;
  p.plic_sources = 32;
  p.plic_contexts = harts;
  p.plic_max_priority = 7;
  p.timer_base = kTimerBase;
  for (unsigned h = 0; h < harts; ++h) p.timer_source.push_back(1 + h);
  p.ipi_base = kIpiBase;
  for (unsigned h = 0; h < harts; ++h) p.ipi_source.push_back(7 + h);
  return p;
}

inline CostProfile test_costs() {
  CostProfile c;
  c.trap_entry = 17;
  c.trap_exit = 13;
  c.irq_dispatch = 7;
  c.tick_handler = 50;
  c.boot = 100;
  c.switch_full = 61;
  c.switch_light = 19;
  c.runq_insert = 5;
  c.runq_pick = 11;
  c.wakeup = 23;
  c.ipi_send = 9;
  c.lock_fast = 2;
  c.lock_slow_block = 29;
  c.lock_release_wake = 31;
  c.spin_iteration = 4;
  return c;
}

inline KernelConfig test_config(unsigned harts) {
  KernelConfig k;
  k.costs = test_costs();
  k.platform = test_platform(harts);
  k.cpus = harts;
  return k;
}

using Ev = std::tuple<Cycle, unsigned, TraceKind, std::uint32_t>;

// One announced entity: kind, id, name, arg2.
using Announced = std::tuple<TraceKind, std::uint32_t, std::string, std::uint32_t>;

// Keeps the stream's events as tuples, so a test compares whole events at once. The second
// operand is folded into the first where an event has one: Switch as kind | LWP id << 8,
// lock events as lock id | LWP id << 16 (ids in tests stay far below those bounds).
// Announcements go to `announced`, apart from the events.
class Recorder : public TraceSink {
 public:
  void record(const TraceEvent& e) override {
    if (is_announcement(e.kind)) {
      announced.emplace_back(e.kind, e.arg, std::string(e.name), e.arg2);
      return;
    }
    std::uint32_t arg = e.arg;
    if (e.kind == TraceKind::Switch) arg = e.arg2 | e.arg << 8;
    if (e.kind == TraceKind::LockWait || e.kind == TraceKind::LockAcquire || e.kind == TraceKind::LockRelease)
      arg = e.arg | e.arg2 << 16;
    events.emplace_back(e.cycle, e.cpu, e.kind, arg);
  }
  std::vector<Ev> of(TraceKind kind) const {
    std::vector<Ev> out;
    for (const Ev& e : events)
      if (std::get<2>(e) == kind) out.push_back(e);
    return out;
  }
  std::vector<Ev> from(Cycle cycle) const {
    std::vector<Ev> out;
    for (const Ev& e : events)
      if (std::get<0>(e) >= cycle) out.push_back(e);
    return out;
  }
  std::vector<Ev> events;
  std::vector<Announced> announced;
};

// The switch counts of `lwp` as the kernel reports them (derived from the event stream).
inline SwitchCounts switches_of(const Kernel& kn, const Lwp& lwp) { return kn.stats().lwps.at(lwp.id).switches; }

// Register addresses spelled out independently of the drivers.
inline Addr plic_prio(unsigned id) { return kPlicBase + 4 * id; }
inline Addr plic_enable(unsigned ctx, unsigned word) {
  return kPlicBase + 0x2000 + 0x80 * ctx + 4 * word;
}
inline Addr plic_threshold(unsigned ctx) { return kPlicBase + 0x200000 + 0x1000 * ctx; }
inline Addr plic_claim(unsigned ctx) { return kPlicBase + 0x200004 + 0x1000 * ctx; }
inline Addr ipi_set(unsigned hart) { return kIpiBase + 4 * hart; }
inline Addr ipi_clear(unsigned hart) { return kIpiBase + 0x20 + 4 * hart; }
inline Addr timer_ctrl() { return kTimerBase + 0x004; }
inline Addr timer_reg(unsigned hart, Addr off) { return kTimerBase + 0x100 + 0x100 * hart + off; }
constexpr Addr kIntrEnable = 0x00, kIntrState = 0x04, kCfg = 0x0C, kMtimeLo = 0x10, kMtimeHi = 0x14,
               kCmpLo = 0x18, kCmpHi = 0x1C;

// A kernel on a fake machine with a trace recorder attached.
struct Rig {
  explicit Rig(const KernelConfig& config) : machine(config.cpus, config.platform, kMmio) {
    tracer.attach(&trace);
    kernel = std::make_unique<Kernel>(machine, config, tracer);
    machine.attach(*kernel);
  }
  FakeMachine machine;
  Tracer tracer;
  Recorder trace;
  std::unique_ptr<Kernel> kernel;
};

// Cycle at which a one-hart kernel without tick, with n injected sources, goes idle:
// boot, n priority writes, one enable word, the threshold.
inline Cycle idle_cycle(const CostProfile& costs, unsigned injected) {
  return costs.boot + (injected + 2) * kMmio;
}

}  // namespace irqlab::kernel::test
