#pragma once
// Private to the Linux personality's sources (linux.cpp, softirq.cpp, tasklet.cpp,
// bh.cpp): helpers they share. Not for use outside kernel/personality/linux.
#include "machine/machine.h"
#include "personality/linux/linux.h"

namespace irqlab::kernel::lnx {

inline constexpr const char* kSoftirqNames[NR_SOFTIRQS] = {"HI",    "TIMER",   "NET_TX", "NET_RX",  "BLOCK",
                                                           "IRQ_POLL", "TASKLET", "SCHED", "HRTIMER", "RCU"};

// Restores the calling hart's interrupt enable on scope exit (local_irq_save/restore).
class IrqSave {
 public:
  explicit IrqSave(Machine& m) : m_(m), enabled_(m.interrupts_enabled()) { m_.set_interrupts_enabled(false); }
  ~IrqSave() { m_.set_interrupts_enabled(enabled_); }
  IrqSave(const IrqSave&) = delete;
  IrqSave& operator=(const IrqSave&) = delete;

 private:
  Machine& m_;
  bool enabled_;
};

}  // namespace irqlab::kernel::lnx
