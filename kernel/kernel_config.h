#pragma once
// What a scenario tells the kernel: its cost profile, the platform it runs on, the
// periodic tick and the interrupt lines a stimulus drives. validate_config() checks it
// once, before any hart runs; the kernel never re-checks these values.
#include <string>
#include <vector>

#include "cost/cost_profile.h"
#include "drivers/crypto/crypto_config.h"
#include "drivers/nic/nic_config.h"
#include "ipl/ipl_table.h"
#include "machine/machine.h"
#include "net/ipsec_config.h"
#include "personality/options.h"
#include "platform/platform_map.h"

namespace irqlab::kernel {

struct TickConfig {
  std::uint64_t period = 0;  // mtime units between ticks; 0 = no tick
  unsigned prescale = 0;     // timer CFG.prescale: mtime advances every prescale+1 cycles
  unsigned step = 1;         // timer CFG.step: mtime increment per advance
  unsigned priority = 1;     // PLIC priority of every hart's timer source
};

// A line driven from outside (a scenario's stimulus). Its handler only spends
// handler_cycles on the hart that claimed it.
struct InjectedSource {
  unsigned source = 0;
  unsigned priority = 1;
  Cycle handler_cycles = 0;
  std::vector<unsigned> cpus;  // contexts (harts) to enable it on; empty = all
};

// Scheduler policy a personality chooses (docs/kernel.md, Scheduler).
struct SchedOptions {
  // Preempt kernel code at interrupt return, preempt_enable() and wake-up points.
  // Off: a higher-priority LWP waits for return to user or a voluntary switch (4.3BSD).
  bool kernel_preemption = false;
  unsigned slice_ticks = 1;  // round-robin time slice, in ticks of the CPU's timer
  // Kernel preemption (not return to user) only in favour of a runnable LWP of at least
  // this effective priority (FreeBSD preempt_thresh); 0 = any better LWP preempts.
  unsigned preempt_min_priority = 0;
};

struct KernelConfig {
  CostProfile costs;
  PlatformMap platform;
  unsigned cpus = 1;
  TickConfig tick;
  std::vector<InjectedSource> injected;
  SchedOptions sched;
  IplTable ipl;               // empty = minimal_ipl_table()
  unsigned ipi_priority = 1;  // PLIC priority of every hart's IPI source (cpus > 1)
  // Per hart context: the PLIC threshold firmware sets at boot, below which the kernel
  // never lowers it, so a source at or under it never interrupts that hart
  // (drivers/plic_driver.h). Missing entries (e.g. an empty list) are 0, no floor.
  std::vector<unsigned> threshold_floor;
  // A lock waiter that has spun this many cycles panics with a spinout, naming the lock and
  // its holder (NetBSD's spinout panics, Linux's lockup detector): a spin that long is a
  // livelock, not a wait. 0 = never.
  Cycle spinout_cycles = 0;
  // Interrupt architecture (personality/personality.h). Its configure step fills `ipl`
  // when empty and sets sched.kernel_preemption (bsd43: off; netbsd: its option).
  PersonalityConfig personality;
  NicConfig nic;        // the NIC driver's settings (drivers/nic)
  CryptoConfig crypto;  // the crypto engine's driver and framework (drivers/crypto, crypto/)
  IpsecConfig ipsec;    // the network stack's ESP receive path (net/)
};

// Field limits of the timer's CFG register.
inline constexpr unsigned kTimerPrescaleMax = 0xFFF;
inline constexpr unsigned kTimerStepMax = 0xFF;

// Every problem found, one readable sentence each; empty when the config is usable.
std::vector<std::string> validate_config(const KernelConfig& config);

}  // namespace irqlab::kernel
