// IPL and soft levels: an interrupt held pending until splx, soft levels served highest
// first on splx and on interrupt return, in place and on softint LWPs (LS).
#include <gtest/gtest.h>

#include "lwp_support.h"
#include "personality/netbsd/netbsd.h"

namespace irqlab::kernel::test {
namespace spl_test {

using K = TraceKind;

KernelConfig netbsd_config() {
  KernelConfig k = test_config(1);
  k.ipl = netbsd_ipl_table(7);  // VM masks priorities <= 5, SCHED <= 6, HIGH all
  return k;
}

TEST(Spl, InterruptAtOrBelowLevelStaysPendingUntilSplx) {
  KernelConfig k = netbsd_config();
  k.injected.push_back({3, 5, 40, {}});
  Rig rig(k);
  Kernel& kn = *rig.kernel;
  Spl& spl = kn.spl();
  Cycle lowered = 0;
  unsigned old = 99;
  kn.create_lwp(lwp("t", Band::Kernel, 0, [&] {
    old = spl.raise(spl.find("VM"));
    kn.work(1000);
    lowered = kn.machine().now();
    spl.splx(old);
  }));
  rig.machine.pulse_source(3, 500);
  rig.machine.run_until(100'000);
  EXPECT_EQ(old, 0u);
  // THRESHOLD = 5 on raise, 0 on splx; the held source is taken at that write's boundary.
  std::vector<MmioAccess> thresholds;
  for (const MmioAccess& a : rig.machine.accesses())
    if (a.addr == plic_threshold(0) && a.cycle > idle_cycle(k.costs, 1)) thresholds.push_back(a);
  EXPECT_EQ(thresholds, (std::vector<MmioAccess>{{lowered - 1000 - kMmio, 0, plic_threshold(0), 5, true},
                                                 {lowered, 0, plic_threshold(0), 0, true}}));
  EXPECT_EQ(rig.trace.of(K::TrapEnter), (std::vector<Ev>{{lowered + kMmio, 0, K::TrapEnter, 0}}));
}

TEST(Spl, RaiseNeverLowersAndSameThresholdWritesNothing) {
  KernelConfig k = netbsd_config();
  Rig rig(k);
  Kernel& kn = *rig.kernel;
  Spl& spl = kn.spl();
  std::vector<unsigned> seen;
  kn.create_lwp(lwp("t", Band::Kernel, 0, [&] {
    const unsigned a = spl.raise(spl.find("SOFTNET"));  // soft: threshold stays 0
    const unsigned b = spl.raise(spl.find("SOFTCLOCK"));
    seen = {a, b, spl.level()};
    spl.splx(a);
  }));
  const std::size_t before = 2;  // enable word, threshold at boot
  rig.machine.run_until(100'000);
  EXPECT_EQ(seen, (std::vector<unsigned>{0, 4, 4}));
  EXPECT_EQ(rig.machine.accesses().size(), before);
}

TEST(Spl, SoftLevelsRunOnSplxHighestFirst) {
  KernelConfig k = netbsd_config();
  Rig rig(k);
  Kernel& kn = *rig.kernel;
  Spl& spl = kn.spl();
  CycleLog log;
  for (const char* name : {"SOFTCLOCK", "SOFTNET", "SOFTSERIAL"})
    spl.establish(spl.find(name), SoftMode::InPlace, [&kn, &log, &spl, name](unsigned) {
      log.point(kn, std::string(name) + "@" + spl.table()[spl.level()].name);
      kn.work(10);
    });
  Cycle lowered = 0;
  kn.create_lwp(lwp("t", Band::Kernel, 0, [&] {
    const unsigned s = spl.raise(spl.find("VM"));
    spl.trigger(spl.find("SOFTCLOCK"));
    spl.trigger(spl.find("SOFTNET"));
    spl.trigger(spl.find("SOFTSERIAL"));
    log.point(kn, "triggered");
    lowered = kn.machine().now();
    spl.splx(s);
    log.point(kn, "back");
  }));
  rig.machine.run_until(100'000);
  EXPECT_EQ(log.order, (std::vector<std::string>{"triggered", "SOFTSERIAL@SOFTSERIAL",
                                                 "SOFTNET@SOFTNET", "SOFTCLOCK@SOFTCLOCK", "back"}));
  EXPECT_EQ(log.at["SOFTSERIAL@SOFTSERIAL"], lowered + kMmio);
  EXPECT_EQ(log.at["back"], lowered + kMmio + 30);
}

TEST(Spl, SoftLevelRunsOnInterruptReturnBeforeTrapExit) {
  KernelConfig k = netbsd_config();
  Rig rig(k);
  Kernel& kn = *rig.kernel;
  Spl& spl = kn.spl();
  CycleLog log;
  const unsigned net = spl.find("SOFTNET");
  spl.establish(net, SoftMode::InPlace, [&](unsigned) {
    log.point(kn, "softnet");
    kn.work(50);
  });
  kn.attach_irq(3, 1, [&](unsigned) { spl.trigger(net); });
  rig.machine.pulse_source(3, 5000);
  rig.machine.run_until(100'000);
  const CostProfile& c = k.costs;
  const Cycle doreti = 5000 + c.trap_entry + kMmio + c.irq_dispatch + 2 * kMmio;
  EXPECT_EQ(log.at["softnet"], doreti);
  EXPECT_EQ(rig.trace.of(K::SoftDispatch), (std::vector<Ev>{{doreti, 0, K::SoftDispatch, net}}));
  EXPECT_EQ(rig.trace.of(K::TrapExit),
            (std::vector<Ev>{{doreti + 50 + c.trap_exit, 0, K::TrapExit, 0}}));
}

TEST(Spl, SoftintLwpIsReachedByLightweightSwitches) {
  KernelConfig k = netbsd_config();
  Rig rig(k);
  Kernel& kn = *rig.kernel;
  Spl& spl = kn.spl();
  CycleLog log;
  const unsigned net = spl.find("SOFTNET");
  spl.establish(net, SoftMode::OwnLwp, [&](unsigned) {
    log.point(kn, "softnet:" + kn.sched().current().name);
    kn.work(50);
  });
  kn.attach_irq(3, 1, [&](unsigned) { spl.trigger(net); });
  rig.machine.pulse_source(3, 5000);
  rig.machine.run_until(100'000);
  const CostProfile& c = k.costs;
  const Cycle doreti = 5000 + c.trap_entry + kMmio + c.irq_dispatch + 2 * kMmio;
  EXPECT_EQ(log.at["softnet:softint/SOFTNET/0"], doreti + c.switch_light);
  const LwpId si = 1;  // after idle/0
  EXPECT_EQ(rig.trace.of(K::Switch),
            (std::vector<Ev>{{doreti, 0, K::Switch, switch_arg(SwitchKind::Light, si)},
                             {doreti + c.switch_light + 50, 0, K::Switch, switch_arg(SwitchKind::Light, 0)}}));
  EXPECT_EQ(rig.trace.of(K::TrapExit),
            (std::vector<Ev>{{doreti + 2 * c.switch_light + 50 + c.trap_exit, 0, K::TrapExit, 0}}));
  const KernelStats s = kn.stats();
  EXPECT_EQ(s.cpus[0].switches, (SwitchCounts{0, 2, 1}));
  EXPECT_EQ(s.lwps[si].switches, (SwitchCounts{0, 1, 0}));
  EXPECT_EQ(s.lwps[0].switches, (SwitchCounts{0, 1, 1}));
}

}  // namespace spl_test
}  // namespace irqlab::kernel::test
