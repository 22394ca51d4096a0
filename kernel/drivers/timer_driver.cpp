#include "drivers/timer_driver.h"

namespace irqlab::kernel {

namespace {

namespace timer_regs = regs::timer;

constexpr std::uint32_t lo(std::uint64_t v) { return static_cast<std::uint32_t>(v); }
constexpr std::uint32_t hi(std::uint64_t v) { return static_cast<std::uint32_t>(v >> 32); }
constexpr std::uint32_t kCompareParked = 0xFFFFFFFF;  // low word while the high word moves

}  // namespace

TimerDriver::TimerDriver(Machine& machine, Addr base, const TickConfig& tick, unsigned cpus)
    : machine_(machine), base_(base), tick_(tick), harts_(cpus) {}

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
  if (programmed && hi(*programmed) == hi(value)) {
    machine_.mmio_write(base_ + timer_regs::mtimecmp_lo(hart), lo(value));
  } else {
    machine_.mmio_write(base_ + timer_regs::mtimecmp_lo(hart), kCompareParked);
    machine_.mmio_write(base_ + timer_regs::mtimecmp_hi(hart), hi(value));
    machine_.mmio_write(base_ + timer_regs::mtimecmp_lo(hart), lo(value));
  }
  programmed = value;
}

}  // namespace irqlab::kernel
