// How the kernel makes its drivers from the platform's device list: one per device, in
// order, the interrupt controller first; a device without a driver is refused.
#include <gtest/gtest.h>

#include "test_support.h"

namespace irqlab::kernel::test {
namespace driver_registry_test {

std::string construction_error(const KernelConfig& k) {
  FakeMachine machine(k.cpus, test_platform(k.cpus), kMmio);
  Tracer tracer;
  try {
    Kernel kernel(machine, k, tracer);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

TEST(DriverRegistry, MakesOneDriverPerDeviceInPlatformOrder) {
  Rig rig(test_config(2));
  std::vector<std::string> names;
  for (const auto& d : rig.kernel->drivers()) names.push_back(d->name());
  EXPECT_EQ(names, (std::vector<std::string>{"plic", "timer", "ipi"}));
}

TEST(DriverRegistry, RefusesAPlatformWhoseFirstDeviceIsNotTheInterruptController) {
  KernelConfig k = test_config(1);
  std::swap(k.platform.devices[0], k.platform.devices[1]);
  EXPECT_EQ(construction_error(k), "the platform's first device must be the interrupt controller");
}

TEST(DriverRegistry, RefusesADeviceWithoutADriver) {
  KernelConfig k = test_config(1);
  k.platform.devices.push_back({"no-such-device", 0x10030000, {}});
  EXPECT_EQ(construction_error(k), "no driver for device no-such-device");
}

}  // namespace driver_registry_test
}  // namespace irqlab::kernel::test
