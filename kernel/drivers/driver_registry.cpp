#include "drivers/driver_registry.h"

#include <stdexcept>

namespace irqlab::kernel {

DriverRegistry& DriverRegistry::instance() {
  static DriverRegistry registry;
  return registry;
}

void DriverRegistry::add(const std::string& name, DriverFactory factory) {
  if (!factories_.emplace(name, std::move(factory)).second)
    throw std::logic_error("two drivers registered for device " + name);
}

std::unique_ptr<Driver> DriverRegistry::create(Kernel& kernel, const PlatformDevice& device) const {
  const auto it = factories_.find(device.name);
  if (it == factories_.end()) throw std::invalid_argument("no driver for device " + device.name);
  return it->second(kernel, device);
}

}  // namespace irqlab::kernel
