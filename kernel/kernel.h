#pragma once
// The kernel core: boot, trap path, LWPs and the idle LWP of every hart.
//
// Construction (host side, before any hart runs) validates the config, throws
// std::invalid_argument listing every problem, and registers the handlers: the tick on
// each hart's timer source, the IPI on each hart's IPI source (cpus > 1), and a
// cycle-spending handler on each injected source. LWPs may be created before the harts
// boot (create_lwp) and from kernel code.
//
// boot_hart(), on every hart, interrupts disabled:
//   Activity(Kernel); consume(boot)
//   hart 0 only: PLIC priority of every used source (timers, IPIs, injected; see
//                plic_driver.h for why no other hart has to wait for this)
//   own PLIC context: enable words (own timer, own IPI, injected), threshold 0
//   own timer block, if the tick is on
//   the boot context becomes the hart's idle LWP: Activity(Idle), enable interrupts,
//   idle loop (switch to the best runnable LWP, else wait_for_interrupt()).
//
// external_interrupt(), the trap path, interrupts disabled (an IC):
//   TrapEnter (T1); Activity(Interrupt)
//   consume(trap_entry)
//   PLIC claim loop: per claimed ID, consume(irq_dispatch), HandlerStart (T2), handler,
//                    HandlerEnd, complete
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

#include "drivers/ipi_driver.h"
#include "drivers/plic_driver.h"
#include "drivers/timer_driver.h"
#include "ipl/spl.h"
#include "irq/irq_table.h"
#include "kernel_config.h"
#include "machine/machine.h"
#include "panic.h"
#include "personality/deferred.h"
#include "personality/personality.h"
#include "sched/cpu_state.h"
#include "sched/scheduler.h"
#include "stats.h"
#include "sync/big_lock.h"
#include "trace/trace.h"

namespace irqlab::kernel {

class Kernel : public MachineClient {
 public:
  Kernel(Machine& machine, KernelConfig config, Tracer& tracer);
  ~Kernel() override;
  Kernel(const Kernel&) = delete;
  Kernel& operator=(const Kernel&) = delete;

  void boot_hart() override;
  void external_interrupt() override;

  // LWPs (sched/lwp.h). Kernel code running on an LWP spends cycles with work() (kernel
  // mode) and user() (user mode: a return to user, where a pending reschedule is taken,
  // then n cycles in user mode).
  Lwp& create_lwp(LwpSpec spec) { return sched_.create(std::move(spec)); }
  void work(Cycle n) { machine_.consume(n); }
  void user(Cycle n);

  // Before the harts boot: `handler` on `source`, PLIC priority `priority`, enabled on
  // `cpus` (empty = all). For drivers and personalities; throws std::invalid_argument as
  // IrqTable::request_irq() does, and on a priority outside 1..plic_max_priority.
  void attach_irq(unsigned source, unsigned priority, IrqHandler handler,
                  std::vector<unsigned> cpus = {});

  // Neutral deferred work (personality/deferred.h), mapped by the personality; throws
  // std::invalid_argument if it has no mechanism for it (the personality "none").
  DeferredWork& establish_deferred(DeferredSpec spec);
  // A DeferredWork record the personality binds itself (its native APIs: softint_establish,
  // netisr_establish, ...); listed in stats().deferred like the neutral ones.
  DeferredWork& deferred_record(DeferredSpec spec);
  Personality& personality() { return *personality_; }
  // Runs on every tick, after the personality's clock_tick (for subsystems that are not
  // the personality, e.g. the Linux work-queue timers). Register before the harts boot.
  void on_tick(std::function<void(unsigned cpu)> hook) { tick_hooks_.push_back(std::move(hook)); }

  // Ends the run: throws KernelPanic naming the CPU, the LWP, the cycle, `reason` and
  // the recent trace events.
  [[noreturn]] void panic(const std::string& reason) const;

  // Snapshot of the counters.
  KernelStats stats() const;
  const KernelConfig& config() const { return config_; }

  // Subsystems, for kernel code (locks, personalities).
  Machine& machine() { return machine_; }
  const CostProfile& costs() const { return config_.costs; }
  Tracer& tracer() { return tracer_; }
  Scheduler& sched() { return sched_; }
  Spl& spl() { return spl_; }
  BigLock& big_lock() { return big_lock_; }
  PlicDriver& plic() { return plic_; }
  IpiDriver& ipi() { return ipi_; }
  IrqTable& irqs() { return irqs_; }
  CpuState& cpu_state() { return cpus_[machine_.cpu_id()]; }
  const CpuState& cpu_state(unsigned cpu) const { return cpus_[cpu]; }
  bool started() const { return started_; }
  void set_activity(unsigned cpu, CpuActivity activity);

  unsigned register_lock(LockBase& lock) {
    locks_.push_back(&lock);
    return next_lock_id_++;
  }
  void unregister_lock(LockBase& lock) { std::erase(locks_, &lock); }

 private:
  void tick(unsigned cpu);
  std::vector<unsigned> sources_enabled_on(unsigned cpu) const;

  Machine& machine_;
  const KernelConfig config_;
  Tracer& tracer_;
  PanicLog panic_log_;
  IrqTable irqs_;
  PlicDriver plic_;
  TimerDriver timer_;
  IpiDriver ipi_;
  std::vector<CpuActivity> activity_;
  std::vector<CpuState> cpus_;
  std::vector<LockBase*> locks_;
  unsigned next_lock_id_ = 0;
  std::vector<InjectedSource> attached_;  // attach_irq() sources: priority and CPUs
  Scheduler sched_;
  Spl spl_;
  BigLock big_lock_;
  bool started_ = false;
  std::deque<DeferredWork> deferred_;
  std::unique_ptr<Personality> personality_;
  std::vector<std::function<void(unsigned)>> tick_hooks_;
};

}  // namespace irqlab::kernel
