// The IPI driver against the fake IPI device: which sources it serves on which context,
// send() as one SET write, and the handler clearing the line before the completion.
// Addresses come from test_support.h, cycles from test_costs() and kMmio.
#include <gtest/gtest.h>

#include <algorithm>

#include "lwp_support.h"

namespace irqlab::kernel::test {
namespace ipi_driver_test {

using K = TraceKind;

const Driver& driver_named(const Kernel& k, const std::string& name) {
  for (const auto& d : k.drivers())
    if (d->name() == name) return *d;
  throw std::out_of_range(name);
}

bool wrote(const FakeMachine& m, unsigned hart, Addr addr, std::uint32_t value) {
  return std::any_of(m.accesses().begin(), m.accesses().end(), [&](const MmioAccess& a) {
    return a.write && a.hart == hart && a.addr == addr && a.value == value;
  });
}

TEST(IpiDriver, ServesEachHartsSourceOnThatHartOnly) {
  KernelConfig k = test_config(2);
  k.ipi_priority = 4;
  Rig rig(k);
  rig.machine.run_until(1000);

  EXPECT_EQ(driver_named(*rig.kernel, "ipi").sources(), (std::vector<unsigned>{7, 8}));
  EXPECT_TRUE(wrote(rig.machine, 0, plic_prio(7), 4));
  EXPECT_TRUE(wrote(rig.machine, 0, plic_prio(8), 4));
  EXPECT_TRUE(wrote(rig.machine, 0, plic_enable(0, 0), 1u << 7));
  EXPECT_TRUE(wrote(rig.machine, 1, plic_enable(1, 0), 1u << 8));
}

TEST(IpiDriver, ServesNothingOnOneCpu) {
  Rig rig(test_config(1));
  rig.machine.run_until(1000);

  EXPECT_TRUE(driver_named(*rig.kernel, "ipi").sources().empty());
  EXPECT_TRUE(wrote(rig.machine, 0, plic_enable(0, 0), 0));
  for (const MmioAccess& a : rig.machine.accesses()) EXPECT_NE(a.addr, plic_prio(7));
}

TEST(IpiDriver, SendRaisesTheTargetLineAndTheHandlerClearsItBeforeCompleting) {
  Rig rig(test_config(2));
  Kernel& kn = *rig.kernel;
  const CostProfile c = kn.config().costs;
  CycleLog log;
  LwpSpec sender = lwp("sender", Band::Kernel, 0, [&] {
    kn.work(1000);
    log.point(kn, "send");
    kn.ipi().send(1);
  });
  sender.bound = true;
  kn.create_lwp(std::move(sender));
  rig.machine.run_until(100'000);

  const Cycle set = log.at["send"];
  const Cycle claim = set + c.trap_entry;
  const Cycle clear = claim + kMmio + c.irq_dispatch;
  const std::vector<MmioAccess> want{{set, 0, ipi_set(1), 1, true},
                                     {claim, 1, plic_claim(1), 8, false},
                                     {clear, 1, ipi_clear(1), 1, true},
                                     {clear + kMmio, 1, plic_claim(1), 8, true},
                                     {clear + 2 * kMmio, 1, plic_claim(1), 0, false}};
  std::vector<MmioAccess> got;
  for (const MmioAccess& a : rig.machine.accesses())
    if (a.cycle >= set) got.push_back(a);
  EXPECT_EQ(got, want);
  EXPECT_EQ(rig.trace.of(K::HandlerStart), (std::vector<Ev>{{clear, 1, K::HandlerStart, 8}}));
  EXPECT_FALSE(rig.machine.device<FakeIpi>("ipi").line(1));
}

}  // namespace ipi_driver_test
}  // namespace irqlab::kernel::test
