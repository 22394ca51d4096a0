#include "drivers/ipi_driver.h"

#include "drivers/driver_registry.h"
#include "kernel.h"

namespace irqlab::kernel {

namespace {
const DriverRegistration<IpiDriver> ipi_registration("ipi");
}  // namespace

IpiDriver::IpiDriver(Kernel& kernel, const PlatformDevice& device)
    : Driver(kernel, device), machine_(kernel.machine()), base_(device.base) {}

void IpiDriver::attach() {
  const KernelConfig& config = kernel_.config();
  if (config.cpus < 2) return;
  for (unsigned cpu = 0; cpu < config.cpus; ++cpu)
    serve(device().sources[cpu], config.ipi_priority,
          [this, cpu](unsigned) {
            clear(cpu);
            kernel_.sched().ipi_received(cpu);
          },
          {cpu});
}

}  // namespace irqlab::kernel
