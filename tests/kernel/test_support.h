#pragma once
// Shared pieces of the kernel tests: a platform, a trace recorder, a config builder.
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "drivers/regs/ipi_regs.h"
#include "drivers/regs/plic_regs.h"
#include "drivers/regs/timer_regs.h"
#include "fake_devices/fake_ipi.h"
#include "fake_devices/fake_plic.h"
#include "fake_devices/fake_timer.h"
#include "fake_machine.h"
#include "kernel.h"
#include "kernel_config.h"
#include "soc_map.h"
#include "trace/trace.h"

namespace irqlab::kernel::test {

// The test platform's bases differ from the SoC's on purpose (the timer's): the kernel
// must take them from the PlatformMap. Sources and limits are the SoC's.
constexpr Addr kPlicBase = 0x0C000000;
constexpr Addr kTimerBase = 0x02000000;
constexpr Addr kIpiBase = 0x10010000;
constexpr Cycle kMmio = 3;  // the fake bus's cost of one register access

// The SoC's PLIC sources and priorities, and its timer and IPI source of each hart;
// devices in attach order: PLIC, timer, IPI.
inline PlatformMap test_platform(unsigned harts) {
  namespace soc = cosim::soc;
  PlatformMap p;
  p.plic_sources = soc::kPlicSources;
  p.plic_contexts = harts;
  p.plic_max_priority = soc::kMaxPriority;
  PlatformDevice timer{"timer", kTimerBase, {}};
  PlatformDevice ipi{"ipi", kIpiBase, {}};
  for (unsigned h = 0; h < harts; ++h) {
    timer.sources.push_back(soc::timer_source(h));
    ipi.sources.push_back(soc::ipi_source(h));
  }
  p.devices = {{"plic", kPlicBase, {}}, std::move(timer), std::move(ipi)};
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
// Announcements go to `announced`, apart from the events. Levels (IPL, run-queue length,
// FIFO fill: trace.h is_level) are left out: the tests compare what happened.
class Recorder : public TraceSink {
 public:
  void record(const TraceEvent& e) override {
    if (is_announcement(e.kind)) {
      announced.emplace_back(e.kind, e.arg, std::string(e.name), e.arg2);
      return;
    }
    if (is_level(e.kind)) return;
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

// Register addresses on the test platform, from the SoC description's offsets.
inline Addr plic_prio(unsigned id) { return kPlicBase + regs::plic::prio(id); }
inline Addr plic_enable(unsigned ctx, unsigned word) { return kPlicBase + regs::plic::ie(ctx, word); }
inline Addr plic_threshold(unsigned ctx) { return kPlicBase + regs::plic::threshold(ctx); }
inline Addr plic_claim(unsigned ctx) { return kPlicBase + regs::plic::cc(ctx); }
inline Addr ipi_set(unsigned hart) { return kIpiBase + regs::ipi::ipi_set(hart); }
inline Addr ipi_clear(unsigned hart) { return kIpiBase + regs::ipi::ipi_clear(hart); }
inline Addr timer_ctrl() { return kTimerBase + regs::timer::kCtrl; }
// A timer register of `hart`: `reg` is one of regs::timer's offset functions.
inline Addr timer_reg(unsigned hart, Addr (*reg)(Addr)) { return kTimerBase + reg(hart); }
constexpr auto kIntrEnable = regs::timer::intr_enable, kIntrState = regs::timer::intr_state,
               kCfg = regs::timer::cfg, kMtimeLo = regs::timer::mtime_lo, kMtimeHi = regs::timer::mtime_hi,
               kCmpLo = regs::timer::mtimecmp_lo, kCmpHi = regs::timer::mtimecmp_hi;

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
