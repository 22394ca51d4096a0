#include "fake_devices/fake_device.h"

#include <stdexcept>

namespace irqlab::kernel::test {

FakeDeviceRegistry& FakeDeviceRegistry::instance() {
  static FakeDeviceRegistry registry;
  return registry;
}

void FakeDeviceRegistry::add(const std::string& name, FakeDeviceFactory factory) {
  if (!factories_.emplace(name, std::move(factory)).second)
    throw std::logic_error("two fake devices registered as " + name);
}

std::unique_ptr<FakeDevice> FakeDeviceRegistry::create(const PlatformDevice& device,
                                                       const PlatformMap& platform,
                                                       unsigned harts) const {
  const auto it = factories_.find(device.name);
  if (it == factories_.end()) throw std::invalid_argument("no fake device " + device.name);
  return it->second(device, platform, harts);
}

}  // namespace irqlab::kernel::test
