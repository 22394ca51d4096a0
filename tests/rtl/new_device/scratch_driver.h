#pragma once
// Driver for the scratch example device (scratch.sv, scratch.yaml): the worked example of a
// new device, registered as device "scratch". It uses only the register header socgen
// generates from scratch.yaml (drivers/regs/scratch_regs.h) and the driver interface.
//
// attach() serves the device's one source at priority 1 on every hart. Hart 0's boot
// writes kPattern into SCRATCH and then sets IRQ.LINE, which raises the device's level
// line. The handler reads SCRATCH back, clears IRQ.LINE (so the completion that follows
// does not re-pend the source) and counts.
#include <cstdint>

#include "drivers/driver.h"

namespace irqlab::kernel {

class ScratchDriver final : public Driver {
 public:
  static constexpr std::uint32_t kPattern = 0x5C7A'7C40;

  ScratchDriver(Kernel& kernel, const PlatformDevice& device) : Driver(kernel, device) {}
  void attach() override;
  void boot_cpu(unsigned cpu) override;

  // Read from the test's thread after the simulation stopped.
  unsigned handled() const { return handled_; }
  std::uint32_t read_back() const { return read_back_; }

 private:
  unsigned handled_ = 0;
  std::uint32_t read_back_ = 0;
};

}  // namespace irqlab::kernel
