#pragma once
// Fake devices for the kernel tests' FakeMachine, plugged in by address window.
//
// A fake device owns the registers of one PlatformDevice: the FakeMachine sends it every
// MMIO access inside [base, base + window()), asks it for its own timing (next_event(),
// advance()) and reads its interrupt lines, which it routes to the device's PLIC sources
// (PlatformDevice::sources[line]). The platform's first device is the interrupt
// controller (a FakeInterruptController): it receives those lines and drives each hart's
// external interrupt line. Every fake keeps its own copy of its register map, so a wrong
// offset in a driver shows up as a BusError or a wrong value rather than agreeing with
// itself.
//
// Fakes are created by the FakeMachine, in its constructor, from the registry below,
// keyed by the device's name, as the kernel creates drivers; a test adds a device by
// registering its fake (FakeDeviceRegistration) in its own file. All calls come from the
// FakeMachine on the test's thread, with time never going backwards.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "machine/machine.h"
#include "platform/platform_map.h"

namespace irqlab::kernel::test {

inline constexpr Cycle kNever = ~Cycle{0};

struct FakeAccess {
  Addr offset;  // from the device's base
  Addr addr;    // absolute, for BusError
  std::uint32_t value;  // written value (0 for a read)
  bool write;
  Cycle at;  // issue cycle; advance(at) has run
};

class FakeDevice {
 public:
  virtual ~FakeDevice() = default;

  // Size of its address window, in bytes.
  virtual Addr window() const = 0;
  // One register access; returns the value read (anything for a write). Throws
  // BusError(a.addr, a.write, ...) for a register it does not have.
  virtual std::uint32_t access(const FakeAccess& a) = 0;
  // Its own timing: brings its state to cycle `at` (never earlier than the last call).
  virtual void advance(Cycle /*at*/) {}
  // First cycle at which advance() would change a line, or kNever.
  virtual Cycle next_event() const { return kNever; }
  // Level of its interrupt line `line` (an index into PlatformDevice::sources).
  virtual bool line(unsigned /*line*/) const { return false; }
};

// The interrupt controller's side facing the other devices and the harts.
class FakeInterruptController : public FakeDevice {
 public:
  // A line or an edge reaches `source`'s gateway: pending unless in service.
  virtual void request(unsigned source) = 0;
  // Hart `hart`'s external interrupt line.
  virtual bool hart_line(unsigned hart) const = 0;
  // Test stimulus: hart `hart`'s line high until its next claim.
  virtual void force_line(unsigned hart) = 0;
};

using FakeDeviceFactory =
    std::function<std::unique_ptr<FakeDevice>(const PlatformDevice&, const PlatformMap&, unsigned harts)>;

class FakeDeviceRegistry {
 public:
  // The process-wide registry; safe during static initialization.
  static FakeDeviceRegistry& instance();
  // Throws std::logic_error on a duplicate name.
  void add(const std::string& name, FakeDeviceFactory factory);
  // Throws std::invalid_argument when no fake is registered under the device's name.
  std::unique_ptr<FakeDevice> create(const PlatformDevice& device, const PlatformMap& platform,
                                     unsigned harts) const;

 private:
  std::map<std::string, FakeDeviceFactory, std::less<>> factories_;
};

// Registers `T`, constructible from (const PlatformDevice&, const PlatformMap&, unsigned
// harts), under `name`.
template <class T>
struct FakeDeviceRegistration {
  explicit FakeDeviceRegistration(const std::string& name) {
    FakeDeviceRegistry::instance().add(
        name, [](const PlatformDevice& device, const PlatformMap& platform, unsigned harts) {
          return std::make_unique<T>(device, platform, harts);
        });
  }
};

}  // namespace irqlab::kernel::test
