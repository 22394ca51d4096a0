#pragma once
// The IPI device, registered as fake device "ipi": SET[h] at +0x00+4h and CLEAR[h] at
// +0x20+4h (write 1), STATUS at +0x40 (bit h = line h). Line h is a level into hart h's
// source.
#include <vector>

#include "fake_devices/fake_device.h"

namespace irqlab::kernel::test {

class FakeIpi final : public FakeDevice {
 public:
  FakeIpi(const PlatformDevice& device, const PlatformMap& platform, unsigned harts);

  Addr window() const override;
  std::uint32_t access(const FakeAccess& a) override;
  bool line(unsigned hart) const override { return hart < lines_.size() && lines_[hart]; }

 private:
  std::vector<bool> lines_;
};

}  // namespace irqlab::kernel::test
