// The linux personality core, rule by rule (research/kernel-semantics.md §1.1-1.5: L-CTX,
// L-SI, L-BH). Exact cycles from the test cost profile; LWP ids on one CPU: idle/0 = 0,
// ksoftirqd/0 = 1, then the test's LWPs.
#include "personality_linux_support.h"

namespace irqlab::kernel::test {
namespace personality_linux_test {

using K = TraceKind;
using namespace lnx;

constexpr LwpId kKsoftirqd = 1;

TEST(LinuxConfig, ConfigureValidateAndFactory) {
  LxRig r;
  EXPECT_EQ(r.kn.personality().name(), "linux");
  EXPECT_EQ(r.kn.spl().table().size(), 2u);  // minimal: NONE, HIGH
  EXPECT_TRUE(r.kn.config().sched.kernel_preemption);
  LinuxOptions o;
  o.kernel_preemption = false;
  EXPECT_FALSE(LxRig(linux_config(1, o)).kn.config().sched.kernel_preemption);
  o.preempt_rt = true;
  KernelConfig bad = linux_config(1, o);
  bad.personality.options["linux"]["max_softirq_restart"] = 0;
  const std::vector<std::string> errors = validate_config(apply_personality(bad));
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_TRUE(contains(errors[0], "preempt_rt needs kernel_preemption"));
  EXPECT_TRUE(contains(errors[1], "max_softirq_restart is 0"));
}

// --- L-CTX ----------------------------------------------------------------------------

TEST(LinuxContext, L_CTX_1_PreemptCountFields) {
  LxRig r;
  std::vector<std::uint32_t> seen;
  r.lx.open_softirq(NET_RX_SOFTIRQ, [&] { seen.push_back(r.lx.preempt_count()); });
  r.kn.attach_irq(3, 1, [&](unsigned) {
    seen.push_back(r.lx.preempt_count());
    r.lx.raise_softirq(NET_RX_SOFTIRQ);
  });
  r.kn.create_lwp(lwp("t", Band::Kernel, 0, [&] {
    seen.push_back(r.lx.preempt_count());
    r.lx.preempt_disable();
    seen.push_back(r.lx.preempt_count());
    r.lx.local_bh_disable();
    seen.push_back(r.lx.preempt_count());
    r.lx.local_bh_disable();
    seen.push_back(r.lx.preempt_count());
    r.lx.local_bh_enable();
    r.lx.local_bh_enable();
    r.lx.preempt_enable();
    seen.push_back(r.lx.preempt_count());
  }));
  r.rig.machine.pulse_source(3, 5000);
  r.rig.machine.run_until(100'000);
  EXPECT_EQ(SOFTIRQ_DISABLE_OFFSET, 2 * SOFTIRQ_OFFSET);
  EXPECT_EQ(seen, (std::vector<std::uint32_t>{0, 1, 0x201, 0x401, 0, HARDIRQ_OFFSET, SOFTIRQ_OFFSET}));
}

TEST(LinuxContext, L_CTX_2_InInterruptCoversHardirqServingAndBhDisabled) {
  for (bool rt : {false, true}) {
    SCOPED_TRACE(rt ? "rt" : "non-rt");
    LinuxOptions o;
    o.preempt_rt = rt;
    LxRig r(linux_config(1, o));
    std::vector<bool> in;
    std::vector<std::string> where;
    r.lx.open_softirq(TIMER_SOFTIRQ, [&] {
      in.push_back(r.lx.in_interrupt());
      where.push_back(r.kn.sched().current().name);
    });
    r.kn.create_lwp(lwp("t", Band::Kernel, 0, [&] {
      in.push_back(r.lx.in_interrupt());
      r.lx.local_bh_disable();
      in.push_back(r.lx.in_interrupt());  // non-RT: BH disabled counts
      r.lx.raise_softirq(TIMER_SOFTIRQ);
      r.lx.local_bh_enable();              // serves TIMER here
    }));
    r.rig.machine.run_until(100'000);
    EXPECT_EQ(in, (std::vector<bool>{false, !rt, true}));
    EXPECT_EQ(where, (std::vector<std::string>{"t"}));
  }
}

// --- L-SI -----------------------------------------------------------------------------

TEST(LinuxSoftirq, L_SI_1_TenFixedVectorsAndOnePendingWordPerCpu) {
  LxRig r(linux_config(2));
  EXPECT_EQ(NR_SOFTIRQS, 10u);
  std::vector<std::string> names;
  for (unsigned nr = 0; nr < NR_SOFTIRQS; ++nr) names.push_back(softirq_name(nr));
  EXPECT_EQ(names, (std::vector<std::string>{"HI", "TIMER", "NET_TX", "NET_RX", "BLOCK", "IRQ_POLL",
                                             "TASKLET", "SCHED", "HRTIMER", "RCU"}));
  EXPECT_EQ(RCU_SOFTIRQ, 9u);
  EXPECT_THROW(r.lx.open_softirq(NR_SOFTIRQS, [] {}), std::invalid_argument);
  EXPECT_THROW(r.lx.open_softirq(TASKLET_SOFTIRQ, [] {}), std::invalid_argument);  // tasklets own it
  EXPECT_THROW(r.lx.open_softirq(HI_SOFTIRQ, [] {}), std::invalid_argument);
  r.lx.open_softirq(RCU_SOFTIRQ, [] {});
  EXPECT_THROW(r.lx.open_softirq(RCU_SOFTIRQ, [] {}), std::invalid_argument);
  EXPECT_EQ(r.lx.softirq_work(RCU_SOFTIRQ)->stats().mechanism, "softirq/RCU");
  std::uint32_t mask0 = 0, mask1 = 0;
  r.kn.attach_irq(3, 1, [&](unsigned) {
    r.lx.raise_softirq_bit(RCU_SOFTIRQ);
    mask0 = r.lx.local_softirq_pending(0);
    mask1 = r.lx.local_softirq_pending(1);
  }, {0});
  r.rig.machine.pulse_source(3, 5000);
  r.rig.machine.run_until(100'000);
  EXPECT_EQ(mask0, 1u << 9);
  EXPECT_EQ(mask1, 0u);
  EXPECT_EQ(r.lx.local_softirq_pending(0), 0u);
}

TEST(LinuxSoftirq, L_SI_2_RaisingAPendingSoftirqHasNoEffect) {
  LxRig r;
  r.add_softirq(NET_RX_SOFTIRQ, "rx", 10);
  r.kn.attach_irq(3, 1, [&](unsigned) {
    r.lx.raise_softirq(NET_RX_SOFTIRQ);
    r.lx.raise_softirq(NET_RX_SOFTIRQ);
    r.lx.raise_softirq(NET_RX_SOFTIRQ);
  });
  r.rig.machine.pulse_source(3, 5000);
  r.rig.machine.run_until(100'000);
  EXPECT_EQ(r.log.order, (std::vector<std::string>{"rx"}));
  EXPECT_EQ(r.log.at["rx"], doreti_at(r.c(), 5000));
  const DeferredStats s = deferred_named(r.kn.stats(), "NET_RX");
  EXPECT_EQ(s.raised, 3u);
  EXPECT_EQ(s.coalesced, 2u);
  EXPECT_EQ(s.runs, 1u);
}

TEST(LinuxSoftirq, L_SI_3_RunsOnlyOnTheRaisingCpu) {
  LxRig r(linux_config(2));
  std::vector<unsigned> cpus;
  r.lx.open_softirq(NET_RX_SOFTIRQ, [&] { cpus.push_back(r.kn.machine().cpu_id()); });
  r.kn.attach_irq(3, 1, [&](unsigned) { r.lx.raise_softirq(NET_RX_SOFTIRQ); }, {1});
  r.rig.machine.pulse_source(3, 5000);
  r.rig.machine.run_until(100'000);
  EXPECT_EQ(cpus, (std::vector<unsigned>{1}));
  EXPECT_EQ(r.kn.stats().cpus[0].switches, (SwitchCounts{0, 0, 0}));
  EXPECT_EQ(r.kn.stats().cpus[1].switches, (SwitchCounts{0, 0, 1}));
}

TEST(LinuxSoftirq, L_SI_4_TaskContextRaiseWakesKsoftirqdAtOnce) {
  LxRig r;
  const CostProfile& c = r.c();
  r.add_softirq(NET_RX_SOFTIRQ, "rx", 10);
  SleepQueue q;
  Cycle raised = 0;
  r.kn.create_lwp(lwp("t", Band::Kernel, 0, [&] {
    raised = r.kn.machine().now();
    r.lx.raise_softirq(NET_RX_SOFTIRQ);
    r.log.mark(r.kn, "after_raise");
    sleep_on(r.kn, q);
  }));
  r.rig.machine.run_until(100'000);
  const Cycle t0 = idle_at(c, 0) + fs(c);
  EXPECT_EQ(raised, t0);
  EXPECT_EQ(r.rig.trace.of(K::Wakeup), (std::vector<Ev>{{t0, 0, K::Wakeup, kKsoftirqd}}));
  // Same priority as t: no preemption; ksoftirqd runs when t sleeps.
  EXPECT_EQ(r.log.at["after_raise"], t0 + c.wakeup + c.runq_insert);
  EXPECT_EQ(r.log.at["rx"], t0 + c.wakeup + c.runq_insert + fs(c));
  EXPECT_EQ(r.where["rx"], "ksoftirqd/0");
}

TEST(LinuxSoftirq, L_SI_4_RaiseInHardirqOrBhSectionOnlySetsTheBit) {
  LxRig r;
  r.add_softirq(NET_RX_SOFTIRQ, "rx", 10);
  Cycle enable = 0;
  r.kn.create_lwp(lwp("t", Band::Kernel, 0, [&] {
    r.lx.local_bh_disable();
    r.lx.raise_softirq(NET_RX_SOFTIRQ);
    r.kn.work(100);
    enable = r.kn.machine().now();
    r.lx.local_bh_enable();
  }));
  r.rig.machine.run_until(100'000);
  EXPECT_TRUE(r.rig.trace.of(K::Wakeup).empty());
  EXPECT_EQ(r.log.at["rx"], enable);
  EXPECT_EQ(r.where["rx"], "t");
}

TEST(LinuxSoftirq, L_SI_5_SameSoftirqRunsOnTwoCpusAtOnce) {
  LxRig r(linux_config(2));
  std::vector<std::pair<unsigned, Cycle>> starts;
  r.lx.open_softirq(NET_RX_SOFTIRQ, [&] {
    starts.emplace_back(r.kn.machine().cpu_id(), r.kn.machine().now());
    r.kn.work(1000);
  });
  r.kn.attach_irq(3, 1, [&](unsigned) { r.lx.raise_softirq(NET_RX_SOFTIRQ); }, {0});
  r.kn.attach_irq(4, 1, [&](unsigned) { r.lx.raise_softirq(NET_RX_SOFTIRQ); }, {1});
  r.rig.machine.pulse_source(3, 5000);
  r.rig.machine.pulse_source(4, 5000);
  r.rig.machine.run_until(100'000);
  const Cycle d = doreti_at(r.c(), 5000);
  EXPECT_EQ(starts, (std::vector<std::pair<unsigned, Cycle>>{{0, d}, {1, d}}));
}

TEST(LinuxSoftirq, L_SI_6_OutermostIrqExitRunsThemBeforeTheInterruptedContext) {
  LxRig r;
  const CostProfile& c = r.c();
  r.add_softirq(NET_RX_SOFTIRQ, "rx", 40);
  r.kn.attach_irq(3, 1, [&](unsigned) {
    r.kn.work(20);
    r.lx.raise_softirq(NET_RX_SOFTIRQ);
  });
  Lwp& t = r.kn.create_lwp(lwp("t", Band::Kernel, 0, [&] {
    for (int i = 0; i < 10; ++i) r.kn.work(100);
  }));
  const Cycle t0 = idle_at(c, 1) + fs(c);
  r.rig.machine.pulse_source(3, t0 + 250);
  r.rig.machine.run_until(100'000);
  const Cycle d = doreti_at(c, t0 + 300, 20);
  EXPECT_EQ(r.log.at["rx"], d);
  EXPECT_EQ(r.where["rx"], "t");  // on top of the interrupted LWP: no switch
  EXPECT_EQ(r.rig.trace.of(K::TrapExit), (std::vector<Ev>{{d + 40 + c.trap_exit, 0, K::TrapExit, 0}}));
  EXPECT_EQ(switches_of(r.kn, t), (SwitchCounts{1, 0, 1}));  // the FS at boot, one IC
  EXPECT_EQ(deferred_named(r.kn.stats(), "NET_RX").switches, (SwitchCounts{0, 0, 0}));
}

TEST(LinuxSoftirq, L_SI_7_NestedHardirqExitDoesNotRunSoftirqs) {
  LxRig r;
  const CostProfile& c = r.c();
  r.add_softirq(NET_RX_SOFTIRQ, "rx", 10);
  r.kn.attach_irq(3, 1, [&](unsigned) {  // a handler that runs with IRQs enabled
    r.kn.machine().set_interrupts_enabled(true);
    r.kn.work(100);
    r.kn.machine().set_interrupts_enabled(false);
  });
  r.kn.attach_irq(4, 1, [&](unsigned) { r.lx.raise_softirq(NET_RX_SOFTIRQ); });
  r.rig.machine.pulse_source(3, 5000);
  r.rig.machine.pulse_source(4, 5050);
  r.rig.machine.run_until(100'000);
  const Cycle h = handler_at(c, 5000);
  const Cycle nested_exit = doreti_at(c, h + 100) + c.trap_exit;  // nested trap at h + 100
  const std::vector<Ev> exits = r.rig.trace.of(K::TrapExit);
  ASSERT_EQ(exits.size(), 2u);
  EXPECT_EQ(std::get<0>(exits[0]), nested_exit);
  const Cycle d = doreti_at(c, 5000, nested_exit - 5000 - (h - 5000));
  EXPECT_EQ(r.log.at["rx"], d);  // only at the outer exit
  EXPECT_EQ(std::get<0>(exits[1]), d + 10 + c.trap_exit);
}

TEST(LinuxSoftirq, L_SI_8_LocalBhEnableRunsThemThenChecksNeedResched) {
  LxRig r;
  const CostProfile& c = r.c();
  r.add_softirq(NET_RX_SOFTIRQ, "rx", 50);
  SleepQueue q;
  r.kn.create_lwp(lwp("h", Band::Kernel, 10, [&] {
    sleep_on(r.kn, q);
    r.log.point(r.kn, "h");
  }));
  r.kn.create_lwp(lwp("t", Band::Kernel, 0, [&] {
    r.lx.local_bh_disable();
    r.lx.raise_softirq(NET_RX_SOFTIRQ);
    wake_one(r.kn, q);  // h is better, but preemption is off
    r.log.point(r.kn, "enable");
    r.lx.local_bh_enable();
  }));
  r.rig.machine.run_until(100'000);
  const Cycle t0 = idle_at(c, 0) + 2 * fs(c);  // h ran first and slept
  EXPECT_EQ(r.log.order, (std::vector<std::string>{"enable", "rx", "h"}));
  EXPECT_EQ(r.log.at["enable"], t0 + c.wakeup + c.runq_insert);
  EXPECT_EQ(r.log.at["rx"], r.log.at["enable"]);
  EXPECT_EQ(r.where["rx"], "t");
  EXPECT_EQ(r.log.at["h"], r.log.at["rx"] + 50 + preempt_fs(c));
}

TEST(LinuxSoftirq, L_SI_9_KsoftirqdIsABoundNormalThreadPerCpu) {
  LxRig r(linux_config(2));
  for (unsigned cpu = 0; cpu < 2; ++cpu) {
    const Lwp& k = r.lx.ksoftirqd(cpu);
    EXPECT_EQ(k.id, 2 + cpu);
    EXPECT_EQ(k.name, "ksoftirqd/" + std::to_string(cpu));
    EXPECT_TRUE(k.bound);
    EXPECT_EQ(k.cpu, cpu);
    EXPECT_FALSE(k.softint);
    EXPECT_EQ(k.priority, band_range(Band::Kernel).base);  // SCHED_NORMAL
    EXPECT_EQ(k.state, LwpState::Dormant);
  }
}

TEST(LinuxSoftirq, L_SI_9_KsoftirqdHandlesThenSleepsFullSwitchesCharged) {
  LinuxOptions o;
  o.threadirqs = true;  // irq_exit wakes ksoftirqd (L-SI-11)
  LxRig r(linux_config(1, o));
  const CostProfile& c = r.c();
  r.add_softirq(NET_RX_SOFTIRQ, "rx", 10);
  r.lx.threaded_irqs().request_irq(3, 1, [&](unsigned) {
    r.lx.raise_softirq(NET_RX_SOFTIRQ);
    return IrqReturn::Handled;
  }, IRQF_NO_THREAD, "nic");
  r.rig.machine.pulse_source(3, 5000);
  r.rig.machine.run_until(100'000);
  const Cycle exit = doreti_at(c, 5000) + c.wakeup + c.runq_insert + c.trap_exit;
  EXPECT_EQ(r.log.at["rx"], exit + fs(c));
  EXPECT_EQ(r.where["rx"], "ksoftirqd/0");
  EXPECT_EQ(r.lx.ksoftirqd(0).state, LwpState::Dormant);
  EXPECT_EQ(switches_of(r.kn, r.lx.ksoftirqd(0)), (SwitchCounts{1, 0, 0}));
  EXPECT_EQ(deferred_named(r.kn.stats(), "NET_RX").switches, (SwitchCounts{2, 0, 0}));  // in, out
  const std::vector<Ev> sw = r.rig.trace.of(K::Switch);
  ASSERT_EQ(sw.size(), 2u);
  EXPECT_EQ(sw[1], (Ev{exit + fs(c) + 10, 0, K::Switch, switch_arg(SwitchKind::Full, 0)}));
}

TEST(LinuxSoftirq, L_SI_10_V4_9ToV6_4LeavesWorkToARunnableKsoftirqd) {
  for (bool defers : {false, true}) {
    SCOPED_TRACE(defers ? "v4.9..v6.4" : "v6.5+");
    LinuxOptions o;
    o.ksoftirqd_defers = defers;
    LxRig r(linux_config(1, o));
    const CostProfile& c = r.c();
    r.add_softirq(NET_RX_SOFTIRQ, "rx", 10);
    r.kn.attach_irq(3, 1, [&](unsigned) { r.lx.raise_softirq(NET_RX_SOFTIRQ); });
    SleepQueue q;
    r.kn.create_lwp(lwp("t", Band::Kernel, 0, [&] {
      r.lx.raise_softirq(NET_RX_SOFTIRQ);  // wakes ksoftirqd: runnable, not running
      for (int i = 0; i < 10; ++i) r.kn.work(100);
      sleep_on(r.kn, q);
    }));
    const Cycle t0 = idle_at(c, 1) + fs(c);
    const Cycle loop = t0 + c.wakeup + c.runq_insert;
    r.rig.machine.pulse_source(3, loop + 250);
    r.rig.machine.run_until(100'000);
    const Cycle d = doreti_at(c, loop + 300);
    // v4.9..v6.4: t finishes its loop (the trap took one IC), sleeps, ksoftirqd runs it.
    const Cycle trap = c.trap_entry + 3 * kMmio + c.irq_dispatch + c.trap_exit;
    EXPECT_EQ(r.log.at["rx"], defers ? loop + 1000 + trap + fs(c) : d);
    EXPECT_EQ(r.where["rx"], defers ? "ksoftirqd/0" : "t");
    EXPECT_EQ(r.lx.ksoftirqd_running(0, 1u << NET_RX_SOFTIRQ), false);  // asleep again
  }
}

TEST(LinuxSoftirq, L_SI_10_HiAndTaskletPendingStillRunInIrqExit) {
  LinuxOptions o;
  o.ksoftirqd_defers = true;
  LxRig r(linux_config(1, o));
  const CostProfile& c = r.c();
  r.add_softirq(NET_RX_SOFTIRQ, "rx", 10);
  Tasklet& t = r.lx.tasklet_init("tl", [&] { r.point("tl"); });
  r.kn.attach_irq(3, 1, [&](unsigned) { r.lx.tasklet_schedule(t); });
  SleepQueue q;
  r.kn.create_lwp(lwp("t", Band::Kernel, 0, [&] {
    r.lx.raise_softirq(NET_RX_SOFTIRQ);
    for (int i = 0; i < 10; ++i) r.kn.work(100);
    sleep_on(r.kn, q);
  }));
  const Cycle loop = idle_at(c, 1) + fs(c) + c.wakeup + c.runq_insert;
  r.rig.machine.pulse_source(3, loop + 250);
  r.rig.machine.run_until(100'000);
  const Cycle d = doreti_at(c, loop + 300);
  EXPECT_EQ(r.log.order, (std::vector<std::string>{"rx", "tl"}));  // NET_RX (3) before TASKLET (6)
  EXPECT_EQ(r.log.at["rx"], d);
  EXPECT_EQ(r.log.at["tl"], d + 10);
  EXPECT_EQ(r.where["tl"], "t");
}

TEST(LinuxSoftirq, L_SI_11_ThreadirqsIrqExitWakesKsoftirqd) {
  LinuxOptions o;
  o.threadirqs = true;
  LxRig r(linux_config(1, o));
  const CostProfile& c = r.c();
  r.add_softirq(NET_RX_SOFTIRQ, "rx", 10);
  EXPECT_TRUE(r.lx.force_irqthreads());
  // A hardirq that is not force-threaded (IRQF_NO_THREAD) raises NET_RX.
  r.lx.threaded_irqs().request_irq(3, 1, [&](unsigned) {
    r.lx.raise_softirq(NET_RX_SOFTIRQ);
    return IrqReturn::Handled;
  }, IRQF_NO_THREAD, "timer");
  r.rig.machine.pulse_source(3, 5000);
  r.rig.machine.run_until(100'000);
  const Cycle d = doreti_at(c, 5000);
  EXPECT_EQ(r.rig.trace.of(K::Wakeup), (std::vector<Ev>{{d, 0, K::Wakeup, kKsoftirqd}}));
  EXPECT_EQ(r.log.at["rx"], d + c.wakeup + c.runq_insert + c.trap_exit + fs(c));
  EXPECT_EQ(r.where["rx"], "ksoftirqd/0");
}

TEST(LinuxSoftirq, L_SI_12_OnePassAscendingEachOnceWithIrqsEnabled) {
  LxRig r;
  for (unsigned nr : {TIMER_SOFTIRQ, NET_TX_SOFTIRQ, NET_RX_SOFTIRQ, RCU_SOFTIRQ})
    r.add_softirq(nr, softirq_name(nr), 10);
  bool irqs_on = false;
  r.lx.open_softirq(SCHED_SOFTIRQ, [&] { irqs_on = r.kn.machine().interrupts_enabled(); });
  r.kn.attach_irq(3, 1, [&](unsigned) {
    for (unsigned nr : {RCU_SOFTIRQ, NET_RX_SOFTIRQ, SCHED_SOFTIRQ, TIMER_SOFTIRQ, NET_RX_SOFTIRQ,
                        NET_TX_SOFTIRQ, RCU_SOFTIRQ})
      r.lx.raise_softirq(nr);
  });
  r.rig.machine.pulse_source(3, 5000);
  r.rig.machine.run_until(100'000);
  const Cycle d = doreti_at(r.c(), 5000);
  EXPECT_EQ(r.log.order, (std::vector<std::string>{"TIMER", "NET_TX", "NET_RX", "RCU"}));
  EXPECT_EQ(r.log.at["TIMER"], d);
  EXPECT_EQ(r.log.at["NET_TX"], d + 10);
  EXPECT_EQ(r.log.at["NET_RX"], d + 20);
  EXPECT_EQ(r.log.at["RCU"], d + 30);  // SCHED (7) ran before it, spending nothing
  EXPECT_TRUE(irqs_on);
}

TEST(LinuxSoftirq, L_SI_13_HardirqInterruptsASoftirqButSoftirqsNeverNest) {
  LxRig r;
  const CostProfile& c = r.c();
  r.add_softirq(NET_RX_SOFTIRQ, "rx", 100);
  r.add_softirq(TIMER_SOFTIRQ, "timer", 10);
  std::uint32_t count_in_hardirq = 0;
  bool serving_in_timer = false;
  r.kn.attach_irq(3, 1, [&](unsigned) { r.lx.raise_softirq(NET_RX_SOFTIRQ); });
  r.kn.attach_irq(4, 1, [&](unsigned) {
    count_in_hardirq = r.lx.preempt_count();
    r.lx.raise_softirq(TIMER_SOFTIRQ);
  });
  r.on_run["timer"] = [&] { serving_in_timer = r.lx.in_serving_softirq(); };
  const Cycle d = doreti_at(c, 5000);
  r.rig.machine.pulse_source(3, 5000);
  r.rig.machine.pulse_source(4, d + 50);
  r.rig.machine.run_until(100'000);
  const Cycle nested = d + 100;  // the boundary after rx's work
  const Cycle nested_exit = doreti_at(c, nested) + c.trap_exit;
  EXPECT_EQ(count_in_hardirq, HARDIRQ_OFFSET + SOFTIRQ_OFFSET);
  EXPECT_EQ(r.log.order, (std::vector<std::string>{"rx", "timer"}));
  EXPECT_EQ(r.log.at["timer"], nested_exit);  // the restart pass, after rx returned
  EXPECT_TRUE(serving_in_timer);
  EXPECT_EQ(r.rig.trace.of(K::TrapExit).back(), (Ev{nested_exit + 10 + c.trap_exit, 0, K::TrapExit, 0}));
}

TEST(LinuxSoftirq, L_SI_14_NeedReschedEndsTheLoopAndWakesKsoftirqd) {
  LxRig r;
  const CostProfile& c = r.c();
  SleepQueue q;
  int runs = 0;
  std::vector<std::pair<Cycle, std::string>> log;
  r.lx.open_softirq(NET_RX_SOFTIRQ, [&] {
    log.emplace_back(r.kn.machine().now(), r.kn.sched().current().name);
    if (++runs == 1) wake_one(r.kn, q);  // a better LWP: need_resched
    r.kn.work(10);
    if (runs < 3) r.lx.raise_softirq(NET_RX_SOFTIRQ);
  });
  r.kn.create_lwp(lwp("h", Band::Kernel, 10, [&] {
    for (;;) {
      sleep_on(r.kn, q);
      r.log.point(r.kn, "h");
    }
  }));
  r.kn.attach_irq(3, 1, [&](unsigned) { r.lx.raise_softirq(NET_RX_SOFTIRQ); });
  r.rig.machine.pulse_source(3, 5000);
  r.rig.machine.run_until(100'000);
  const Cycle d = doreti_at(c, 5000);
  const Cycle exit = d + c.wakeup + c.runq_insert + 10 + c.wakeup + c.runq_insert + c.trap_exit;
  const Cycle h = exit + fs(c);
  const Cycle k = h + fs(c);
  EXPECT_EQ(log, (std::vector<std::pair<Cycle, std::string>>{
                     {d, "idle/0"}, {k, "ksoftirqd/0"}, {k + 10, "ksoftirqd/0"}}));
  EXPECT_EQ(r.log.at["h"], h);  // the better LWP first, then ksoftirqd
  EXPECT_EQ(r.lx.softirq_overruns(0), 1u);
}

TEST(LinuxSoftirq, L_SI_14_TwoJiffiesEndTheLoop) {
  KernelConfig k = linux_config();
  k.tick.period = 1000;  // one jiffy every 1000 cycles (mtime advances every cycle)
  LxRig r(k);
  std::vector<std::tuple<std::uint64_t, std::uint64_t, std::string>> log;  // jiffies at start, end
  r.lx.open_softirq(NET_RX_SOFTIRQ, [&] {
    const std::uint64_t start = r.lx.jiffies();
    r.kn.work(300);
    log.emplace_back(start, r.lx.jiffies(), r.kn.sched().current().name);
    if (r.kn.sched().current().name == "idle/0") r.lx.raise_softirq(NET_RX_SOFTIRQ);
  });
  std::uint64_t entry = 0;
  r.kn.attach_irq(3, 1, [&](unsigned) {
    entry = r.lx.jiffies();
    r.lx.raise_softirq(NET_RX_SOFTIRQ);
  });
  r.rig.machine.pulse_source(3, 5500);
  r.rig.machine.run_until(100'000);
  // In irq_exit: passes until the end of one sees jiffies >= entry + 2, then ksoftirqd
  // runs the last one (which does not raise again).
  ASSERT_GT(log.size(), 2u);
  const std::size_t inline_runs = log.size() - 1;
  EXPECT_LT(inline_runs, 10u);  // not the restart counter
  EXPECT_EQ(std::get<1>(log[inline_runs - 1]), entry + 2);
  EXPECT_LT(std::get<1>(log[inline_runs - 2]), entry + 2);
  for (std::size_t i = 0; i < inline_runs; ++i) EXPECT_EQ(std::get<2>(log[i]), "idle/0");
  EXPECT_EQ(std::get<2>(log[inline_runs]), "ksoftirqd/0");
  EXPECT_EQ(r.lx.softirq_overruns(0), 1u);
}

TEST(LinuxSoftirq, L_SI_15_SelfRaisingSoftirqRunsTenTimesPerIrqExit) {
  LxRig r;
  const CostProfile& c = r.c();
  int runs = 0;
  std::vector<Cycle> at;
  std::vector<std::string> where;
  r.lx.open_softirq(NET_RX_SOFTIRQ, [&] {
    at.push_back(r.kn.machine().now());
    where.push_back(r.kn.sched().current().name);
    r.kn.work(10);
    if (++runs < 15) r.lx.raise_softirq(NET_RX_SOFTIRQ);
  });
  r.kn.attach_irq(3, 1, [&](unsigned) { r.lx.raise_softirq(NET_RX_SOFTIRQ); });
  r.rig.machine.pulse_source(3, 5000);
  r.rig.machine.run_until(100'000);
  ASSERT_EQ(at.size(), 15u);
  const Cycle d = doreti_at(c, 5000);
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(at[i], d + 10 * i);
    EXPECT_EQ(where[i], "idle/0");
  }
  const Cycle exit = d + 100 + c.wakeup + c.runq_insert + c.trap_exit;
  EXPECT_EQ(r.rig.trace.of(K::TrapExit), (std::vector<Ev>{{exit, 0, K::TrapExit, 0}}));
  for (int i = 10; i < 15; ++i) {
    EXPECT_EQ(at[i], exit + fs(c) + 10 * (i - 10));
    EXPECT_EQ(where[i], "ksoftirqd/0");
  }
  EXPECT_EQ(r.lx.softirq_overruns(0), 1u);
}

TEST(LinuxSoftirq, L_SI_16_ChangedPreemptCountIsLoggedAndRestored) {
  LxRig r;
  r.lx.open_softirq(NET_RX_SOFTIRQ, [&] { r.lx.preempt_disable(); });  // forgets preempt_enable
  r.kn.attach_irq(3, 1, [&](unsigned) { r.lx.raise_softirq(NET_RX_SOFTIRQ); });
  std::uint32_t after = 1;
  Lwp& t = r.kn.create_lwp(lwp("t", Band::Kernel, 0, [&] {
    for (int i = 0; i < 10; ++i) r.kn.work(100);
    after = r.lx.preempt_count();
  }));
  r.rig.machine.pulse_source(3, 600);
  r.rig.machine.run_until(100'000);
  EXPECT_EQ(r.lx.warnings(), (std::vector<std::string>{
                                 "huh, entered softirq 3 NET_RX with preempt_count 00000100, exited "
                                 "with 00000101?"}));
  EXPECT_EQ(after, 0u);
  EXPECT_EQ(t.nopreempt, 0u);
}

// --- L-BH -----------------------------------------------------------------------------

TEST(LinuxBh, L_BH_1_OnlyTheOutermostEnableRunsSoftirqs) {
  LxRig r;
  r.add_softirq(NET_RX_SOFTIRQ, "rx", 10);
  r.kn.create_lwp(lwp("t", Band::Kernel, 0, [&] {
    r.lx.local_bh_disable();
    r.lx.local_bh_disable();
    r.lx.raise_softirq(NET_RX_SOFTIRQ);
    r.kn.work(100);
    r.lx.local_bh_enable();  // inner: nothing
    r.point("inner");
    r.kn.work(100);
    r.point("outer");
    r.lx.local_bh_enable();
    r.point("done");
  }));
  r.rig.machine.run_until(100'000);
  EXPECT_EQ(r.log.order, (std::vector<std::string>{"inner", "outer", "rx", "done"}));
  EXPECT_EQ(r.log.at["rx"], r.log.at["outer"]);
  EXPECT_EQ(r.log.at["done"], r.log.at["rx"] + 10);
}

TEST(LinuxBh, L_BH_2_EnableInHardirqOrWithIrqsOffWarns) {
  LxRig r;
  r.kn.attach_irq(3, 1, [&](unsigned) {
    r.lx.local_bh_disable();
    r.lx.local_bh_enable();
  });
  r.kn.create_lwp(lwp("t", Band::Kernel, 0, [&] {
    r.lx.local_bh_disable();
    r.kn.machine().set_interrupts_enabled(false);
    r.lx.local_bh_enable();
    r.kn.machine().set_interrupts_enabled(true);
  }));
  r.rig.machine.pulse_source(3, 5000);
  r.rig.machine.run_until(100'000);
  EXPECT_EQ(r.lx.warnings(),
            (std::vector<std::string>{"WARNING: local_bh_enable() with IRQs disabled (lockdep_assert_irqs_enabled)",
                                      "WARNING: local_bh_enable() in hardirq context"}));
}

TEST(LinuxBh, L_BH_3_BhDisabledAlsoDisablesPreemption) {
  LxRig r;
  const CostProfile& c = r.c();
  SleepQueue q;
  r.kn.create_lwp(lwp("h", Band::Kernel, 10, [&] {
    sleep_on(r.kn, q);
    r.point("h");
  }));
  r.kn.attach_irq(3, 1, [&](unsigned) { wake_one(r.kn, q); });
  Cycle enable = 0;
  r.kn.create_lwp(lwp("t", Band::Kernel, 0, [&] {
    r.lx.local_bh_disable();
    for (int i = 0; i < 10; ++i) r.kn.work(100);
    enable = r.kn.machine().now();
    r.lx.local_bh_enable();
  }));
  const Cycle t0 = idle_at(c, 1) + 2 * fs(c);
  r.rig.machine.pulse_source(3, t0 + 250);
  r.rig.machine.run_until(100'000);
  EXPECT_EQ(enable, t0 + 1000 + c.trap_entry + 3 * kMmio + c.irq_dispatch + c.wakeup + c.runq_insert +
                        c.trap_exit);
  EXPECT_EQ(r.log.at["h"], enable + preempt_fs(c));
}

TEST(LinuxBh, L_BH_4_RtSoftirqRaisedInSectionRunsAtOutermostEnableInThatTask) {
  LinuxOptions o;
  o.preempt_rt = true;
  LxRig r(linux_config(1, o));
  const CostProfile& c = r.c();
  r.add_softirq(NET_RX_SOFTIRQ, "rx", 10);
  Cycle enable = 0;
  r.kn.create_lwp(lwp("t", Band::Kernel, 0, [&] {
    r.lx.local_bh_disable();  // local lock: lock_fast
    r.lx.local_bh_disable();
    r.lx.raise_softirq(NET_RX_SOFTIRQ);
    r.lx.local_bh_enable();
    enable = r.kn.machine().now();
    r.lx.local_bh_enable();
  }));
  r.rig.machine.run_until(100'000);
  EXPECT_TRUE(r.rig.trace.of(K::Wakeup).empty());
  EXPECT_EQ(enable, idle_at(c, 0) + fs(c) + c.lock_fast);
  EXPECT_EQ(r.log.at["rx"], enable);
  EXPECT_EQ(r.where["rx"], "t");
}

TEST(LinuxBh, L_BH_4_RtSectionIsPreemptibleAndOtherTasksBlockOnTheLocalLock) {
  LinuxOptions o;
  o.preempt_rt = true;
  LxRig r(linux_config(1, o));
  const CostProfile& c = r.c();
  SleepQueue q;
  r.kn.create_lwp(lwp("h", Band::Kernel, 10, [&] {
    sleep_on(r.kn, q);
    r.point("h");
    r.lx.local_bh_disable();  // held by t: blocks, lends t its priority
    r.point("h_bh");
    r.lx.local_bh_enable();
  }));
  r.lx.threaded_irqs().request_irq(3, 1, [&](unsigned) {  // a true hardirq on RT
    wake_one(r.kn, q);
    return IrqReturn::Handled;
  }, IRQF_NO_THREAD, "timer");
  Lwp& t = r.kn.create_lwp(lwp("t", Band::Kernel, 0, [&] {
    r.lx.local_bh_disable();
    for (int i = 0; i < 10; ++i) r.kn.work(100);
    r.point("t_enable");
    r.lx.local_bh_enable();
  }));
  const Cycle t0 = idle_at(c, 1) + 2 * fs(c);
  r.rig.machine.pulse_source(3, t0 + c.lock_fast + 250);
  r.rig.machine.run_until(100'000);
  const Cycle trap = t0 + c.lock_fast + 300;
  // t is preempted at the interrupt return (BH disabled, but preemptible on RT).
  const Cycle h = trap + c.trap_entry + 3 * kMmio + c.irq_dispatch + c.wakeup + c.runq_insert +
                  preempt_fs(c);
  EXPECT_EQ(r.log.at["h"], h);
  // h blocks on softirq_ctrl/0 held by t (PI); t resumes and finishes its trap exit.
  const Cycle back = h + c.lock_slow_block + fs(c) + c.trap_exit;
  EXPECT_EQ(r.log.at["t_enable"], back + 700);
  EXPECT_EQ(r.log.at["h_bh"], back + 700 + c.lock_release_wake + c.wakeup + c.runq_insert + preempt_fs(c));
  EXPECT_EQ(t.affinity, 0u);  // migrate_enable restored it
}

TEST(LinuxBh, L_BH_4_RtEnableFromNonPreemptibleContextWakesKsoftirqd) {
  LinuxOptions o;
  o.preempt_rt = true;
  LxRig r(linux_config(1, o));
  const CostProfile& c = r.c();
  r.add_softirq(NET_RX_SOFTIRQ, "rx", 10);
  Cycle enable = 0;
  r.kn.create_lwp(lwp("t", Band::Kernel, 0, [&] {
    r.lx.local_bh_disable();
    r.lx.raise_softirq(NET_RX_SOFTIRQ);
    r.lx.preempt_disable();
    enable = r.kn.machine().now();
    r.lx.local_bh_enable();
    r.lx.preempt_enable();
  }));
  r.rig.machine.run_until(100'000);
  EXPECT_EQ(r.rig.trace.of(K::Wakeup), (std::vector<Ev>{{enable, 0, K::Wakeup, kKsoftirqd}}));
  EXPECT_EQ(r.where["rx"], "ksoftirqd/0");
  // t exits after releasing the local lock; ksoftirqd takes it and serves.
  EXPECT_EQ(r.log.at["rx"], enable + c.wakeup + c.runq_insert + c.lock_fast + fs(c) + c.lock_fast);
}

}  // namespace personality_linux_test
}  // namespace irqlab::kernel::test
