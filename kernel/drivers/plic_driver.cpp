#include "drivers/plic_driver.h"

namespace irqlab::kernel {

PlicDriver::PlicDriver(Machine& machine, const PlatformMap& platform, Tracer& tracer,
                       IrqTable& irqs)
    : machine_(machine), platform_(platform), tracer_(tracer), irqs_(irqs) {}

void PlicDriver::set_priority(unsigned source, unsigned priority) {
  machine_.mmio_write(platform_.plic_base + regs::plic::prio(source), priority);
}

void PlicDriver::init_context(unsigned ctx, const std::vector<unsigned>& sources) {
  const unsigned words = (platform_.plic_sources + 31) / 32;
  std::vector<std::uint32_t> enable(words, 0);
  for (unsigned source : sources) enable[source / 32] |= std::uint32_t{1} << (source % 32);
  for (unsigned w = 0; w < words; ++w)
    machine_.mmio_write(platform_.plic_base + regs::plic::ie(ctx, w), enable[w]);
  machine_.mmio_write(platform_.plic_base + regs::plic::threshold(ctx), 0);
}

void PlicDriver::set_threshold(unsigned ctx, unsigned value) {
  machine_.mmio_write(platform_.plic_base + regs::plic::threshold(ctx), value);
}

unsigned PlicDriver::claim_loop(unsigned ctx) {
  const Addr claim = platform_.plic_base + regs::plic::cc(ctx);
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
