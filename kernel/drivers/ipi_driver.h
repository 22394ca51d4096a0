#pragma once
// Driver for the inter-processor interrupt device: one level line per hart, wired to
// PLIC source platform.ipi_source[h] (7 + h on the irqlab SoC).
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
#include "drivers/regs/ipi_regs.h"
#include "machine/machine.h"

namespace irqlab::kernel {

class IpiDriver {
 public:
  IpiDriver(Machine& machine, Addr base) : machine_(machine), base_(base) {}

  void send(unsigned hart) { machine_.mmio_write(base_ + regs::ipi::ipi_set(hart), 1); }
  void clear(unsigned hart) { machine_.mmio_write(base_ + regs::ipi::ipi_clear(hart), 1); }

 private:
  Machine& machine_;
  Addr base_;
};

}  // namespace irqlab::kernel
