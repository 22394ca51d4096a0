// The plug-in demo: a device added from this file alone. A scratch device (one register,
// one interrupt line), its fake and its driver register themselves below; the test adds
// the device to the platform and nothing else: kernel.cpp, the driver registry, the fake
// machine and the other drivers are untouched. Cycles follow from test_costs() and kMmio.
//
// The scratch device's only register, INTR at +0x0:
//   bit 0 PENDING  set by the device when it fires; write 1 clears it
//   bit 1 ENABLE   read/write; the line is PENDING && ENABLE
#include <gtest/gtest.h>

#include "drivers/driver_registry.h"
#include "machine/bus_error.h"
#include "test_support.h"

namespace irqlab::kernel::test {
namespace scratch_driver_test {

using K = TraceKind;

constexpr Addr kScratchBase = 0x10020000;
constexpr unsigned kScratchSource = 20;
constexpr std::uint32_t kPending = 1, kEnable = 2;

// The fake: fires once, at the cycle the test chooses.
class FakeScratch final : public FakeDevice {
 public:
  FakeScratch(const PlatformDevice&, const PlatformMap&, unsigned) {}
  void fire_at(Cycle at) { fire_at_ = at; }

  Addr window() const override { return 4; }
  std::uint32_t access(const FakeAccess& a) override {
    if (a.offset != 0) throw BusError(a.addr, a.write, "no such scratch register");
    if (a.write) {
      enable_ = (a.value & kEnable) != 0;
      if ((a.value & kPending) != 0) pending_ = false;
    }
    return (pending_ ? kPending : 0) | (enable_ ? kEnable : 0);
  }
  void advance(Cycle at) override {
    if (at >= fire_at_) {
      pending_ = true;
      fire_at_ = kNever;
    }
  }
  Cycle next_event() const override { return fire_at_; }
  bool line(unsigned) const override { return pending_ && enable_; }

 private:
  Cycle fire_at_ = kNever;
  bool pending_ = false;
  bool enable_ = false;
};
const FakeDeviceRegistration<FakeScratch> fake_registration("scratch");

// The driver: serves the device's source on every hart at priority 3, enables the
// device from hart 0's boot, acknowledges in the handler.
class ScratchDriver final : public Driver {
 public:
  ScratchDriver(Kernel& kernel, const PlatformDevice& device) : Driver(kernel, device) {}
  void attach() override {
    serve(device().sources.at(0), 3, [this](unsigned) {
      Machine& m = kernel_.machine();
      const std::uint32_t intr = m.mmio_read(device().base);
      m.mmio_write(device().base, intr);  // PENDING written back as 1 clears it
      ++handled;
    });
  }
  void boot_cpu(unsigned cpu) override {
    if (cpu == 0) kernel_.machine().mmio_write(device().base, kEnable);
  }
  unsigned handled = 0;
};
const DriverRegistration<ScratchDriver> driver_registration("scratch");

KernelConfig with_scratch() {
  KernelConfig k = test_config(1);
  k.platform.devices.push_back({"scratch", kScratchBase, {kScratchSource}});
  return k;
}

TEST(ScratchDriver, AttachesFromTheRegistryAndBootsAfterThePlic) {
  Rig rig(with_scratch());
  rig.machine.run_until(1000);

  const Driver& last = *rig.kernel->drivers().back();
  EXPECT_EQ(last.name(), "scratch");
  EXPECT_EQ(last.sources(), (std::vector<unsigned>{kScratchSource}));
  const Cycle boot = rig.kernel->config().costs.boot;
  const std::vector<MmioAccess> want{{boot, 0, plic_prio(kScratchSource), 3, true},
                                     {boot + kMmio, 0, plic_enable(0, 0), 1u << kScratchSource, true},
                                     {boot + 2 * kMmio, 0, plic_threshold(0), 0, true},
                                     {boot + 3 * kMmio, 0, kScratchBase, kEnable, true}};
  EXPECT_EQ(rig.machine.accesses(), want);
}

TEST(ScratchDriver, HandlesItsInterruptAndLowersTheLineBeforeCompleting) {
  Rig rig(with_scratch());
  const CostProfile c = rig.kernel->config().costs;
  const Cycle fire = 2000;
  rig.machine.device<FakeScratch>("scratch").fire_at(fire);
  rig.machine.run_until(10'000);

  const Cycle claim = fire + c.trap_entry;
  const Cycle start = claim + kMmio + c.irq_dispatch;
  const std::vector<MmioAccess> trap(rig.machine.accesses().begin() + 4, rig.machine.accesses().end());
  const std::vector<MmioAccess> want{{claim, 0, plic_claim(0), kScratchSource, false},
                                     {start, 0, kScratchBase, kPending | kEnable, false},
                                     {start + kMmio, 0, kScratchBase, kPending | kEnable, true},
                                     {start + 2 * kMmio, 0, plic_claim(0), kScratchSource, true},
                                     {start + 3 * kMmio, 0, plic_claim(0), 0, false}};
  EXPECT_EQ(trap, want);
  EXPECT_EQ(rig.trace.of(K::HandlerStart), (std::vector<Ev>{{start, 0, K::HandlerStart, kScratchSource}}));
  EXPECT_EQ(rig.trace.of(K::HandlerEnd),
            (std::vector<Ev>{{start + 2 * kMmio, 0, K::HandlerEnd, kScratchSource}}));
  EXPECT_EQ(rig.kernel->stats().sources[kScratchSource].handled, 1u);
  EXPECT_FALSE(rig.machine.device<FakeScratch>("scratch").line(0));
  EXPECT_EQ(rig.trace.of(K::TrapEnter).size(), 1u);  // the completion did not re-pend it
}

}  // namespace scratch_driver_test
}  // namespace irqlab::kernel::test
