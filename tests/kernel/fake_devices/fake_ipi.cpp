#include "fake_devices/fake_ipi.h"

#include "drivers/regs/ipi_regs.h"
#include "machine/bus_error.h"

namespace irqlab::kernel::test {

namespace {

// The register map, from the SoC description (drivers/regs/ipi_regs.h).
constexpr Addr kSet = regs::ipi::ipi_set(0);
constexpr Addr kClear = regs::ipi::ipi_clear(0);
constexpr Addr kStride = regs::ipi::ipi_set(1) - regs::ipi::ipi_set(0);
constexpr Addr kStatus = regs::ipi::kIpiStatus;

const FakeDeviceRegistration<FakeIpi> fake_ipi_registration("ipi");

}  // namespace

FakeIpi::FakeIpi(const PlatformDevice&, const PlatformMap&, unsigned harts) : lines_(harts) {}

Addr FakeIpi::window() const { return kStatus + 4; }

std::uint32_t FakeIpi::access(const FakeAccess& a) {
  const Addr off = a.offset;
  const auto hart = static_cast<std::size_t>((off - kSet) % (kClear - kSet) / kStride);
  if (off % 4 != 0) throw BusError(a.addr, a.write, "no such IPI register");
  if (off == kStatus) {
    if (a.write) throw BusError(a.addr, a.write, "IPI status is read-only");
    std::uint32_t bits = 0;
    for (std::size_t h = 0; h < lines_.size(); ++h)
      if (lines_[h]) bits |= std::uint32_t{1} << h;
    return bits;
  }
  if (hart >= lines_.size()) throw BusError(a.addr, a.write, "no such IPI register");
  if (!a.write) return 0;
  if ((a.value & 1) != 0) lines_[hart] = off < kClear;
  return 0;
}

}  // namespace irqlab::kernel::test
