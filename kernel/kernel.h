#pragma once
// The kernel core: boot, trap path and idle loop of every hart.
//
// Construction (host side, before any hart runs) validates the config, throws
// std::invalid_argument listing every problem, and registers the handlers: the tick on
// each hart's timer source and a cycle-spending handler on each injected source.
//
// boot_hart(), on every hart, interrupts disabled:
//   Activity(Kernel); consume(boot)
//   hart 0 only: PLIC priority of every used source (see plic_driver.h for why no
//                other hart has to wait for this)
//   own PLIC context: enable words, threshold 0
//   own timer block, if the tick is on
//   idle: Activity(Idle), enable interrupts, wait_for_interrupt() forever. The machine
//         sleeps the hart until its line rises; the trap runs inside that call.
//
// external_interrupt(), the trap path, interrupts disabled:
//   TrapEnter (T1); Activity(Interrupt)
//   consume(trap_entry)
//   PLIC claim loop: per claimed ID, consume(irq_dispatch), HandlerStart (T2), handler,
//                    HandlerEnd, complete
//   consume(trap_exit)
//   TrapExit (T5); Activity(previous)
// so for the first source of a trap  T2 - T1 = trap_entry + (claim read) + irq_dispatch.
// Every cycle the kernel spends is a CostProfile field or the bus's own MMIO time.
#include <vector>

#include "drivers/plic_driver.h"
#include "drivers/timer_driver.h"
#include "irq/irq_table.h"
#include "kernel_config.h"
#include "machine/machine.h"
#include "stats.h"
#include "trace/trace.h"

namespace irqlab::kernel {

class Kernel : public MachineClient {
 public:
  Kernel(Machine& machine, KernelConfig config, Tracer& tracer);
  Kernel(const Kernel&) = delete;
  Kernel& operator=(const Kernel&) = delete;

  void boot_hart() override;
  void external_interrupt() override;

  // Snapshot of the counters.
  KernelStats stats() const;
  const KernelConfig& config() const { return config_; }

 private:
  void set_activity(unsigned cpu, CpuActivity activity);
  void tick(unsigned cpu);
  std::vector<unsigned> sources_enabled_on(unsigned cpu) const;

  Machine& machine_;
  const KernelConfig config_;
  Tracer& tracer_;
  IrqTable irqs_;
  PlicDriver plic_;
  TimerDriver timer_;
  std::vector<CpuActivity> activity_;
  std::vector<CpuStats> cpu_stats_;
};

}  // namespace irqlab::kernel
