#include "scratch_driver.h"

#include "drivers/driver_registry.h"
#include "drivers/regs/scratch_regs.h"
#include "kernel.h"

namespace irqlab::kernel {

namespace {
namespace scratch_regs = regs::scratch;
const DriverRegistration<ScratchDriver> scratch_registration("scratch");
}  // namespace

void ScratchDriver::attach() {
  serve(device().sources.at(0), 1, [this](unsigned) {
    Machine& m = kernel_.machine();
    read_back_ = m.mmio_read(device().base + scratch_regs::kScratch);
    m.mmio_write(device().base + scratch_regs::kIrq, 0);
    ++handled_;
  });
}

void ScratchDriver::boot_cpu(unsigned cpu) {
  if (cpu != 0) return;
  Machine& m = kernel_.machine();
  m.mmio_write(device().base + scratch_regs::kScratch, kPattern);
  m.mmio_write(device().base + scratch_regs::kIrq, 1u << scratch_regs::kIrqLineShift);
}

}  // namespace irqlab::kernel
