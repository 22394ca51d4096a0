#pragma once
// The kernel core: drivers, boot, trap path, LWPs and the idle LWP of every hart.
//
// Construction (host side, before any hart runs) validates the config, throws
// std::invalid_argument listing every problem, then:
//   creates one driver per PlatformMap device, in the platform's order, from the driver
//     registry (drivers/driver_registry.h); the first must be the interrupt controller
//     (Kernel::plic()); the one that sends IPIs becomes Kernel::ipi();
//   attaches every driver in that order (each requests its sources: the timer driver its
//     harts' ticks, the IPI driver its harts' IPIs when cpus > 1, drivers/driver.h);
//   registers a cycle-spending handler on each injected source;
//   makes the personality and attaches it; with an ipsec: block, the network stack
//   (net/net_stack.h), which establishes its deferred work and creates its LWPs.
// LWPs may be created before the harts boot (create_lwp) and from kernel code.
//
// boot_hart(), on every hart, interrupts disabled:
//   Activity(Kernel); consume(boot)
//   every driver's boot_cpu(), in platform order: the PLIC's writes, on hart 0 only, the
//     priority of every requested source (see plic_driver.h for why no other hart has to
//     wait for this), then the hart's own context: enable words, threshold 0; the
//     timer's starts the hart's tick when the tick is on
//   the boot context becomes the hart's idle LWP: Activity(Idle), enable interrupts,
//   idle loop (switch to the best runnable LWP, else wait_for_interrupt()).
//
// external_interrupt(), the trap path, interrupts disabled (an IC):
//   TrapEnter (T1); Activity(Interrupt)
//   consume(trap_entry)
//   interrupt controller's claim loop: per claimed ID, consume(irq_dispatch),
//                    HandlerStart (T2), handler, HandlerEnd, complete
//   irq_exit: the personality's (default doreti: pending soft levels above the
//             interrupted IPL, ipl/spl.h)
//   preemption point: switch away if need_resched (sched/scheduler.h); the rest runs
//                     when this LWP is switched back to
//   consume(trap_exit)
//   TrapExit (T5); Activity(previous)
// so for the first source of a trap  T2 - T1 = trap_entry + (claim read) + irq_dispatch,
// and a trap that neither serves a soft level nor switches emits exactly these events.
// Every cycle the kernel spends is a CostProfile field or the bus's own MMIO time.
#include <deque>
#include <memory>
#include <vector>

#include "crypto/ocf.h"
#include "drivers/driver.h"
#include "ipl/spl.h"
#include "irq/irq_table.h"
#include "kernel_config.h"
#include "machine/machine.h"
#include "mem/bump_allocator.h"
#include "panic.h"
#include "personality/deferred.h"
#include "personality/personality.h"
#include "sched/cpu_state.h"
#include "sched/scheduler.h"
#include "stats.h"
#include "sync/big_lock.h"
#include "trace/stream_counters.h"
#include "trace/trace.h"

namespace irqlab::kernel {

class NetStack;

// A source the kernel routes: its PLIC priority and the contexts (harts) it is enabled
// on (empty = all).
struct IrqRequest {
  unsigned source = 0;
  unsigned priority = 1;
  std::vector<unsigned> cpus;
};

class Kernel : public MachineClient {
 public:
  Kernel(Machine& machine, KernelConfig config, Tracer& tracer);
  ~Kernel() override;
  Kernel(const Kernel&) = delete;
  Kernel& operator=(const Kernel&) = delete;

  void boot_hart() override;
  void external_interrupt() override;
  // A bus error on an access of kernel code: panics, naming the access, the CPU, the LWP
  // and the cycle (called by the machine on the accessing context).
  [[noreturn]] void bus_fault(const BusError& error) override;
  // The LWP whose context it is ("LWP 10 (cryptoret)"), or "".
  std::string describe_context(ContextId context) const override;

  // LWPs (sched/lwp.h). Kernel code running on an LWP spends cycles with work() (kernel
  // mode) and user() (user mode: a return to user, where a pending reschedule is taken,
  // then n cycles in user mode).
  Lwp& create_lwp(LwpSpec spec) { return sched_.create(std::move(spec)); }
  void work(Cycle n) { machine_.consume(n); }
  void user(Cycle n);

  // Before the harts boot: `handler` on `source`, PLIC priority `priority`, enabled on
  // `cpus` (empty = all), wrapped by the personality (e.g. run in an ithread). For
  // personalities and workloads; throws std::invalid_argument as IrqTable::request_irq()
  // does, and on a priority outside 1..plic_max_priority.
  void attach_irq(unsigned source, unsigned priority, IrqHandler handler,
                  std::vector<unsigned> cpus = {});
  // As attach_irq(), for drivers (Driver::serve(), from Driver::attach()): the handler
  // runs as it is, at hard-interrupt level.
  void attach_hard_irq(unsigned source, unsigned priority, IrqHandler handler,
                       std::vector<unsigned> cpus = {});
  // The per-tick work of the core (statistics, scheduler, personality, tick hooks), from
  // the tick source's handler after the timer driver acknowledged the tick.
  void hardclock(unsigned cpu);

  // Neutral deferred work (personality/deferred.h), mapped by the personality; throws
  // std::invalid_argument if it has no mechanism for it (the personality "none").
  DeferredWork& establish_deferred(DeferredSpec spec);
  // A DeferredWork record the personality binds itself (its native APIs: softint_establish,
  // netisr_establish, ...); listed in stats().deferred like the neutral ones.
  DeferredWork& deferred_record(DeferredSpec spec);
  Personality& personality() { return *personality_; }
  // The crypto framework (crypto/ocf.h): exists from construction (drivers register in
  // attach()); its callback path is set up once the personality is attached.
  CryptoFramework& crypto() { return *crypto_; }
  // The network stack (net/net_stack.h); exists when the scenario has an ipsec: block
  // (config().ipsec.present), made at the end of construction.
  NetStack& net() { return *net_; }
  // Runs on every tick, after the personality's clock_tick (for subsystems that are not
  // the personality, e.g. the Linux work-queue timers). Register before the harts boot.
  void on_tick(std::function<void(unsigned cpu)> hook) { tick_hooks_.push_back(std::move(hook)); }

  // Ends the run: throws KernelPanic naming the CPU, the LWP, the cycle, `reason` and
  // the recent trace events.
  [[noreturn]] void panic(const std::string& reason) const;

  // Snapshot of the counters: those the event stream shows are derived from it
  // (trace/stream_counters.h), the rest are kept by their subsystems.
  KernelStats stats() const;
  // Announces an entity on the stream (trace/trace.h); `name` must live as long as the
  // kernel. Cycle 0 on hart 0 before the harts boot, else the calling hart's cycle.
  void announce(TraceKind kind, std::uint32_t id, std::string_view name, std::uint32_t arg2 = 0) const;
  const KernelConfig& config() const { return config_; }

  // Subsystems, for kernel code (locks, personalities).
  Machine& machine() { return machine_; }
  const CostProfile& costs() const { return config_.costs; }
  Tracer& tracer() { return tracer_; }
  Scheduler& sched() { return sched_; }
  Spl& spl() { return spl_; }
  BigLock& big_lock() { return big_lock_; }
  // Main memory for device DMA (PlatformMap ram_base/ram_size); drivers allocate from it
  // in attach().
  BumpAllocator& dma_memory() { return dma_memory_; }
  // The interrupt controller: the first platform device's driver.
  InterruptController& plic() { return *plic_; }
  // The IPI sender; exists whenever cpus > 1 (validate_config checks the platform).
  IpiSender& ipi() { return *ipi_; }
  // The drivers, in platform (attach and boot) order.
  const std::vector<std::unique_ptr<Driver>>& drivers() const { return drivers_; }
  // Every routed source in request order: drivers', injected, attach_irq()'s.
  const std::vector<IrqRequest>& irq_requests() const { return requests_; }
  // The routed sources enabled on context `cpu`, in request order.
  std::vector<unsigned> sources_enabled_on(unsigned cpu) const;
  IrqTable& irqs() { return irqs_; }
  CpuState& cpu_state() { return cpus_[machine_.cpu_id()]; }
  const CpuState& cpu_state(unsigned cpu) const { return cpus_[cpu]; }
  bool started() const { return started_; }
  void set_activity(unsigned cpu, CpuActivity activity);

  // Registers `lock` and announces it (AnnounceLock) under `name`, which the lock keeps.
  unsigned register_lock(LockBase& lock, std::string_view name);
  void unregister_lock(LockBase& lock) { std::erase(locks_, &lock); }

 private:
  void make_drivers();
  void check_priority(const char* who, unsigned source, unsigned priority) const;

  Machine& machine_;
  const KernelConfig config_;
  Tracer& tracer_;
  bool started_ = false;  // before the members that announce themselves while constructed
  PanicLog panic_log_;
  StreamCounters counters_;  // stats() derives from it whatever the stream shows
  IrqTable irqs_;
  std::vector<std::unique_ptr<Driver>> drivers_;
  InterruptController* plic_ = nullptr;  // owned by drivers_
  IpiSender* ipi_ = nullptr;             // owned by drivers_; null without an IPI device
  std::vector<CpuActivity> activity_;
  std::vector<CpuState> cpus_;
  std::vector<LockBase*> locks_;
  unsigned next_lock_id_ = 0;
  std::vector<IrqRequest> requests_;
  Scheduler sched_;
  Spl spl_;
  BigLock big_lock_;
  BumpAllocator dma_memory_;
  std::deque<DeferredWork> deferred_;
  std::unique_ptr<Personality> personality_;
  std::unique_ptr<NetStack> net_;  // after the personality: it establishes ipintr
  std::vector<std::function<void(unsigned)>> tick_hooks_;
  std::unique_ptr<CryptoFramework> crypto_;  // last: its locks unregister from locks_
};

}  // namespace irqlab::kernel
