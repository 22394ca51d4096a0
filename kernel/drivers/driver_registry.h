#pragma once
// Drivers by device name. A driver's .cpp registers its factory with a namespace-scope
// DriverRegistration; Kernel's constructor creates one driver per PlatformMap device
// through create(). Registration runs during static initialization, so the drivers of
// the kernel library are linked whole (kernel/CMakeLists.txt) and a test may register
// its own driver from its own file.
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "drivers/driver.h"

namespace irqlab::kernel {

using DriverFactory = std::function<std::unique_ptr<Driver>(Kernel&, const PlatformDevice&)>;

class DriverRegistry {
 public:
  // The process-wide registry; safe during static initialization.
  static DriverRegistry& instance();

  // Static initialization or host side; throws std::logic_error on a duplicate name.
  void add(const std::string& name, DriverFactory factory);
  // Host side, Kernel's constructor; throws std::invalid_argument when no driver is
  // registered under the device's name.
  std::unique_ptr<Driver> create(Kernel& kernel, const PlatformDevice& device) const;

 private:
  std::map<std::string, DriverFactory, std::less<>> factories_;
};

// Registers `T`, constructible from (Kernel&, const PlatformDevice&), under `name`.
template <class T>
struct DriverRegistration {
  explicit DriverRegistration(const std::string& name) {
    DriverRegistry::instance().add(name, [](Kernel& kernel, const PlatformDevice& device) {
      return std::make_unique<T>(kernel, device);
    });
  }
};

}  // namespace irqlab::kernel
