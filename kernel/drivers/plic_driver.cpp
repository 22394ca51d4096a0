#include "drivers/plic_driver.h"

#include <algorithm>

#include "drivers/driver_registry.h"
#include "kernel.h"

namespace irqlab::kernel {

namespace {
const DriverRegistration<PlicDriver> plic_registration("plic");
}  // namespace

PlicDriver::PlicDriver(Kernel& kernel, const PlatformDevice& device)
    : Driver(kernel, device),
      machine_(kernel.machine()),
      tracer_(kernel.tracer()),
      irqs_(kernel.irqs()),
      base_(device.base),
      plic_sources_(kernel.config().platform.plic_sources),
      floor_(kernel.config().threshold_floor),
      written_(kernel.config().platform.plic_contexts, 0) {
  floor_.resize(kernel.config().platform.plic_contexts, 0);
}

void PlicDriver::boot_cpu(unsigned cpu) {
  if (cpu == 0)
    for (const IrqRequest& r : kernel_.irq_requests()) set_priority(r.source, r.priority);
  init_context(cpu, kernel_.sources_enabled_on(cpu));
}

void PlicDriver::set_priority(unsigned source, unsigned priority) {
  machine_.mmio_write(base_ + regs::plic::prio(source), priority);
}

void PlicDriver::init_context(unsigned ctx, const std::vector<unsigned>& sources) {
  const unsigned words = (plic_sources_ + 31) / 32;
  std::vector<std::uint32_t> enable(words, 0);
  for (unsigned source : sources) enable[source / 32] |= std::uint32_t{1} << (source % 32);
  for (unsigned w = 0; w < words; ++w)
    machine_.mmio_write(base_ + regs::plic::ie(ctx, w), enable[w]);
  machine_.mmio_write(base_ + regs::plic::threshold(ctx), floor_[ctx]);
  written_[ctx] = floor_[ctx];
}

void PlicDriver::set_threshold(unsigned ctx, unsigned value) {
  const unsigned effective = std::max(value, floor_[ctx]);
  if (effective == written_[ctx]) return;
  machine_.mmio_write(base_ + regs::plic::threshold(ctx), effective);
  written_[ctx] = effective;
}

unsigned PlicDriver::claim_loop(unsigned ctx) {
  const Addr claim = base_ + regs::plic::cc(ctx);
  const unsigned cpu = machine_.cpu_id();
  unsigned claimed = 0;
  for (;;) {
    const std::uint32_t id = machine_.mmio_read(claim);
    tracer_.emit(machine_.now(), cpu, TraceKind::Claim, id);
    if (id == 0) return claimed;
    ++claimed;
    irqs_.dispatch(id);
    machine_.mmio_write(claim, id);
    tracer_.emit(machine_.now(), cpu, TraceKind::Complete, id);
  }
}

}  // namespace irqlab::kernel
