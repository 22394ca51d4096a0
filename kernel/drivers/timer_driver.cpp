#include "drivers/timer_driver.h"

#include "drivers/driver_registry.h"
#include "kernel.h"

namespace irqlab::kernel {

namespace {

namespace timer_regs = regs::timer;

constexpr std::uint32_t kCompareParked = 0xFFFFFFFF;  // low word while the high word moves
const DriverRegistration<TimerDriver> timer_registration("timer");

}  // namespace

TimerDriver::TimerDriver(Kernel& kernel, const PlatformDevice& device)
    : Driver(kernel, device),
      machine_(kernel.machine()),
      base_(device.base),
      tick_(kernel.config().tick),
      harts_(kernel.config().cpus) {}

void TimerDriver::attach() {
  if (tick_.period == 0) return;
  for (unsigned cpu = 0; cpu < harts_.size(); ++cpu)
    serve(device().sources[cpu], tick_.priority,
          [this, cpu](unsigned) {
            tick(cpu);
            kernel_.hardclock(cpu);
          },
          {cpu});
}

void TimerDriver::boot_cpu(unsigned cpu) {
  if (tick_.period != 0) start(cpu);
}

void TimerDriver::start(unsigned hart) {
  machine_.mmio_write(base_ + timer_regs::cfg(hart), (tick_.prescale << timer_regs::kCfgPrescaleShift) |
                                                        (tick_.step << timer_regs::kCfgStepShift));
  const std::uint64_t mtime_lo = machine_.mmio_read(base_ + timer_regs::mtime_lo(hart));
  const std::uint64_t mtime_hi = machine_.mmio_read(base_ + timer_regs::mtime_hi(hart));
  harts_[hart].deadline = (mtime_hi << 32 | mtime_lo) + tick_.period;
  write_compare(hart, harts_[hart].deadline);
  machine_.mmio_write(base_ + timer_regs::intr_enable(hart), 1);
  ctrl_shadow_ |= std::uint32_t{1} << hart;
  machine_.mmio_write(base_ + timer_regs::kCtrl, ctrl_shadow_);
}

void TimerDriver::tick(unsigned hart) {
  harts_[hart].deadline += tick_.period;
  write_compare(hart, harts_[hart].deadline);
  machine_.mmio_write(base_ + timer_regs::intr_state(hart), 1);
}

void TimerDriver::write_compare(unsigned hart, std::uint64_t value) {
  std::optional<std::uint64_t>& programmed = harts_[hart].programmed;
  if (programmed && high_word(*programmed) == high_word(value)) {
    machine_.mmio_write(base_ + timer_regs::mtimecmp_lo(hart), low_word(value));
  } else {
    machine_.mmio_write(base_ + timer_regs::mtimecmp_lo(hart), kCompareParked);
    machine_.mmio_write(base_ + timer_regs::mtimecmp_hi(hart), high_word(value));
    machine_.mmio_write(base_ + timer_regs::mtimecmp_lo(hart), low_word(value));
  }
  programmed = value;
}

}  // namespace irqlab::kernel
