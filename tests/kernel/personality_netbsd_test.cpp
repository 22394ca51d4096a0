// The netbsd personality, rule by rule (research/kernel-semantics.md §3: N-IPL, N-HI,
// N-SI). Exact cycles from the test cost profile; LWP ids on one CPU: idle/0 = 0, the
// softint LWPs clock 1, bio 2, net 3, serial 4, then the test's LWPs.
#include <gtest/gtest.h>

#include "personality_support.h"
#include "sync/condvar.h"
#include "sync/rwlock.h"

namespace irqlab::kernel::test {
namespace personality_netbsd_test {

using K = TraceKind;
using namespace netbsd;

constexpr LwpId kSoftNet = 3;  // softint LWPs: clock 1, net 3, serial 4

TEST(NetbsdIpl, N_IPL_1_TableAndAliasesSplnetIsSplvm) {
  KernelConfig k = netbsd_config();
  k.injected.push_back({3, 5, 40, {}});  // a network device: masked by VM (<= 5)
  Rig rig(k);
  Kernel& kn = *rig.kernel;
  Netbsd& nb = of(kn);
  std::vector<std::string> names;
  for (const IplLevel& l : kn.spl().table()) names.push_back(l.name);
  EXPECT_EQ(names, (std::vector<std::string>{"NONE", "PREEMPT", "SOFTCLOCK", "SOFTBIO", "SOFTNET",
                                             "SOFTSERIAL", "VM", "SCHED", "HIGH"}));
  EXPECT_TRUE(kn.config().sched.kernel_preemption);
  Cycle lowered = 0, soft_done = 0;
  unsigned at_splnet = 0;
  kn.create_lwp(lwp("t", Band::Kernel, 0, [&] {
    const unsigned s = nb.splnet();  // = splvm: masks the device
    at_splnet = kn.spl().level();
    for (int i = 0; i < 10; ++i) kn.work(100);
    lowered = kn.machine().now();
    nb.splx(s);
    const unsigned t = nb.splsoftnet();  // soft: masks no device
    for (int i = 0; i < 10; ++i) kn.work(100);
    soft_done = kn.machine().now();
    nb.splx(t);
  }));
  const Cycle t0 = idle_at(k.costs, 1) + fs(k.costs);
  rig.machine.pulse_source(3, t0 + 500);
  rig.machine.pulse_source(3, t0 + 1600);
  rig.machine.run_until(100'000);
  EXPECT_EQ(at_splnet, nb.ipl("VM"));
  const std::vector<Ev> traps = rig.trace.of(K::TrapEnter);
  ASSERT_EQ(traps.size(), 2u);
  EXPECT_EQ(std::get<0>(traps[0]), lowered + kMmio);  // held until splx wrote THRESHOLD 0
  EXPECT_LT(std::get<0>(traps[1]), soft_done);        // taken under splsoftnet
}

TEST(NetbsdHardIntr, N_HI_1_AdaptiveMutexInHardInterruptPanics) {
  KernelConfig k = netbsd_config();
  Rig rig(k);
  Kernel& kn = *rig.kernel;
  NetbsdMutex m(kn, "sc_lock", 0);
  kn.attach_irq(3, 1, [&](unsigned) { m.enter(); });
  rig.machine.pulse_source(3, 5000);
  const std::string msg = panic_message(rig);
  EXPECT_TRUE(contains(msg, "adaptive mutex sc_lock taken in interrupt context")) << msg;
  EXPECT_TRUE(contains(msg, "cycle " + std::to_string(handler_at(k.costs, 5000)))) << msg;
}

TEST(NetbsdHardIntr, N_HI_2_MutexInitIplChoosesSpinOrAdaptive) {
  KernelConfig k = netbsd_config();
  Rig rig(k);
  Kernel& kn = *rig.kernel;
  Netbsd& nb = of(kn);
  NetbsdMutex none(kn, "none", 0), softnet(kn, "softnet", nb.ipl("SOFTNET")),
      vm(kn, "vm", nb.ipl("VM")), high(kn, "high", nb.ipl("HIGH"));
  EXPECT_FALSE(none.spin());
  EXPECT_FALSE(softnet.spin());
  EXPECT_TRUE(vm.spin());
  EXPECT_TRUE(high.spin());
  // The spin mutex raises the SPL to its IPL (THRESHOLD 5) ...
  unsigned level = 0, in_handler = 0;
  Cycle entered = 0;
  kn.create_lwp(lwp("t", Band::Kernel, 0, [&] {
    entered = kn.machine().now();
    vm.enter();
    level = kn.spl().level();
    vm.exit();
  }));
  // ... and, never sleeping, may be taken in a hard interrupt handler.
  kn.attach_irq(3, 5, [&](unsigned) {
    vm.enter();
    in_handler = kn.spl().level();
    vm.exit();
  });
  rig.machine.pulse_source(3, 5000);
  rig.machine.run_until(100'000);
  EXPECT_EQ(level, nb.ipl("VM"));
  EXPECT_EQ(in_handler, nb.ipl("VM"));
  std::vector<MmioAccess> thresholds;
  for (const MmioAccess& a : rig.machine.accesses())
    if (a.addr == plic_threshold(0) && a.cycle >= entered) thresholds.push_back(a);
  // In the thread: up and down. In the handler the level is VM already (raised without
  // a THRESHOLD write, interrupts being off): the exit's splx(VM) writes VM's threshold
  // and the handler's return restores 0.
  const Cycle h = handler_at(k.costs, 5000) + 2 * k.costs.lock_fast;
  EXPECT_EQ(thresholds, (std::vector<MmioAccess>{{entered, 0, plic_threshold(0), 5, true},
                                                 {entered + kMmio + 2 * k.costs.lock_fast, 0,
                                                  plic_threshold(0), 0, true},
                                                 {h, 0, plic_threshold(0), 5, true},
                                                 {h + kMmio, 0, plic_threshold(0), 0, true}}));
}

TEST(NetbsdIpl, N_IPL_1_DeviceHandlersRunAtTheirDeviceIpl) {
  KernelConfig k = netbsd_config();
  Rig rig(k);
  Kernel& kn = *rig.kernel;
  Netbsd& nb = of(kn);
  SpinMutex sc(kn, "sc", nb.ipl("VM"));
  std::vector<std::string> log;
  const auto c = nb.softint_establish(SOFTINT_NET | SOFTINT_MPSAFE, "rx", [&] { log.push_back("rx"); });
  std::vector<unsigned> levels;
  for (unsigned prio : {5u, 6u, 7u})
    kn.attach_irq(2 + prio, prio, [&](unsigned) { levels.push_back(kn.spl().level()); });
  kn.attach_irq(3, 5, [&](unsigned) {
    nb.softint_schedule(*c);
    sc.enter();
    sc.exit();  // splx back to VM, not to NONE: the softint waits for doreti
    log.push_back("handler done");
  });
  rig.machine.pulse_source(3, 5000);
  for (unsigned prio : {5u, 6u, 7u}) rig.machine.pulse_source(2 + prio, 6000 + 1000 * prio);
  rig.machine.run_until(100'000);
  EXPECT_EQ(log, (std::vector<std::string>{"handler done", "rx"}));
  EXPECT_EQ(levels, (std::vector<unsigned>{nb.ipl("VM"), nb.ipl("SCHED"), nb.ipl("HIGH")}));
  const Cycle d = doreti_at(k.costs, 5000, 2 * k.costs.lock_fast + 2 * kMmio);
  EXPECT_EQ(rig.trace.of(TraceKind::SoftDispatch),
            (std::vector<Ev>{{d, 0, TraceKind::SoftDispatch, nb.softint_ipl(SOFTINT_NET)}}));
}

TEST(NetbsdSoftint, N_SI_1_FourLevelsPerCpuEachWithABoundLwp) {
  Rig rig(netbsd_config(2));
  Kernel& kn = *rig.kernel;
  Netbsd& nb = of(kn);
  const char* names[] = {"SOFTCLOCK", "SOFTBIO", "SOFTNET", "SOFTSERIAL"};
  for (unsigned cpu = 0; cpu < 2; ++cpu)
    for (unsigned l = 0; l < SOFTINT_COUNT; ++l) {
      const Lwp& s = nb.softint_lwp(cpu, l);
      EXPECT_EQ(s.id, 2 + 2 * l + cpu);
      EXPECT_EQ(s.name, std::string("softint/") + names[l] + "/" + std::to_string(cpu));
      EXPECT_TRUE(s.softint);  // LP_INTR
      EXPECT_TRUE(s.bound);
      EXPECT_EQ(s.cpu, cpu);
      EXPECT_EQ(s.priority, 220 + l);  // the top four of the Interrupt band 128..223
      EXPECT_EQ(s.state, LwpState::Dormant);
    }
  EXPECT_GT(nb.softint_lwp(0, SOFTINT_CLOCK).priority, band_range(Band::UserRealtime).base + 31);
}

TEST(NetbsdSoftint, N_SI_2_EstablishReplicatesOnEveryCpuAndFailsWhenFull) {
  NetbsdOptions o;
  o.softint_max = 2;
  KernelConfig k = netbsd_config(2, o);
  Rig rig(k);
  Kernel& kn = *rig.kernel;
  Netbsd& nb = of(kn);
  std::vector<std::string> ran;
  const auto a = nb.softint_establish(SOFTINT_BIO | SOFTINT_MPSAFE, "a", [&] {
    ran.push_back(kn.sched().current().name + (kn.big_lock().owner() ? " locked" : ""));
  });
  const auto b = nb.softint_establish(SOFTINT_SERIAL, "b", [] {});
  ASSERT_TRUE(a && b);
  EXPECT_FALSE(nb.softint_establish(SOFTINT_NET, "c", [] {}));  // table full: NULL
  EXPECT_EQ(nb.work_of(*a).stats().mechanism, "softint/bio");
  kn.attach_irq(3, 1, [&](unsigned) { nb.softint_schedule(*a); }, {0});
  kn.attach_irq(4, 1, [&](unsigned) { nb.softint_schedule(*a); }, {1});
  rig.machine.pulse_source(3, 5000);
  rig.machine.pulse_source(4, 8000);
  rig.machine.run_until(100'000);
  EXPECT_EQ(ran, (std::vector<std::string>{"softint/SOFTBIO/0", "softint/SOFTBIO/1"}));
}

// A hard handler on source 3 schedules the handlers in `order` (by cookie).
struct SoftRig {
  explicit SoftRig(KernelConfig k) : config(std::move(k)), rig(config), kn(*rig.kernel), nb(of(kn)) {}
  SoftintCookie add(unsigned flags, const std::string& name, Cycle cycles,
                    std::function<void()> extra = {}) {
    const auto c = nb.softint_establish(flags, name, [this, name, cycles, extra] {
      log.point(kn, name);
      kn.work(cycles);
      if (extra) extra();
    });
    EXPECT_TRUE(c.has_value());
    return *c;
  }
  void on_irq(std::vector<SoftintCookie> order, unsigned source = 3) {
    kn.attach_irq(source, 1, [this, order](unsigned) {
      for (SoftintCookie c : order) nb.softint_schedule(c);
    });
  }
  KernelConfig config;
  Rig rig;
  Kernel& kn;
  Netbsd& nb;
  CycleLog log;
};

TEST(NetbsdSoftint, N_SI_3_ScheduleDedupesPendingQueuesFifoAndTriggersOnce) {
  SoftRig r(netbsd_config());
  const SoftintCookie a = r.add(SOFTINT_NET | SOFTINT_MPSAFE, "a", 10);
  const SoftintCookie b = r.add(SOFTINT_NET | SOFTINT_MPSAFE, "b", 10);
  bool pending_in_handler = false;
  r.kn.attach_irq(3, 1, [&](unsigned) {
    r.nb.softint_schedule(a);
    r.nb.softint_schedule(b);
    r.nb.softint_schedule(a);  // PENDING: nothing
    pending_in_handler = r.nb.pending(a, 0) && r.nb.level_active(0, SOFTINT_NET);
  });
  r.rig.machine.pulse_source(3, 5000);
  r.rig.machine.run_until(100'000);
  const CostProfile& c = r.config.costs;
  EXPECT_TRUE(pending_in_handler);
  EXPECT_EQ(r.log.order, (std::vector<std::string>{"a", "b"}));
  const Cycle d = doreti_at(c, 5000);
  EXPECT_EQ(r.log.at["a"], d + c.switch_light);
  EXPECT_EQ(r.log.at["b"], d + c.switch_light + 10);
  EXPECT_EQ(r.rig.trace.of(K::SoftDispatch).size(), 1u);  // one trigger for the level
  const KernelStats s = r.kn.stats();
  EXPECT_EQ(deferred_named(s, "a").raised, 2u);
  EXPECT_EQ(deferred_named(s, "a").coalesced, 1u);
  EXPECT_EQ(deferred_named(s, "a").runs, 1u);
  EXPECT_FALSE(r.nb.pending(a, 0));
  EXPECT_FALSE(r.nb.level_active(0, SOFTINT_NET));
}

TEST(NetbsdSoftint, N_SI_3_ScheduleActsOnTheCurrentCpuOnly) {
  SoftRig r(netbsd_config(2));
  std::vector<unsigned> cpus;
  const SoftintCookie a = r.add(SOFTINT_NET | SOFTINT_MPSAFE, "a", 10,
                                [&] { cpus.push_back(r.kn.machine().cpu_id()); });
  r.kn.attach_irq(3, 1, [&](unsigned) { r.nb.softint_schedule(a); }, {1});
  r.rig.machine.pulse_source(3, 5000);
  r.rig.machine.run_until(100'000);
  EXPECT_EQ(cpus, (std::vector<unsigned>{1}));
  EXPECT_EQ(r.kn.stats().cpus[0].switches, (SwitchCounts{0, 0, 0}));
}

TEST(NetbsdSoftint, N_SI_4_RescheduledWhileRunningRunsAgainInTheSameDispatch) {
  SoftRig r(netbsd_config());
  int runs = 0;
  SoftintCookie a = 0;
  a = r.add(SOFTINT_NET | SOFTINT_MPSAFE, "a", 10, [&] {
    if (++runs == 1) r.nb.softint_schedule(a);  // PENDING was cleared: queued again
  });
  r.on_irq({a});
  r.rig.machine.pulse_source(3, 5000);
  r.rig.machine.run_until(100'000);
  const CostProfile& c = r.config.costs;
  EXPECT_EQ(runs, 2);
  const Cycle d = doreti_at(c, 5000);
  EXPECT_EQ(r.rig.trace.of(K::DeferStart),
            (std::vector<Ev>{{d + c.switch_light, 0, K::DeferStart, 0},
                             {d + c.switch_light + 10, 0, K::DeferStart, 0}}));
  EXPECT_EQ(r.kn.stats().cpus[0].switches, (SwitchCounts{0, 2, 1}));  // one LS pair
}

TEST(NetbsdSoftint, N_SI_5_NonMpsafeHandlersRunUnderKernelLockTakenLazily) {
  SoftRig r(netbsd_config());
  std::vector<std::string> owners;
  const auto owner = [&] {
    const Lwp* o = r.kn.big_lock().owner();
    owners.push_back(o ? o->name : "-");
  };
  const SoftintCookie a = r.add(SOFTINT_NET, "a", 10, owner);
  const SoftintCookie b = r.add(SOFTINT_NET, "b", 10, owner);
  const SoftintCookie m = r.add(SOFTINT_NET | SOFTINT_MPSAFE, "m", 10, owner);
  r.on_irq({a, b, m});
  r.rig.machine.pulse_source(3, 5000);
  r.rig.machine.run_until(100'000);
  const CostProfile& c = r.config.costs;
  EXPECT_EQ(owners, (std::vector<std::string>{"softint/SOFTNET/0", "softint/SOFTNET/0", "-"}));
  EXPECT_EQ(r.kn.big_lock().stats().acquisitions, 1u);  // once for a and b
  const Cycle start = doreti_at(c, 5000) + c.switch_light;
  EXPECT_EQ(r.log.at["a"], start + c.lock_fast);
  EXPECT_EQ(r.log.at["b"], start + c.lock_fast + 10);
  EXPECT_EQ(r.log.at["m"], start + c.lock_fast + 20 + c.lock_fast);  // dropped before m
}

TEST(NetbsdSoftint, N_SI_5_ReturningHoldingASpinMutexPanics) {
  SoftRig r(netbsd_config());
  SpinMutex spin(r.kn, "spin", r.nb.ipl("VM"));
  const SoftintCookie a = r.add(SOFTINT_NET | SOFTINT_MPSAFE, "a", 10, [&] { spin.enter(); });
  r.on_irq({a});
  r.rig.machine.pulse_source(3, 5000);
  const std::string msg = panic_message(r.rig);
  EXPECT_TRUE(contains(msg, "softint handler a returned holding a spin mutex (IPL VM)")) << msg;
}

TEST(NetbsdSoftint, N_SI_6_HighestLevelFirstAndOnlyBelowTheCurrentSpl) {
  SoftRig r(netbsd_config());
  const SoftintCookie clk = r.add(SOFTINT_CLOCK | SOFTINT_MPSAFE, "clock", 10);
  const SoftintCookie net = r.add(SOFTINT_NET | SOFTINT_MPSAFE, "net", 10);
  const SoftintCookie ser = r.add(SOFTINT_SERIAL | SOFTINT_MPSAFE, "serial", 10);
  r.on_irq({clk, net, ser});
  r.rig.machine.pulse_source(3, 5000);
  r.rig.machine.run_until(20'000);
  EXPECT_EQ(r.log.order, (std::vector<std::string>{"serial", "net", "clock"}));
  const CostProfile& c = r.config.costs;
  const Cycle d = doreti_at(c, 5000);
  EXPECT_EQ(r.log.at["serial"], d + c.switch_light);
  EXPECT_EQ(r.log.at["net"], d + 2 * c.switch_light + 10 + c.switch_light);
  EXPECT_EQ(r.log.at["clock"], d + 5 * c.switch_light + 20);
  const unsigned s = r.nb.softint_ipl(SOFTINT_SERIAL), n = r.nb.softint_ipl(SOFTINT_NET),
                 k = r.nb.softint_ipl(SOFTINT_CLOCK);
  EXPECT_EQ(r.rig.trace.of(K::SoftDispatch),
            (std::vector<Ev>{{d, 0, K::SoftDispatch, s},
                             {d + 2 * c.switch_light + 10, 0, K::SoftDispatch, n},
                             {d + 4 * c.switch_light + 20, 0, K::SoftDispatch, k}}));
}

TEST(NetbsdSoftint, N_SI_6_HeldUntilSplxLowersBelowTheLevel) {
  SoftRig r(netbsd_config());
  const SoftintCookie net = r.add(SOFTINT_NET | SOFTINT_MPSAFE, "net", 10);
  const SoftintCookie ser = r.add(SOFTINT_SERIAL | SOFTINT_MPSAFE, "serial", 10);
  r.kn.create_lwp(lwp("t", Band::Kernel, 0, [&] {
    const unsigned s = r.nb.splsoftnet();
    r.nb.softint_schedule(net);  // at SOFTNET: held
    r.nb.softint_schedule(ser);  // above: served at once
    r.log.point(r.kn, "splx");
    r.nb.splx(s);
    r.log.point(r.kn, "back");
  }));
  r.rig.machine.run_until(100'000);
  EXPECT_EQ(r.log.order, (std::vector<std::string>{"serial", "splx", "net", "back"}));
  const CostProfile& c = r.config.costs;
  EXPECT_EQ(r.log.at["net"], r.log.at["splx"] + c.switch_light);
  EXPECT_EQ(r.log.at["back"], r.log.at["splx"] + 2 * c.switch_light + 10);
}

TEST(NetbsdSoftint, N_SI_6_HigherLevelInterruptsARunningSoftintByAnotherLightweightSwitch) {
  SoftRig r(netbsd_config());
  const Lwp* serial_pinned = nullptr;
  const SoftintCookie ser = r.add(SOFTINT_SERIAL | SOFTINT_MPSAFE, "serial", 10, [&] {
    serial_pinned = r.kn.sched().current().pinned;
  });
  const SoftintCookie net = r.add(SOFTINT_NET | SOFTINT_MPSAFE, "net", 0, [&] {
    for (int i = 0; i < 10; ++i) r.kn.work(100);
    r.log.point(r.kn, "net done");
  });
  r.on_irq({net}, 3);
  r.on_irq({ser}, 4);
  r.rig.machine.pulse_source(3, 5000);
  r.rig.machine.pulse_source(4, 5500);
  r.rig.machine.run_until(100'000);
  EXPECT_EQ(r.log.order, (std::vector<std::string>{"net", "serial", "net done"}));
  EXPECT_EQ(serial_pinned, &r.nb.softint_lwp(0, SOFTINT_NET));
  const KernelStats s = r.kn.stats();
  EXPECT_EQ(s.cpus[0].switches, (SwitchCounts{0, 4, 2}));
  // Switches out of and back into the net softint while it runs are charged to it, and so
  // is the higher-level interrupt taken while it ran.
  EXPECT_EQ(deferred_named(s, "net").switches, (SwitchCounts{0, 4, 1}));
  EXPECT_EQ(deferred_named(s, "serial").switches, (SwitchCounts{0, 2, 0}));
  EXPECT_EQ(s.lwps[kSoftNet].switches, (SwitchCounts{0, 2, 1}));  // the IC came in on it
}

TEST(NetbsdSoftint, N_SI_7_LightweightSwitchKeepsTheInterruptedLwpPinned) {
  SoftRig r(netbsd_config());
  const Lwp* pinned = nullptr;
  bool pinned_running = false, runq_empty = false;
  const SoftintCookie a = r.add(SOFTINT_NET | SOFTINT_MPSAFE, "a", 50, [&] {
    const Lwp& self = r.kn.sched().current();
    pinned = self.pinned;
    pinned_running = pinned->state == LwpState::Running;
    runq_empty = r.kn.cpu_state().runq.empty();
  });
  r.on_irq({a});
  LwpSpec u = lwp("user", Band::UserTimeshare, 0, [&] {
    for (int i = 0; i < 10; ++i) r.kn.user(100);
  });
  u.user = true;
  Lwp& user = r.kn.create_lwp(std::move(u));
  const CostProfile& c = r.config.costs;
  const Cycle t0 = idle_at(c, 1) + fs(c);
  r.rig.machine.pulse_source(3, t0 + 250);
  r.rig.machine.run_until(100'000);
  const Cycle t1 = t0 + 300, d = doreti_at(c, t1);
  const Cycle t5 = d + 2 * c.switch_light + 50 + c.trap_exit;
  EXPECT_EQ(pinned, &user);
  EXPECT_TRUE(pinned_running);  // LSONPROC, not queued (N-SI-8/9)
  EXPECT_TRUE(runq_empty);
  EXPECT_EQ(r.log.at["a"], d + c.switch_light);
  EXPECT_EQ(r.rig.trace.of(K::Switch),
            (std::vector<Ev>{{idle_at(c, 1), 0, K::Switch, switch_arg(SwitchKind::Full, user.id)},
                             {d, 0, K::Switch, switch_arg(SwitchKind::Light, kSoftNet)},
                             {d + c.switch_light + 50, 0, K::Switch, switch_arg(SwitchKind::Light, user.id)},
                             {t0 + 1000 + (t5 - t1), 0, K::Switch, switch_arg(SwitchKind::Full, 0)}}));
  EXPECT_EQ(r.rig.trace.of(K::TrapExit), (std::vector<Ev>{{t5, 0, K::TrapExit, 0}}));
  const KernelStats s = r.kn.stats();
  EXPECT_EQ(s.cpus[0].switches, (SwitchCounts{2, 2, 1}));
  EXPECT_EQ(s.lwps[kSoftNet].switches, (SwitchCounts{0, 1, 0}));
  EXPECT_EQ(deferred_named(s, "a").switches, (SwitchCounts{0, 2, 0}));
}

// N-SI-8/9 on the way to sleep: an LWP in cv_wait is on the condition variable's sleep
// queue when releasing the interlock (a spin mutex at IPL_VM) lets a pending interrupt in,
// whose softint runs pinning it. The LS back leaves it Sleeping, so its block() switches it
// out and only the signal wakes it, once. Marking it Running on the LS made cv_wait return
// at once while the sleep queue still held it (the soak's netbsd stall, docs/reliability.md).
TEST(NetbsdSoftint, N_SI_9_AnLwpInterruptedOnItsWayToSleepStillSleeps) {
  SoftRig r(netbsd_config());
  SpinMutex interlock(r.kn, "interlock", r.nb.ipl("VM"));
  CondVar cv(r.kn, "cv");
  const SoftintCookie a = r.add(SOFTINT_NET | SOFTINT_MPSAFE, "a", 50);
  r.on_irq({a});
  unsigned returns = 0;
  Lwp& sleeper = r.kn.create_lwp(lwp("sleeper", Band::Kernel, 10, [&] {
    interlock.enter();
    r.kn.work(300);  // the interrupt arrives here, held off by IPL_VM
    cv.wait(interlock);
    ++returns;
    r.log.point(r.kn, "woken");
    interlock.exit();
  }));
  r.kn.create_lwp(lwp("waker", Band::Kernel, 0, [&] {
    r.log.point(r.kn, "signal");
    interlock.enter();
    cv.signal();
    interlock.exit();
  }));
  const CostProfile& c = r.config.costs;
  r.rig.machine.pulse_source(3, idle_at(c, 1) + fs(c) + 100);
  r.rig.machine.run_until(100'000);
  ASSERT_EQ(r.log.at.count("a"), 1u);
  EXPECT_EQ(returns, 1u);
  EXPECT_LT(r.log.at["a"], r.log.at["signal"]);      // the softint ran in the window
  EXPECT_GT(r.log.at["woken"], r.log.at["signal"]);  // and the sleeper slept through it
  EXPECT_EQ(sleeper.blocks, 1u);
}

TEST(NetbsdSoftint, N_SI_8_PinnedLwpStillDecidesPreemptionWhileSoftintRuns) {
  SoftRig r(netbsd_config());
  SleepQueue q;
  Lwp& sleeper = r.kn.create_lwp(lwp("sleeper", Band::Kernel, 0, [&] {
    sleep_on(r.kn, q);
    r.log.point(r.kn, "woken");
  }));
  bool resched = false, still_softint = false;
  const SoftintCookie a = r.add(SOFTINT_NET | SOFTINT_MPSAFE, "a", 0, [&] {
    wake_one(r.kn, q);  // beats the pinned user LWP, not the softint LWP
    resched = r.kn.cpu_state().need_resched;
    still_softint = r.kn.sched().current().id == kSoftNet;
  });
  r.on_irq({a});
  LwpSpec u = lwp("user", Band::UserTimeshare, 0, [&] {
    for (int i = 0; i < 10; ++i) r.kn.user(100);
  });
  u.user = true;
  r.kn.create_lwp(std::move(u));
  const CostProfile& c = r.config.costs;
  const Cycle t0 = idle_at(c, 1) + 2 * fs(c);  // the sleeper ran first and slept
  r.rig.machine.pulse_source(3, t0 + 250);
  r.rig.machine.run_until(100'000);
  EXPECT_TRUE(resched);
  EXPECT_TRUE(still_softint);  // softints never preempt (N-SI-9)
  const Cycle d = doreti_at(c, t0 + 300);
  // LS back to the user LWP, whose trap return takes the reschedule.
  EXPECT_EQ(r.log.at["woken"], d + c.switch_light + c.wakeup + c.runq_insert + c.switch_light +
                                   preempt_fs(c));
  EXPECT_EQ(switches_of(r.kn, sleeper).full, 2u);
}

TEST(NetbsdSoftint, N_SI_9_SoftintNeverPreemptsTheInterruptedLwp) {
  SoftRig r(netbsd_config());
  const SoftintCookie a = r.add(SOFTINT_NET | SOFTINT_MPSAFE, "a", 50);
  r.on_irq({a});
  Lwp& t = r.kn.create_lwp(lwp("kthread", Band::Kernel, 0, [&] {
    for (int i = 0; i < 10; ++i) r.kn.work(100);
    r.log.point(r.kn, "done");
  }));
  const CostProfile& c = r.config.costs;
  const Cycle t0 = idle_at(c, 1) + fs(c);
  r.rig.machine.pulse_source(3, t0 + 250);
  r.rig.machine.run_until(100'000);
  const Cycle d = doreti_at(c, t0 + 300);
  const Cycle t5 = d + 2 * c.switch_light + 50 + c.trap_exit;
  EXPECT_EQ(r.log.at["done"], t5 + 700);  // straight back: no run-queue work, no FS
  EXPECT_EQ(switches_of(r.kn, t), (SwitchCounts{1, 1, 1}));
  EXPECT_EQ(r.kn.stats().cpus[0].switches.full, 2u);  // idle -> kthread, its exit -> idle
}

TEST(NetbsdSoftint, N_SI_10_SoftintMayBlockOnLocksButCvWaitPanics) {
  SoftRig r(netbsd_config());
  RwLock rw(r.kn, "rw");
  AdaptiveMutex m(r.kn, "m");
  CondVar cv(r.kn, "cv");
  const SoftintCookie a = r.add(SOFTINT_NET | SOFTINT_MPSAFE, "a", 0, [&] {
    rw.enter_read();  // rwlocks and adaptive mutexes are allowed
    rw.exit();
    m.enter();
    cv.wait(m);  // never a condition variable
  });
  r.on_irq({a});
  r.rig.machine.pulse_source(3, 5000);
  const std::string msg = panic_message(r.rig);
  EXPECT_TRUE(contains(msg, "cv_wait on cv from a softint LWP")) << msg;
  EXPECT_TRUE(contains(msg, "lwp 3 (softint/SOFTNET/0)")) << msg;
}

// A kernel LWP holds mutex m while an interrupt's softnet handler wants it: the softint
// blocks (LS back), is woken at the release (kernel preemption, FS) and ends with an FS.
struct BlockRig : SoftRig {
  BlockRig() : SoftRig(netbsd_config()), m(kn, "m") {
    a = add(SOFTINT_NET | SOFTINT_MPSAFE, "a", 0, [this] {
      m.enter();
      log.point(kn, "a owns");
      kn.work(20);
      m.exit();
    });
    on_irq({a});
    holder = &kn.create_lwp(lwp("holder", Band::Kernel, 0, [this] {
      m.enter();
      for (int i = 0; i < 10; ++i) kn.work(100);
      log.point(kn, "release");
      m.exit();
      log.point(kn, "holder back");
    }));
    const CostProfile& c = config.costs;
    t0 = idle_at(c, 1) + fs(c);
    rig.machine.pulse_source(3, t0 + c.lock_fast + 250);
    rig.machine.run_until(100'000);
    d = doreti_at(c, t0 + c.lock_fast + 300);
  }
  AdaptiveMutex m;
  SoftintCookie a = 0;
  Lwp* holder = nullptr;
  Cycle t0 = 0, d = 0;
};

TEST(NetbsdSoftint, N_SI_11_BlockingReturnsToThePinnedLwpWithALightweightSwitch) {
  BlockRig r;
  const CostProfile& c = r.config.costs;
  const Cycle block = r.d + c.switch_light + c.lock_slow_block;
  const std::vector<Ev> sw = r.rig.trace.of(K::Switch);
  ASSERT_GE(sw.size(), 3u);
  EXPECT_EQ(sw[1], (Ev{r.d, 0, K::Switch, switch_arg(SwitchKind::Light, kSoftNet)}));
  EXPECT_EQ(sw[2], (Ev{block, 0, K::Switch, switch_arg(SwitchKind::Light, r.holder->id)}));
  // The holder finishes its interrupt return, no run-queue work, no FS.
  EXPECT_EQ(r.rig.trace.of(K::TrapExit),
            (std::vector<Ev>{{block + c.switch_light + c.trap_exit, 0, K::TrapExit, 0}}));
  EXPECT_EQ(r.nb.softint_blocks(0, SOFTINT_NET), 1u);
  EXPECT_EQ(r.kn.stats().deferred[0].blocked, 1u);
}

TEST(NetbsdSoftint, N_SI_12_WokenSoftintPreemptsThroughKernelPreemption) {
  BlockRig r;
  const CostProfile& c = r.config.costs;
  EXPECT_EQ(r.log.at["a owns"],
            r.log.at["release"] + c.lock_release_wake + c.wakeup + c.runq_insert + preempt_fs(c));
  const std::vector<Ev> sw = r.rig.trace.of(K::Switch);
  ASSERT_GE(sw.size(), 4u);
  EXPECT_EQ(sw[3], (Ev{r.log.at["a owns"] - preempt_fs(c), 0, K::Switch, switch_arg(SwitchKind::Full, kSoftNet)}));
  const Cycle block = r.d + c.switch_light + c.lock_slow_block;
  const DeferredStats s = r.kn.stats().deferred[0];
  EXPECT_EQ(s.blocked_cycles, r.log.at["a owns"] - block);
  EXPECT_EQ(s.max_latency, 2 * kMmio + c.switch_light);  // raise in the handler to T3
}

TEST(NetbsdSoftint, N_SI_13_FinishingAfterBlockingIsAFullSwitch) {
  BlockRig r;
  const CostProfile& c = r.config.costs;
  const Cycle end = r.log.at["a owns"] + 20 + c.lock_fast;
  EXPECT_EQ(r.log.at["holder back"], end + fs(c));  // lwp_exit_switchaway: FS to the holder
  const std::vector<Ev> sw = r.rig.trace.of(K::Switch);
  ASSERT_GE(sw.size(), 5u);
  EXPECT_EQ(sw[4], (Ev{end, 0, K::Switch, switch_arg(SwitchKind::Full, r.holder->id)}));
  const KernelStats s = r.kn.stats();
  // idle->holder, preemption into the softint, switch-away, holder exits: 4 FS; 2 LS.
  EXPECT_EQ(s.cpus[0].switches, (SwitchCounts{4, 2, 1}));
  // "a cheap returning switch plus 2 FS" (research §6): LS in, LS back, FS in, FS away.
  EXPECT_EQ(s.deferred[0].switches, (SwitchCounts{2, 2, 0}));
  EXPECT_EQ(r.nb.softint_lwp(0, SOFTINT_NET).state, LwpState::Dormant);
}

TEST(NetbsdSoftint, N_SI_14_BlockedLevelIsNotRetriggeredOtherLevelsStillFire) {
  SoftRig r(netbsd_config());
  AdaptiveMutex m(r.kn, "m");
  const SoftintCookie a = r.add(SOFTINT_NET | SOFTINT_MPSAFE, "a", 0, [&] {
    m.enter();
    r.log.point(r.kn, "a owns");
    m.exit();
  });
  const SoftintCookie b = r.add(SOFTINT_NET | SOFTINT_MPSAFE, "b", 10);
  const SoftintCookie s = r.add(SOFTINT_SERIAL | SOFTINT_MPSAFE, "serial", 10);
  r.on_irq({a}, 3);
  bool active_while_blocked = false;
  r.kn.attach_irq(4, 1, [&](unsigned) {
    active_while_blocked = r.nb.level_active(0, SOFTINT_NET);
    r.nb.softint_schedule(b);  // queued only
    r.nb.softint_schedule(s);
  });
  r.kn.create_lwp(lwp("holder", Band::Kernel, 0, [&] {
    m.enter();
    for (int i = 0; i < 20; ++i) r.kn.work(100);
    r.log.point(r.kn, "release");
    m.exit();
  }));
  const CostProfile& c = r.config.costs;
  const Cycle t0 = idle_at(c, 2) + fs(c);
  r.rig.machine.pulse_source(3, t0 + 250);
  r.rig.machine.pulse_source(4, t0 + 1050);
  r.rig.machine.run_until(100'000);
  EXPECT_TRUE(active_while_blocked);
  EXPECT_EQ(r.log.order, (std::vector<std::string>{"a", "serial", "release", "a owns", "b"}));
  // Second trap: only SOFTSERIAL is dispatched.
  const std::vector<Ev> sd = r.rig.trace.of(K::SoftDispatch);
  ASSERT_EQ(sd.size(), 2u);
  EXPECT_EQ(std::get<3>(sd[1]), r.nb.softint_ipl(SOFTINT_SERIAL));
  // b runs right after a on the same (woken) LWP, then the FS away.
  EXPECT_EQ(r.log.at["b"], r.log.at["a owns"] + c.lock_fast);
  const KernelStats st = r.kn.stats();
  EXPECT_EQ(deferred_named(st, "b").switches, (SwitchCounts{1, 0, 0}));  // the switch-away
  EXPECT_EQ(deferred_named(st, "serial").switches, (SwitchCounts{0, 2, 0}));
}

TEST(NetbsdSoftint, N_SI_15_DisestablishIdleHandlerReturnsAtOnce) {
  SoftRig r(netbsd_config());
  const SoftintCookie a = r.add(SOFTINT_NET | SOFTINT_MPSAFE, "a", 10);
  Cycle before = 0, after = 0;
  r.kn.create_lwp(lwp("t", Band::Kernel, 0, [&] {
    before = r.kn.machine().now();
    r.nb.softint_disestablish(a);
    after = r.kn.machine().now();
    r.nb.softint_schedule(a);  // the caller promised not to
  }));
  const std::string msg = panic_message(r.rig);
  EXPECT_EQ(after, before);
  EXPECT_TRUE(contains(msg, "softint_schedule: handler 0 not established")) << msg;
}

TEST(NetbsdSoftint, N_SI_15_DisestablishWaitsUntilNeitherPendingNorActive) {
  KernelConfig k = netbsd_config(2);
  k.tick = {1000, 0, 1, 1};
  SoftRig r(k);
  const SoftintCookie a = r.add(SOFTINT_NET | SOFTINT_MPSAFE, "a", 3000, [&] {
    r.log.point(r.kn, "a done");
  });
  r.kn.attach_irq(3, 1, [&](unsigned) { r.nb.softint_schedule(a); }, {0});
  bool active_on_0 = false;
  LwpSpec remover = lwp("remover", Band::Kernel, 0, [&] {
    r.kn.work(1000);
    active_on_0 = r.nb.active(a, 0);
    r.log.point(r.kn, "disestablish");
    r.nb.softint_disestablish(a);  // ACTIVE on cpu 0: kpause one tick per poll
    r.log.point(r.kn, "gone");
  });
  remover.bound = true;
  remover.cpu = 1;
  r.kn.create_lwp(std::move(remover));
  r.rig.machine.pulse_source(3, 500);
  r.rig.machine.run_until(20'000);
  EXPECT_TRUE(active_on_0);
  EXPECT_EQ(r.log.order, (std::vector<std::string>{"a", "disestablish", "a done", "gone"}));
  EXPECT_FALSE(r.nb.pending(a, 0));
  EXPECT_FALSE(r.nb.active(a, 0));
  // Polled once per tick (kpause): some tick wakes the remover before a ends, and the
  // first one after a ends lets it return (the next tick is at most 1000 cycles away).
  const std::vector<Ev> wakes = r.rig.trace.of(K::Wakeup);
  ASSERT_GE(wakes.size(), 2u);
  EXPECT_LT(std::get<0>(wakes.front()), r.log.at["a done"]);
  EXPECT_LT(r.log.at["gone"], r.log.at["a done"] + 1000 + 200);
}

TEST(NetbsdSoftint, N_SI_16_SlowPathFullSwitchInPicklwpOrder) {
  NetbsdOptions o;
  o.fast_softints = false;
  o.kernel_preemption = false;
  SoftRig r(netbsd_config(1, o));
  EXPECT_FALSE(r.kn.config().sched.kernel_preemption);
  const SoftintCookie clk = r.add(SOFTINT_CLOCK | SOFTINT_MPSAFE, "clock", 10);
  const SoftintCookie net = r.add(SOFTINT_NET | SOFTINT_MPSAFE, "net", 10);
  const SoftintCookie ser = r.add(SOFTINT_SERIAL | SOFTINT_MPSAFE, "serial", 10);
  r.on_irq({clk, net, ser});
  LwpSpec u = lwp("user", Band::UserTimeshare, 0, [&] {
    for (int i = 0; i < 10; ++i) r.kn.user(100);
  });
  u.user = true;
  Lwp& user = r.kn.create_lwp(std::move(u));
  const CostProfile& c = r.config.costs;
  const Cycle t0 = idle_at(c, 1) + fs(c);
  r.rig.machine.pulse_source(3, t0 + 250);
  r.rig.machine.run_until(100'000);
  EXPECT_EQ(r.log.order, (std::vector<std::string>{"serial", "net", "clock"}));
  // Each trigger is a wake-up; the AST at the return to user switches (FS).
  const Cycle d = doreti_at(r.config.costs, t0 + 300, 3 * (c.wakeup + c.runq_insert));
  EXPECT_EQ(r.log.at["serial"], d + preempt_fs(c));
  EXPECT_EQ(r.log.at["net"], d + preempt_fs(c) + 10 + fs(c));
  EXPECT_EQ(r.log.at["clock"], d + preempt_fs(c) + 2 * (10 + fs(c)));
  EXPECT_EQ(r.rig.trace.of(K::TrapExit),
            (std::vector<Ev>{{r.log.at["clock"] + 10 + fs(c) + c.trap_exit, 0, K::TrapExit, 0}}));
  const KernelStats s = r.kn.stats();
  EXPECT_EQ(s.cpus[0].switches.light, 0u);
  EXPECT_EQ(s.lwps[user.id].switches.full, 2u);
  EXPECT_EQ(deferred_named(s, "net").switches, (SwitchCounts{2, 0, 0}));
}

TEST(NetbsdSoftint, N_SI_16_SlowPathWaitsForTheAstInKernelCode) {
  NetbsdOptions o;
  o.fast_softints = false;
  o.kernel_preemption = false;
  SoftRig r(netbsd_config(1, o));
  const SoftintCookie net = r.add(SOFTINT_NET | SOFTINT_MPSAFE, "net", 10);
  r.on_irq({net});
  r.kn.create_lwp(lwp("kthread", Band::Kernel, 0, [&] {
    for (int i = 0; i < 10; ++i) r.kn.work(100);
    r.log.point(r.kn, "done");
  }));
  const Cycle t0 = idle_at(r.config.costs, 1) + fs(r.config.costs);
  r.rig.machine.pulse_source(3, t0 + 250);
  r.rig.machine.run_until(100'000);
  EXPECT_EQ(r.log.order, (std::vector<std::string>{"done", "net"}));
  EXPECT_EQ(r.log.at["net"], r.log.at["done"] + fs(r.config.costs));
}

TEST(NetbsdSoftint, N_SI_16_PreemptionWithoutFastSoftintsIsAConfigError) {
  NetbsdOptions o;
  o.fast_softints = false;
  const std::vector<std::string> e = validate_config(netbsd_config(1, o));
  ASSERT_EQ(e.size(), 1u);
  EXPECT_TRUE(contains(e[0], "kernel_preemption needs fast_softints")) << e[0];
}

TEST(NetbsdSoftint, N_SI_17_SchednetisrSchedulesThatProtocolsMpsafeNetHandler) {
  KernelConfig k = netbsd_config();
  Rig rig(k);
  Kernel& kn = *rig.kernel;
  Netbsd& nb = of(kn);
  std::vector<std::string> ran;
  const auto who = [&](const char* what) {
    return [&, what] {
      ran.push_back(std::string(what) + "@" + kn.sched().current().name +
                    (kn.big_lock().owner() ? "+lock" : ""));
    };
  };
  nb.netisr_establish(NETISR_IP, "ipintr", who("ip"));
  nb.netisr_establish(NETISR_ARP, "arpintr", who("arp"));
  kn.attach_irq(3, 1, [&](unsigned) {
    nb.schednetisr(NETISR_IP);
    nb.schednetisr(NETISR_ARP);
    nb.schednetisr(NETISR_IP);
  });
  rig.machine.pulse_source(3, 5000);
  rig.machine.run_until(100'000);
  EXPECT_EQ(ran, (std::vector<std::string>{"ip@softint/SOFTNET/0", "arp@softint/SOFTNET/0"}));
  const KernelStats s = kn.stats();
  EXPECT_EQ(deferred_named(s, "ipintr").mechanism, "softint/net");
  EXPECT_EQ(deferred_named(s, "ipintr").raised, 2u);
  EXPECT_EQ(deferred_named(s, "ipintr").runs, 1u);
}

}  // namespace personality_netbsd_test
}  // namespace irqlab::kernel::test
