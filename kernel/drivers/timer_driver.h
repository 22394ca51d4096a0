#pragma once
// Driver for the per-hart compare timer (OpenTitan rv_timer style), used as the
// periodic tick. Registered as device "timer"; line h of the device is hart h's compare.
//
// With the tick on (config tick.period != 0), attach() serves every hart's source at
// tick.priority, enabled on that hart only, and boot_cpu() starts the calling hart's tick.
// Each hart programs only its own register block, from its own boot code:
//   CFG = prescale | step << 16; read MTIME (the counter is stopped until CTRL.active,
//   so LO/HI are consistent); MTIMECMP = MTIME + period; INTR_ENABLE = 1; CTRL |= 1 << h.
// CTRL is the one shared register. The kernel keeps a shadow of it and writes the whole
// value; a hart sets its shadow bit and issues the write with no step boundary between,
// so the bus's last CTRL write always carries every hart's bit.
//
// tick() runs in the timer source's handler, before the kernel's hardclock(). It advances the deadline kept in kernel
// memory by exactly one period (a late tick does not drift the grid; a missed deadline
// fires again at once) and acknowledges in this order:
//   1. MTIMECMP = deadline. If only the low word changes it is written alone, else
//      LO = 0xFFFFFFFF, HI, LO, so the compare never passes through a value below the
//      old deadline.
//   2. INTR_STATE = 1 (rw1c). The hardware re-sets INTR_STATE every cycle while
//      mtime >= mtimecmp, so clearing it before step 1 would not stick.
// The level line to the PLIC is then low, and the completion that follows does not
// re-pend the source.
#include <cstdint>
#include <optional>
#include <vector>

#include "drivers/driver.h"
#include "drivers/regs/timer_regs.h"
#include "kernel_config.h"
#include "machine/machine.h"

namespace irqlab::kernel {

class TimerDriver final : public Driver {
 public:
  TimerDriver(Kernel& kernel, const PlatformDevice& device);

  void attach() override;
  void boot_cpu(unsigned cpu) override;

 private:
  struct HartTimer {
    std::uint64_t deadline = 0;               // next tick, in mtime units
    std::optional<std::uint64_t> programmed;  // MTIMECMP as last written
  };

  // Starts the calling hart's periodic tick; first deadline one period from now.
  void start(unsigned hart);
  // Acknowledges the calling hart's tick and arms the next one.
  void tick(unsigned hart);
  void write_compare(unsigned hart, std::uint64_t value);

  Machine& machine_;
  Addr base_;
  const TickConfig& tick_;
  std::vector<HartTimer> harts_;
  std::uint32_t ctrl_shadow_ = 0;
};

}  // namespace irqlab::kernel
