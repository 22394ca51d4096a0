#pragma once
// Driver for the inter-processor interrupt device: one level line per hart, line h wired
// to PLIC source device.sources[h] (7 + h on the irqlab SoC). Registered as device "ipi";
// the kernel's IpiSender.
//
//   IPI_SET[h]    write 1: raise hart h's line
//   IPI_CLEAR[h]  write 1: lower it
//   IPI_STATUS    read: bit h = line h
// (offsets: drivers/regs/ipi_regs.h, generated from the SoC description)
//
// Why a device rather than a PLIC software-pending write: the PLIC spec has no
// software-writable pending bits, and a level line per hart lets the receiver clear
// it before completing, so a second IPI sent while the first is being handled re-pends
// the source instead of being lost. Each hart enables only its own IPI source.
//
// With more than one CPU, attach() serves every hart's source at config ipi_priority;
// the handler clears the line, then tells the scheduler (Scheduler::ipi_received).
#include "drivers/driver.h"
#include "drivers/regs/ipi_regs.h"
#include "machine/machine.h"

namespace irqlab::kernel {

class IpiDriver final : public Driver, public IpiSender {
 public:
  IpiDriver(Kernel& kernel, const PlatformDevice& device);

  void attach() override;
  void boot_cpu(unsigned) override {}  // the lines need no setup
  IpiSender* as_ipi() override { return this; }

  void send(unsigned hart) override { machine_.mmio_write(base_ + regs::ipi::ipi_set(hart), 1); }
  // In hart `hart`'s IPI handler.
  void clear(unsigned hart) { machine_.mmio_write(base_ + regs::ipi::ipi_clear(hart), 1); }

 private:
  Machine& machine_;
  Addr base_;
};

}  // namespace irqlab::kernel
