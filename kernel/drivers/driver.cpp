#include "drivers/driver.h"

#include "kernel.h"

namespace irqlab::kernel {

void Driver::serve(unsigned source, unsigned priority, IrqHandler handler, std::vector<unsigned> cpus) {
  kernel_.attach_hard_irq(source, priority, std::move(handler), std::move(cpus));
  served_.push_back(source);
}

}  // namespace irqlab::kernel
