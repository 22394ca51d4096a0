// The freebsd personality, rule by rule (research/kernel-semantics.md §2: F-1..F-18).
// Exact cycles from the test cost profile. LWP ids on one CPU: idle/0 = 0, then the
// ithreads and swi threads in the order their first handler is added, then the test's
// LWPs.
#include <gtest/gtest.h>

#include "personality/freebsd/freebsd.h"
#include "personality/registry.h"
#include "personality_support.h"
#include "sync/condvar.h"
#include "sync/spin_mutex.h"

namespace irqlab::kernel::test {
namespace personality_freebsd_test {

using K = TraceKind;
using namespace freebsd;

KernelConfig freebsd_config(unsigned cpus = 1, FreebsdOptions options = {}) {
  KernelConfig k = test_config(cpus);
  k.personality = freebsd::selected(options);
  return k;
}

std::vector<MmioAccess> prio_writes(Rig& rig, unsigned source, Cycle from) {
  std::vector<MmioAccess> out;
  for (const MmioAccess& a : rig.machine.accesses())
    if (a.addr == plic_prio(source) && a.write && a.cycle >= from) out.push_back(a);
  return out;
}

// One kernel, a CycleLog, and a kernel LWP that computes in 100-cycle steps.
struct FbRig {
  explicit FbRig(KernelConfig k) : config(std::move(k)), rig(config), kn(*rig.kernel), fb(of(kn)) {}
  // An ithread handler that logs its start and spends `cycles`.
  DriverIntr handler(const std::string& name, Cycle cycles, std::function<void()> extra = {}) {
    return [this, name, cycles, extra] {
      log.point(kn, name);
      kn.work(cycles);
      if (extra) extra();
    };
  }
  Lwp& worker(const std::string& name = "t", unsigned steps = 10, unsigned priority = 0) {
    return kn.create_lwp(lwp(name, Band::Kernel, priority, [this, name, steps] {
      for (unsigned i = 0; i < steps; ++i) kn.work(100);
      log.point(kn, name + " done");
    }));
  }
  KernelConfig config;
  Rig rig;
  Kernel& kn;
  Freebsd& fb;
  CycleLog log;
};

// Cost of intr_event_handle scheduling an ithread from IWAIT: the mask write, the wake-up.
Cycle schedule_cost(const CostProfile& c) { return kMmio + c.wakeup + c.runq_insert; }

TEST(FreebsdConfig, ConfigureSetsPreemptionAndValidateRejectsBadOptions) {
  KernelConfig k = freebsd_config();
  Rig rig(k);
  EXPECT_TRUE(rig.kernel->config().sched.kernel_preemption);
  EXPECT_EQ(rig.kernel->config().sched.preempt_min_priority, 95u);  // PRI_MIN_KERN
  EXPECT_EQ(rig.kernel->spl().table().size(), 2u);                   // minimal: NONE, HIGH
  FreebsdOptions o;
  o.preempt_thresh = 300;
  o.intr_storm_threshold = 5;
  KernelConfig bad = freebsd_config(1, o);
  bad.ipl = netbsd_ipl_table(7);
  const std::vector<std::string> e = validate_config(bad);
  ASSERT_EQ(e.size(), 3u);
  EXPECT_TRUE(contains(e[0], "intr_storm_threshold needs the tick")) << e[0];
  EXPECT_TRUE(contains(e[1], "kernel.ipl must be empty")) << e[1];
  // The option schema's range (FreeBSD priorities are 0..255), checked by the registry.
  EXPECT_TRUE(contains(e[2], "freebsd: preempt_thresh is 300, must be 0..255")) << e[2];
  EXPECT_EQ(personality_named("freebsd").name, "freebsd");
}

TEST(FreebsdPriority, KernelPriorityMapsEachFreebsdRangeIntoItsBand) {
  EXPECT_EQ(kernel_priority(PI_REALTIME), 223u);
  EXPECT_EQ(kernel_priority(47), 176u);
  EXPECT_EQ(kernel_priority(PRI_MIN_REALTIME), 127u);
  EXPECT_EQ(kernel_priority(79), 96u);
  EXPECT_EQ(kernel_priority(PRI_MIN_KERN), 95u);
  EXPECT_EQ(kernel_priority(111), 64u);
  EXPECT_EQ(kernel_priority(119), 64u);
  EXPECT_EQ(kernel_priority(PRI_MIN_TIMESHARE), 63u);
  EXPECT_EQ(kernel_priority(255), 0u);
}

TEST(FreebsdIntrEvent, F_1_HandlersSortedByPriorityFifoAmongEqualsFilterHandlerOrBoth) {
  FbRig r(freebsd_config());
  std::vector<std::string> order;
  const auto filter = [&](const std::string& n) {
    return [&order, n] {
      order.push_back(n);
      return FILTER_HANDLED;
    };
  };
  const IntrCookie misc = r.fb.bus_setup_intr(3, 1, INTR_TYPE_MISC | INTR_MPSAFE, filter("misc"), {}, "misc");
  const IntrCookie net1 = r.fb.bus_setup_intr(3, 1, INTR_TYPE_NET | INTR_MPSAFE, filter("net1"),
                                              r.handler("net1 thread", 0), "net1");  // both
  const IntrCookie net2 = r.fb.bus_setup_intr(3, 1, INTR_TYPE_NET | INTR_MPSAFE, filter("net2"), {}, "net2");
  const IntrCookie clk = r.fb.bus_setup_intr(3, 1, INTR_TYPE_CLK | INTR_MPSAFE, {}, r.handler("clk", 0), "clk");
  const EventId ev = r.fb.event_of_source(3);
  EXPECT_EQ(r.fb.handlers(ev), (std::vector<IntrCookie>{clk, net1, net2, misc}));
  EXPECT_EQ(r.fb.work_of(misc), nullptr);  // filter only
  EXPECT_NE(r.fb.work_of(net1), nullptr);  // both
  EXPECT_NE(r.fb.work_of(clk), nullptr);   // ithread handler only
  r.rig.machine.pulse_source(3, 5000);
  r.rig.machine.run_until(100'000);
  EXPECT_EQ(order, (std::vector<std::string>{"net1", "net2", "misc"}));  // filters, list order
  // clk has no filter: the ithread runs every ithread handler in list order.
  EXPECT_EQ(r.log.order, (std::vector<std::string>{"clk", "net1 thread"}));
}

TEST(FreebsdIntrEvent, F_2_OneIthreadCreatedWithFirstHandlerAtBestHandlerPriority) {
  EXPECT_EQ(intr_priority(INTR_TYPE_CLK), PI_REALTIME);
  EXPECT_EQ(intr_priority(INTR_TYPE_AV), PI_AV);
  EXPECT_EQ(intr_priority(INTR_TYPE_TTY | INTR_MPSAFE), PI_TTY);
  EXPECT_EQ(intr_priority(INTR_TYPE_NET), PI_NET);
  EXPECT_EQ(intr_priority(INTR_TYPE_BIO), PI_DISK);
  EXPECT_EQ(intr_priority(INTR_TYPE_CAM), PI_DISK);
  EXPECT_EQ(intr_priority(INTR_TYPE_MISC), PI_DULL);
  EXPECT_THROW(intr_priority(INTR_MPSAFE), std::invalid_argument);
  EXPECT_THROW(intr_priority(INTR_TYPE_NET | INTR_TYPE_BIO), std::invalid_argument);

  FbRig r(freebsd_config());
  r.fb.bus_setup_intr(3, 1, INTR_TYPE_NET, [] { return FILTER_HANDLED; }, {}, "f");
  const EventId ev = r.fb.event_of_source(3);
  EXPECT_EQ(r.fb.ithread(ev), nullptr);  // filters only: no thread
  r.fb.bus_setup_intr(3, 1, INTR_TYPE_MISC, {}, r.handler("misc", 0), "misc");
  Lwp* t = r.fb.ithread(ev);
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->id, 1u);
  EXPECT_EQ(t->name, "irq3: f");
  EXPECT_EQ(t->priority, 223u - PI_NET);  // the best handler is the NET filter
  EXPECT_EQ(t->state, LwpState::Dormant);  // IWAIT
  EXPECT_FALSE(t->bound);
  r.fb.bus_setup_intr(3, 1, INTR_TYPE_CLK, {}, r.handler("clk", 0), "clk");
  EXPECT_EQ(r.fb.ithread(ev), t);  // at most one
  EXPECT_EQ(t->priority, 223u - PI_REALTIME);
  r.fb.bus_setup_intr(4, 1, INTR_TYPE_BIO, {}, r.handler("disk", 0), "disk");
  EXPECT_EQ(r.fb.ithread(r.fb.event_of_source(4))->priority, 223u - PI_DISK);
  EXPECT_EQ(r.kn.sched().lwps().size(), 3u);  // idle and two ithreads
}

TEST(FreebsdIntrEvent, F_3_FiltersRunInACriticalSectionWithNestingLevelRaised) {
  FbRig r(freebsd_config());
  unsigned nesting = 9, critnest = 9;
  std::vector<std::string> called;
  r.fb.bus_setup_intr(3, 1, INTR_TYPE_NET | INTR_MPSAFE, [&] {
    nesting = r.fb.intr_nesting_level(0);
    critnest = r.kn.sched().current().nopreempt;
    called.push_back("a");
    return FILTER_HANDLED;
  }, {}, "a");
  const IntrCookie b = r.fb.bus_setup_intr(3, 1, INTR_TYPE_NET | INTR_MPSAFE, [&] {
    called.push_back("b");
    return FILTER_HANDLED;
  }, {}, "b");
  r.fb.bus_setup_intr(3, 1, INTR_TYPE_NET | INTR_MPSAFE, [&] {
    called.push_back("c");
    return FILTER_HANDLED;
  }, {}, "c");
  r.fb.intr_event_suspend_handler(b);
  Lwp& t = r.worker();
  r.rig.machine.pulse_source(3, idle_at(r.config.costs, 1) + fs(r.config.costs) + 250);
  r.rig.machine.run_until(100'000);
  EXPECT_EQ(nesting, 1u);
  EXPECT_EQ(critnest, 1u);  // critical_enter on the interrupted thread
  EXPECT_EQ(called, (std::vector<std::string>{"a", "c"}));  // b suspended
  EXPECT_EQ(r.fb.intr_nesting_level(0), 0u);
  EXPECT_EQ(t.nopreempt, 0u);
  EXPECT_EQ(r.fb.event_stats(r.fb.event_of_source(3)).handled, 1u);
}

TEST(FreebsdIntrEvent, F_4_FilterReturningNeitherStrayNorHandledOrScheduleTripsKassert) {
  for (const int bad : {0, FILTER_STRAY | FILTER_HANDLED, 8, FILTER_HANDLED | 16}) {
    FbRig r(freebsd_config());
    r.fb.bus_setup_intr(3, 1, INTR_TYPE_NET | INTR_MPSAFE, [bad] { return bad; }, {}, "bad");
    r.rig.machine.pulse_source(3, 5000);
    const std::string msg = panic_message(r.rig);
    EXPECT_TRUE(contains(msg, "filter bad returned " + std::to_string(bad))) << msg;
    EXPECT_TRUE(contains(msg, "cycle " + std::to_string(handler_at(r.config.costs, 5000)))) << msg;
  }
  for (const int good : {FILTER_STRAY, FILTER_HANDLED, FILTER_SCHEDULE_THREAD,
                         FILTER_HANDLED | FILTER_SCHEDULE_THREAD}) {
    FbRig r(freebsd_config());
    r.fb.bus_setup_intr(3, 1, INTR_TYPE_NET | INTR_MPSAFE, [good] { return good; },
                        r.handler("h", 0), "good");
    r.rig.machine.pulse_source(3, 5000);
    EXPECT_EQ(panic_message(r.rig), "") << good;
  }
}

TEST(FreebsdIntrEvent, F_5_HandledOrScheduleThreadDoesNotScheduleButExactlyScheduleThreadDoes) {
  for (const bool exact : {false, true}) {
    FbRig r(freebsd_config());
    const int ret = exact ? FILTER_SCHEDULE_THREAD : FILTER_HANDLED | FILTER_SCHEDULE_THREAD;
    r.fb.bus_setup_intr(3, 1, INTR_TYPE_NET | INTR_MPSAFE, [ret] { return ret; },
                        r.handler("thread", 40), "nic");
    r.worker();
    const CostProfile& c = r.config.costs;
    const Cycle t1 = idle_at(c, 1) + fs(c) + 300;
    r.rig.machine.pulse_source(3, t1 - 50);
    r.rig.machine.run_until(100'000);
    const EventId ev = r.fb.event_of_source(3);
    if (!exact) {  // the corner case: no ithread, no mask, straight back
      EXPECT_TRUE(r.log.order.size() == 1u && r.log.order[0] == "t done");
      EXPECT_EQ(r.fb.event_stats(ev).scheduled, 0u);
      EXPECT_TRUE(prio_writes(r.rig, 3, idle_at(c, 1)).empty());
      EXPECT_EQ(r.rig.trace.of(K::TrapExit),
                (std::vector<Ev>{{doreti_at(c, t1) + c.trap_exit, 0, K::TrapExit, 0}}));
      EXPECT_EQ(switches_of(r.kn, *r.fb.ithread(ev)).full, 0u);
    } else {
      EXPECT_EQ(r.log.order, (std::vector<std::string>{"thread", "t done"}));
      EXPECT_EQ(r.log.at["thread"], doreti_at(c, t1, schedule_cost(c)) + preempt_fs(c));
      EXPECT_EQ(r.fb.event_stats(ev).scheduled, 1u);
    }
  }
}

// A neutral attach_irq handler is a filter on the source's event; bus_setup_intr can add
// an ithread handler to it, and post_ithread restores the attach_irq priority.
TEST(FreebsdIntrEvent, F_1_AttachIrqHandlerIsAFilterSharingTheEvent) {
  FbRig r(freebsd_config());
  int hard = 0;
  r.kn.attach_irq(3, 4, [&](unsigned source) { hard += static_cast<int>(source); });
  r.fb.bus_setup_intr(3, 1, INTR_TYPE_NET | INTR_MPSAFE, {}, r.handler("thread", 10), "nic");
  const EventId ev = r.fb.event_of_source(3);
  EXPECT_EQ(r.fb.handlers(ev).size(), 2u);
  EXPECT_EQ(r.fb.work_of(r.fb.handlers(ev)[1]), nullptr);  // the filter, at PI_DULL, last
  EXPECT_THROW(r.kn.attach_irq(3, 4, [](unsigned) {}), std::invalid_argument);
  r.rig.machine.pulse_source(3, 5000);
  r.rig.machine.run_until(100'000);
  EXPECT_EQ(hard, 3);
  EXPECT_EQ(r.log.order, (std::vector<std::string>{"thread"}));
  const std::vector<MmioAccess> w = prio_writes(r.rig, 3, 1000);
  ASSERT_EQ(w.size(), 2u);
  EXPECT_EQ(w[0].value, 0u);
  EXPECT_EQ(w[1].value, 4u);
}

TEST(FreebsdIntrEvent, F_5_AHandlerWithoutFilterAlwaysSchedulesTheThread) {
  FbRig r(freebsd_config());
  r.fb.bus_setup_intr(3, 1, INTR_TYPE_NET | INTR_MPSAFE, [] { return FILTER_HANDLED; }, {}, "f");
  r.fb.bus_setup_intr(3, 1, INTR_TYPE_MISC | INTR_MPSAFE, {}, r.handler("ithread only", 0), "i");
  r.rig.machine.pulse_source(3, 5000);
  r.rig.machine.run_until(100'000);
  EXPECT_EQ(r.log.order, (std::vector<std::string>{"ithread only"}));
}

// A NIC ithread (PI_NET, no filter) interrupts kernel thread t (the "t" of FbRig).
struct IthreadRig : FbRig {
  explicit IthreadRig(FreebsdOptions o = {}, Cycle handler_cycles = 50)
      : FbRig(freebsd_config(1, o)) {
    cookie = fb.bus_setup_intr(3, 1, INTR_TYPE_NET | INTR_MPSAFE, {}, handler("nic", handler_cycles), "nic");
    ev = fb.event_of_source(3);
    ithd = fb.ithread(ev);
  }
  IntrCookie cookie = 0;
  EventId ev = 0;
  Lwp* ithd = nullptr;
};

TEST(FreebsdIntrEvent, F_6_PreIthreadMasksThenPostIthreadUnmasksAfterAllHandlers) {
  IthreadRig r;
  r.fb.bus_setup_intr(3, 1, INTR_TYPE_MISC | INTR_MPSAFE, {}, r.handler("second", 30), "second");
  bool masked_in_handler = false;
  r.fb.bus_setup_intr(3, 1, INTR_TYPE_MISC | INTR_MPSAFE, {},
                      [&] { masked_in_handler = r.fb.masked(r.ev); }, "probe");
  r.worker();
  const CostProfile& c = r.config.costs;
  const Cycle t1 = idle_at(c, 1) + fs(c) + 300;
  r.rig.machine.pulse_source(3, t1 - 50);
  r.rig.machine.pulse_source(3, t1 + 200);  // while masked: held until post_ithread
  r.rig.machine.run_until(100'000);
  EXPECT_TRUE(masked_in_handler);
  const Cycle t3 = doreti_at(c, t1, schedule_cost(c)) + preempt_fs(c);
  EXPECT_EQ(r.log.at["nic"], t3);
  EXPECT_EQ(r.log.at["second"], t3 + 50);
  const Cycle unmask = t3 + 80;  // after all three handlers
  const std::vector<MmioAccess> w = prio_writes(r.rig, 3, idle_at(c, 1));
  ASSERT_GE(w.size(), 2u);
  EXPECT_EQ(w[0], (MmioAccess{handler_at(c, t1), 0, plic_prio(3), 0, true}));
  EXPECT_EQ(w[1], (MmioAccess{unmask, 0, plic_prio(3), 1, true}));
  // The held pulse is taken at the write's step boundary, in the ithread.
  const std::vector<Ev> traps = r.rig.trace.of(K::TrapEnter);
  ASSERT_EQ(traps.size(), 2u);
  EXPECT_EQ(std::get<0>(traps[1]), unmask + kMmio);
  // A filter-only event sends the EOI only: no PLIC priority write.
  FbRig f(freebsd_config());
  f.fb.bus_setup_intr(3, 1, INTR_TYPE_NET, [] { return FILTER_HANDLED; }, {}, "f");
  f.rig.machine.pulse_source(3, 5000);
  f.rig.machine.run_until(100'000);
  EXPECT_TRUE(prio_writes(f.rig, 3, 1000).empty());
}

TEST(FreebsdIntrEvent, F_7_EventWithoutHandlersIsAStrayAndUnclaimedInterruptsAreNotReported) {
  FbRig r(freebsd_config());
  const EventId none = r.fb.intr_event_create(3, 1);
  r.fb.bus_setup_intr(4, 1, INTR_TYPE_NET | INTR_MPSAFE, [] { return FILTER_STRAY; }, {}, "f");
  r.rig.machine.pulse_source(3, 5000);
  r.rig.machine.pulse_source(3, 6000);  // completed: the gateway forwards it again
  r.rig.machine.pulse_source(4, 7000);
  r.rig.machine.run_until(100'000);
  const CostProfile& c = r.config.costs;
  EXPECT_EQ(r.fb.event_stats(none).stray, 2u);
  EXPECT_EQ(r.fb.event_stats(none).handled, 0u);
  const EventId f = r.fb.event_of_source(4);
  EXPECT_EQ(r.fb.event_stats(f).stray, 0u);  // FILTER_STRAY from every filter: nothing
  EXPECT_EQ(r.fb.event_stats(f).handled, 1u);
  EXPECT_EQ(r.rig.trace.of(K::TrapExit),
            (std::vector<Ev>{{doreti_at(c, 5000) + c.trap_exit, 0, K::TrapExit, 0},
                             {doreti_at(c, 6000) + c.trap_exit, 0, K::TrapExit, 0},
                             {doreti_at(c, 7000) + c.trap_exit, 0, K::TrapExit, 0}}));
  const KernelStats s = r.kn.stats();
  EXPECT_EQ(s.sources[3].unhandled, 0u);  // the kernel saw a handler; the event counted it
}

TEST(FreebsdIntrEvent, F_8_ScheduleWhileRunningSetsItNeedForExactlyOneMorePass) {
  FbRig r(freebsd_config());
  IntrCookie sw = 0;
  sw = r.fb.swi_add(nullptr, "swi", r.handler("swi", 300), SWI_NET, INTR_MPSAFE);
  const EventId ev = r.fb.event_of(sw);
  std::vector<bool> iwait;
  r.kn.attach_irq(3, 1, [&](unsigned) {
    iwait.push_back(r.fb.iwait(ev));
    r.fb.swi_sched(sw, 0);
  });
  r.kn.attach_irq(4, 1, [&](unsigned) {
    iwait.push_back(r.fb.iwait(ev));
    r.fb.swi_sched(sw, 0);
  });
  r.rig.machine.pulse_source(3, 5000);
  // The swi thread starts at 5146 and works 300 cycles in one step: both arrive while it
  // runs and are claimed by one trap at its end.
  r.rig.machine.pulse_source(3, 5300);
  r.rig.machine.pulse_source(4, 5400);
  r.rig.machine.run_until(100'000);
  EXPECT_EQ(iwait, (std::vector<bool>{true, false, false}));
  const CostProfile& c = r.config.costs;
  const Cycle first = doreti_at(c, 5000, c.wakeup + c.runq_insert) + c.trap_exit + fs(c);
  // The trap at the end of the first run claims both sources; the second pass follows.
  const Cycle second = first + 300 + c.trap_entry + 2 * (2 * kMmio + c.irq_dispatch) + kMmio + c.trap_exit;
  EXPECT_EQ(r.rig.trace.of(K::DeferStart),
            (std::vector<Ev>{{first, 0, K::DeferStart, 0}, {second, 0, K::DeferStart, 0}}));
  const EventStats& st = r.fb.event_stats(ev);
  EXPECT_EQ(st.scheduled, 3u);
  EXPECT_EQ(st.wakeups, 1u);
  EXPECT_EQ(st.passes, 2u);
  const DeferredStats d = deferred_named(r.kn.stats(), "swi");
  EXPECT_EQ(d.runs, 2u);
  EXPECT_EQ(d.raised, 3u);
  EXPECT_EQ(d.coalesced, 1u);  // the third found ih_need still set
  // FS in, FS out; the IC: the trap at the end of the first run is taken while it runs.
  EXPECT_EQ(d.switches, (SwitchCounts{2, 0, 1}));
  EXPECT_EQ(switches_of(r.kn, *r.fb.ithread(ev)).full, 1u);
}

TEST(FreebsdIntrEvent, F_8_ReassertedSourceGivesOneMorePassAfterUnmask) {
  IthreadRig r(FreebsdOptions{}, 100);
  r.rig.machine.pulse_source(3, 5000);
  r.rig.machine.pulse_source(3, 5100);
  r.rig.machine.pulse_source(3, 5150);  // merges with the held one (edge already pending)
  r.rig.machine.run_until(100'000);
  EXPECT_EQ(r.fb.event_stats(r.ev).passes, 2u);
  EXPECT_EQ(r.fb.event_stats(r.ev).wakeups, 1u);
  EXPECT_EQ(switches_of(r.kn, *r.ithd).full, 1u);
  EXPECT_EQ(r.log.order, (std::vector<std::string>{"nic", "nic"}));
  EXPECT_EQ(deferred_named(r.kn.stats(), "nic").runs, 2u);
}

TEST(FreebsdIthread, F_9_AfterThePassesTheThreadSetsIwaitAndSwitchesAway) {
  IthreadRig r;
  Lwp& t = r.worker("t", 30);
  const CostProfile& c = r.config.costs;
  const Cycle t0 = idle_at(c, 1) + fs(c);
  r.rig.machine.pulse_source(3, t0 + 250);
  r.rig.machine.pulse_source(3, t0 + 1550);
  r.rig.machine.run_until(100'000);
  const Cycle t3 = doreti_at(c, t0 + 300, schedule_cost(c)) + preempt_fs(c);
  const Cycle away = t3 + 50 + kMmio;  // handler, unmask, then IWAIT
  const std::vector<Ev> sw = r.rig.trace.of(K::Switch);
  ASSERT_GE(sw.size(), 3u);
  EXPECT_EQ(sw[1], (Ev{doreti_at(c, t0 + 300, schedule_cost(c)), 0, K::Switch,
                       switch_arg(SwitchKind::Full, r.ithd->id)}));
  EXPECT_EQ(sw[2], (Ev{away, 0, K::Switch, switch_arg(SwitchKind::Full, t.id)}));
  EXPECT_TRUE(r.fb.iwait(r.ev));
  EXPECT_FALSE(r.fb.it_need(r.ev));
  EXPECT_EQ(r.ithd->state, LwpState::Sleeping);
  const EventStats& st = r.fb.event_stats(r.ev);
  EXPECT_EQ(st.wakeups, 2u);  // the second interrupt found it in IWAIT again
  EXPECT_EQ(st.passes, 2u);
  EXPECT_EQ(switches_of(r.kn, *r.ithd).full, 2u);
  EXPECT_EQ(r.kn.stats().cpus[0].switches, (SwitchCounts{6, 0, 2}));
}

TEST(FreebsdIthread, F_10_HardwareIthreadRunsAllHandlersSwiOnlyThoseItNeeds) {
  FbRig r(freebsd_config());
  r.fb.bus_setup_intr(3, 1, INTR_TYPE_NET | INTR_MPSAFE, [] { return FILTER_SCHEDULE_THREAD; },
                      r.handler("a", 10), "a");
  r.fb.bus_setup_intr(3, 1, INTR_TYPE_NET | INTR_MPSAFE, [] { return FILTER_HANDLED; },
                      r.handler("b", 10), "b");  // its filter did not ask: runs anyway
  r.fb.bus_setup_intr(3, 1, INTR_TYPE_NET | INTR_MPSAFE, [] { return FILTER_HANDLED; }, {}, "f");
  EventId swi = kNoEvent;
  const IntrCookie x = r.fb.swi_add(&swi, "x", r.handler("x", 10), SWI_TQ, INTR_MPSAFE);
  r.fb.swi_add(&swi, "y", r.handler("y", 10), SWI_TQ, INTR_MPSAFE);
  r.kn.attach_irq(4, 1, [&](unsigned) { r.fb.swi_sched(x, 0); });
  r.rig.machine.pulse_source(3, 5000);
  r.rig.machine.pulse_source(4, 8000);
  r.rig.machine.run_until(100'000);
  EXPECT_EQ(r.log.order, (std::vector<std::string>{"a", "b", "x"}));
  const CostProfile& c = r.config.costs;
  // Idle interrupted: the idle loop switches to the ithread after the trap.
  const Cycle t3 = doreti_at(c, 5000, schedule_cost(c)) + c.trap_exit + fs(c);
  EXPECT_EQ(r.log.at["a"], t3);
  EXPECT_EQ(r.log.at["b"], t3 + 10);
}

TEST(FreebsdIthread, F_11_NonMpsafeHandlersRunUnderGiantEachOnItsOwn) {
  FbRig r(freebsd_config());
  std::vector<std::string> owners;
  const auto owner = [&] {
    const Lwp* o = r.kn.big_lock().owner();
    owners.push_back(o ? o->name : "-");
  };
  r.fb.bus_setup_intr(3, 1, INTR_TYPE_NET, {}, r.handler("a", 10, owner), "a");
  r.fb.bus_setup_intr(3, 1, INTR_TYPE_NET, {}, r.handler("b", 10, owner), "b");
  r.fb.bus_setup_intr(3, 1, INTR_TYPE_NET | INTR_MPSAFE, {}, r.handler("m", 10, owner), "m");
  r.rig.machine.pulse_source(3, 5000);
  r.rig.machine.run_until(100'000);
  const CostProfile& c = r.config.costs;
  EXPECT_EQ(owners, (std::vector<std::string>{"irq3: a", "irq3: a", "-"}));
  EXPECT_EQ(r.kn.big_lock().stats().acquisitions, 2u);  // once per non-MPSAFE handler
  const Cycle t3 = doreti_at(c, 5000, schedule_cost(c)) + c.trap_exit + fs(c);
  EXPECT_EQ(r.log.at["a"], t3 + c.lock_fast);
  EXPECT_EQ(r.log.at["b"], t3 + c.lock_fast + 10 + c.lock_fast + c.lock_fast);
  EXPECT_EQ(r.log.at["m"], t3 + 4 * c.lock_fast + 20);
  EXPECT_EQ(r.kn.big_lock().owner(), nullptr);
}

TEST(FreebsdIthread, F_12_IthreadHandlerMayBlockOnATurnstileMutex) {
  FbRig r(freebsd_config());
  AdaptiveMutex m(r.kn, "sc_mtx");
  r.fb.bus_setup_intr(3, 1, INTR_TYPE_NET | INTR_MPSAFE, {}, [&] {
    m.enter();
    r.log.point(r.kn, "ithread owns");
    r.kn.work(20);
    m.exit();
  }, "nic");
  Lwp& holder = r.kn.create_lwp(lwp("holder", Band::Kernel, 0, [&] {
    m.enter();
    for (int i = 0; i < 10; ++i) r.kn.work(100);
    r.log.point(r.kn, "release");
    m.exit();
    r.log.point(r.kn, "holder back");
  }));
  const CostProfile& c = r.config.costs;
  const Cycle t0 = idle_at(c, 1) + fs(c) + c.lock_fast;
  r.rig.machine.pulse_source(3, t0 + 250);
  r.rig.machine.run_until(100'000);
  const Cycle t3 = doreti_at(c, t0 + 300, schedule_cost(c)) + preempt_fs(c);
  const Cycle block = t3 + c.lock_slow_block;
  const std::vector<Ev> sw = r.rig.trace.of(K::Switch);
  ASSERT_GE(sw.size(), 5u);
  EXPECT_EQ(sw[2], (Ev{block, 0, K::Switch, switch_arg(SwitchKind::Full, holder.id)}));
  EXPECT_EQ(holder.priority, holder.base_priority);  // inheritance ended at the release
  // The holder releases: the ithread (lent its priority, now owner) preempts at once.
  EXPECT_EQ(r.log.at["ithread owns"],
            r.log.at["release"] + c.lock_release_wake + c.wakeup + c.runq_insert + preempt_fs(c));
  const Cycle end = r.log.at["ithread owns"] + 20 + c.lock_fast + kMmio;
  EXPECT_EQ(r.log.at["holder back"], end + fs(c));
  const DeferredStats d = deferred_named(r.kn.stats(), "nic");
  EXPECT_EQ(d.blocked, 1u);
  EXPECT_EQ(d.switches, (SwitchCounts{4, 0, 0}));  // in, out (block), in (woken), out
}

TEST(FreebsdIthread, F_12_FilterMayNotTakeAnAdaptiveMutex) {
  FbRig r(freebsd_config());
  AdaptiveMutex m(r.kn, "sc_mtx");
  SpinMutex spin(r.kn, "sc_spin", 1);  // HIGH: a spin mutex is allowed
  r.fb.bus_setup_intr(3, 1, INTR_TYPE_NET | INTR_MPSAFE, [&] {
    spin.enter();
    spin.exit();
    m.enter();
    return FILTER_HANDLED;
  }, {}, "f");
  r.rig.machine.pulse_source(3, 5000);
  const std::string msg = panic_message(r.rig);
  EXPECT_TRUE(contains(msg, "adaptive mutex sc_mtx taken in interrupt context")) << msg;
}

TEST(FreebsdIthread, F_12_HardwareIthreadMayNotSleepButSwiMay) {
  {
    FbRig r(freebsd_config());
    AdaptiveMutex m(r.kn, "m");
    CondVar cv(r.kn, "cv");
    r.fb.bus_setup_intr(3, 1, INTR_TYPE_NET | INTR_MPSAFE, {}, [&] {
      m.enter();
      cv.wait(m);
    }, "nic");
    r.rig.machine.pulse_source(3, 5000);
    const std::string msg = panic_message(r.rig);
    EXPECT_TRUE(contains(msg, "cv_wait on cv")) << msg;  // THREAD_NO_SLEEPING
    EXPECT_TRUE(contains(msg, "lwp 1 (irq3: nic)")) << msg;
  }
  FbRig r(freebsd_config());
  AdaptiveMutex m(r.kn, "m");
  CondVar cv(r.kn, "cv");
  IntrCookie sw = r.fb.swi_add(nullptr, "sleeper", [&] {
    m.enter();
    cv.wait(m);  // IE_SOFT: allowed
    r.log.point(r.kn, "woken");
    m.exit();
  }, SWI_TQ, INTR_MPSAFE);
  r.kn.attach_irq(3, 1, [&](unsigned) { r.fb.swi_sched(sw, 0); });
  r.kn.create_lwp(lwp("signaller", Band::Kernel, 0, [&] {
    for (int i = 0; i < 60; ++i) r.kn.work(100);
    m.enter();
    cv.signal();
    m.exit();
  }));
  r.rig.machine.pulse_source(3, 5000);
  EXPECT_EQ(panic_message(r.rig), "");
  EXPECT_EQ(r.log.order, (std::vector<std::string>{"woken"}));
}

KernelConfig storm_config(unsigned threshold) {
  FreebsdOptions o;
  o.intr_storm_threshold = threshold;
  KernelConfig k = freebsd_config(1, o);
  k.tick = {20'000, 0, 1, 1};
  return k;
}

TEST(FreebsdIthread, F_13_StormThrottlePausesOneTickPerPassOverTheThreshold) {
  for (const unsigned threshold : {0u, 2u}) {
    FbRig r(storm_config(threshold));
    const IntrCookie nic = r.fb.bus_setup_intr(3, 2, INTR_TYPE_NET | INTR_MPSAFE, {}, r.handler("nic", 100), "nic");
    const EventId ev = r.fb.event_of(nic);
    for (const Cycle at : {5000, 5100, 5350, 5500}) r.rig.machine.pulse_source(3, at);
    r.rig.machine.run_until(100'000);
    const EventStats& st = r.fb.event_stats(ev);
    EXPECT_EQ(st.passes, 4u);  // one per pulse: each arrives during the previous pass
    EXPECT_EQ(st.wakeups, 1u);  // never back to IWAIT in between
    std::vector<Cycle> ticks;
    for (const Ev& e : r.rig.trace.of(K::HandlerStart))
      if (std::get<3>(e) == 1) ticks.push_back(std::get<0>(e));
    ASSERT_GE(ticks.size(), 2u);
    std::vector<Cycle> unmask;
    for (const MmioAccess& a : prio_writes(r.rig, 3, 1000))
      if (a.value == 2) unmask.push_back(a.cycle);
    ASSERT_EQ(unmask.size(), 4u);
    if (threshold == 0) {
      EXPECT_EQ(st.storm_pauses, 0u);
      EXPECT_LT(unmask[3], ticks[0]);
    } else {
      EXPECT_EQ(st.storm_pauses, 2u);  // passes 3 and 4 (ie_count reached 2)
      EXPECT_LT(unmask[1], ticks[0]);
      EXPECT_GT(unmask[2], ticks[0]);
      EXPECT_LT(unmask[2], ticks[1]);
      EXPECT_GT(unmask[3], ticks[1]);
    }
  }
}

TEST(FreebsdSwi, F_14_SwiAddCreatesASoftEventAtPiSwiAndSwiSchedHonoursSwiDelay) {
  EXPECT_EQ(SWI_TTY, 0u);
  EXPECT_EQ(SWI_NET, 1u);
  EXPECT_EQ(SWI_CAMBIO, 2u);
  EXPECT_EQ(SWI_BUSDMA, 3u);
  EXPECT_EQ(SWI_CLOCK, 4u);
  EXPECT_EQ(SWI_TQ_FAST, 5u);
  EXPECT_EQ(SWI_TQ, 6u);
  FbRig r(freebsd_config());
  EventId net = kNoEvent;
  const IntrCookie a = r.fb.swi_add(&net, "a", r.handler("a", 10), SWI_NET, INTR_MPSAFE);
  const IntrCookie b = r.fb.swi_add(&net, "b", r.handler("b", 10), SWI_NET, INTR_MPSAFE);
  ASSERT_NE(net, kNoEvent);
  Lwp* t = r.fb.ithread(net);
  EXPECT_EQ(t->name, "swi1: a");
  EXPECT_EQ(t->priority, 223u - PI_SWI(SWI_NET));  // 195
  EXPECT_EQ(r.fb.handler_priority(a), PI_SWI(SWI_NET));
  EXPECT_EQ(r.fb.ithread(r.fb.event_of(r.fb.swi_add(nullptr, "c", [] {}, SWI_CLOCK, 0)))->priority,
            223u - PI_SWI(SWI_CLOCK));
  r.fb.bus_setup_intr(5, 1, INTR_TYPE_NET, {}, [] {}, "hw");
  EventId hw = r.fb.event_of_source(5);
  EXPECT_THROW(r.fb.swi_add(&hw, "d", [] {}, SWI_NET, 0), std::invalid_argument);  // EINVAL
  EXPECT_EQ(deferred_named(r.kn.stats(), "a").mechanism, "swi1");
  r.kn.attach_irq(3, 1, [&](unsigned) { r.fb.swi_sched(a, SWI_DELAY); });  // only marks
  r.kn.attach_irq(4, 1, [&](unsigned) { r.fb.swi_sched(b, 0); });
  r.rig.machine.pulse_source(3, 5000);
  r.rig.machine.pulse_source(4, 8000);
  r.rig.machine.run_until(100'000);
  EXPECT_EQ(r.log.order, (std::vector<std::string>{"a", "b"}));  // both in the pass at 8000
  const CostProfile& c = r.config.costs;
  EXPECT_EQ(r.log.at["a"], doreti_at(c, 8000, c.wakeup + c.runq_insert) + c.trap_exit + fs(c));
  EXPECT_EQ(r.fb.event_stats(net).wakeups, 1u);
}

TEST(FreebsdPreempt, F_15_OnlyThreadsWithinPreemptThreshPreemptKernelCode) {
  FreebsdOptions o;
  o.preempt_thresh = PI_NET;
  const CostProfile& c = test_costs();
  for (const unsigned type : {INTR_TYPE_NET, INTR_TYPE_BIO}) {
    FbRig r(freebsd_config(1, o));
    r.fb.bus_setup_intr(3, 1, type | INTR_MPSAFE, {}, r.handler("ithread", 50), "dev");
    r.worker("t");
    const Cycle t0 = idle_at(c, 1) + fs(c);
    r.rig.machine.pulse_source(3, t0 + 250);
    r.rig.machine.run_until(100'000);
    const Cycle d = doreti_at(c, t0 + 300, schedule_cost(c));
    if (type == INTR_TYPE_NET) {  // PI_NET <= preempt_thresh: owepreempt
      EXPECT_EQ(r.log.order, (std::vector<std::string>{"ithread", "t done"}));
      EXPECT_EQ(r.log.at["ithread"], d + preempt_fs(c));
    } else {  // PI_DISK: NEEDRESCHED only; runs when t gives up the CPU (its exit)
      EXPECT_EQ(r.log.order, (std::vector<std::string>{"t done", "ithread"}));
      EXPECT_EQ(r.log.at["t done"], d + c.trap_exit + 700);
      EXPECT_EQ(r.log.at["ithread"], r.log.at["t done"] + fs(c));
    }
  }
  // The idle thread is always preempted: on an idle CPU the disk ithread runs at once.
  FbRig idle(freebsd_config(1, o));
  idle.fb.bus_setup_intr(4, 1, INTR_TYPE_BIO | INTR_MPSAFE, {}, idle.handler("disk", 50), "disk");
  idle.rig.machine.pulse_source(4, 5000);
  idle.rig.machine.run_until(100'000);
  EXPECT_EQ(idle.log.at["disk"], doreti_at(c, 5000, schedule_cost(c)) + c.trap_exit + fs(c));
}

TEST(FreebsdPreempt, F_15_DefaultThreshIsPriMinKernForWakeupsInThreadContext) {
  for (const unsigned prio : {30u, 31u}) {  // kernel priorities 94 and 95 (= PRI_MIN_KERN)
    FbRig r(freebsd_config());
    SleepQueue q;
    r.kn.create_lwp(lwp("sleeper", Band::Kernel, prio, [&] {
      sleep_on(r.kn, q);
      r.log.point(r.kn, "woken");
    }));
    r.kn.create_lwp(lwp("waker", Band::Kernel, 0, [&] {
      r.kn.work(100);
      r.log.point(r.kn, "waking");
      wake_one(r.kn, q);
      r.log.point(r.kn, "after wake");
      r.kn.work(100);
      r.log.point(r.kn, "waker done");
    }));
    r.rig.machine.run_until(100'000);
    const CostProfile& c = r.config.costs;
    const Cycle woken = r.log.at["waking"] + c.wakeup + c.runq_insert;
    if (prio == 31) {  // owepreempt: switched at once
      EXPECT_EQ(r.log.order, (std::vector<std::string>{"waking", "woken", "after wake", "waker done"}));
      EXPECT_EQ(r.log.at["woken"], woken + preempt_fs(c));
      EXPECT_EQ(r.log.at["after wake"], r.log.at["woken"] + fs(c));
    } else {  // NEEDRESCHED only: at the waker's next voluntary switch (its exit)
      EXPECT_EQ(r.log.order, (std::vector<std::string>{"waking", "after wake", "waker done", "woken"}));
      EXPECT_EQ(r.log.at["after wake"], woken);
      EXPECT_EQ(r.log.at["woken"], r.log.at["waker done"] + fs(c));
    }
  }
}

TEST(FreebsdPreempt, F_16_SwitchToIthreadOnTheInterruptPathBeforeTheThreadResumes) {
  IthreadRig r;
  Lwp& t = r.worker("t");
  Lwp& u = r.worker("u");  // same priority, queued behind t
  const CostProfile& c = r.config.costs;
  const Cycle t0 = idle_at(c, 1) + fs(c);
  r.rig.machine.pulse_source(3, t0 + 250);
  r.rig.machine.run_until(100'000);
  const Cycle t1 = t0 + 300, d = doreti_at(c, t1, schedule_cost(c));
  const Cycle t3 = d + preempt_fs(c), back = t3 + 50 + kMmio;
  EXPECT_EQ(r.log.at["nic"], t3);
  const std::vector<Ev> sw = r.rig.trace.of(K::Switch);
  ASSERT_GE(sw.size(), 3u);
  EXPECT_EQ(sw[1], (Ev{d, 0, K::Switch, switch_arg(SwitchKind::Full, r.ithd->id)}));
  // Re-queued at the head: t, not u, resumes; then its trap returns.
  EXPECT_EQ(sw[2], (Ev{back, 0, K::Switch, switch_arg(SwitchKind::Full, t.id)}));
  EXPECT_EQ(r.rig.trace.of(K::TrapExit),
            (std::vector<Ev>{{back + fs(c) + c.trap_exit, 0, K::TrapExit, 0}}));
  EXPECT_EQ(r.log.at["t done"], back + fs(c) + c.trap_exit + 700);
  EXPECT_EQ(switches_of(r.kn, t), (SwitchCounts{2, 0, 1}));
  EXPECT_EQ(switches_of(r.kn, u).full, 1u);
  const DeferredStats s = deferred_named(r.kn.stats(), "nic");
  EXPECT_EQ(s.mechanism, "ithread/irq3");
  EXPECT_EQ(s.max_latency, t3 - (handler_at(c, t1) + kMmio));  // raise after the mask write
  EXPECT_EQ(s.switches, (SwitchCounts{2, 0, 0}));
}

TEST(FreebsdPreempt, F_17_InsideACriticalSectionTheSwitchWaitsForTheOutermostExit) {
  IthreadRig r;
  r.kn.create_lwp(lwp("t", Band::Kernel, 0, [&] {
    r.fb.critical_enter();
    r.fb.critical_enter();
    for (int i = 0; i < 5; ++i) r.kn.work(100);
    r.fb.critical_exit();
    r.log.point(r.kn, "inner exit");
    r.kn.work(100);
    r.log.point(r.kn, "outer exit");
    r.fb.critical_exit();
    r.log.point(r.kn, "t back");
  }));
  const CostProfile& c = r.config.costs;
  const Cycle t0 = idle_at(c, 1) + fs(c);
  r.rig.machine.pulse_source(3, t0 + 250);
  r.rig.machine.run_until(100'000);
  const Cycle t5 = doreti_at(c, t0 + 300, schedule_cost(c)) + c.trap_exit;  // no switch
  EXPECT_EQ(r.rig.trace.of(K::TrapExit), (std::vector<Ev>{{t5, 0, K::TrapExit, 0}}));
  EXPECT_EQ(r.log.order, (std::vector<std::string>{"inner exit", "outer exit", "nic", "t back"}));
  EXPECT_EQ(r.log.at["inner exit"], t5 + 200);
  EXPECT_EQ(r.log.at["nic"], r.log.at["outer exit"] + preempt_fs(c));
  EXPECT_EQ(r.log.at["t back"], r.log.at["nic"] + 50 + kMmio + fs(c));
}

TEST(FreebsdPreempt, F_18_WithoutPreemptionTheIthreadWaitsForReturnToUser) {
  FreebsdOptions o;
  o.preemption = false;
  IthreadRig r(o);
  EXPECT_FALSE(r.kn.config().sched.kernel_preemption);
  Cycle user_at = 0;
  r.kn.create_lwp([&] {
    LwpSpec s = lwp("t", Band::UserTimeshare, 0, [&] {
      for (int i = 0; i < 5; ++i) r.kn.work(100);  // a system call
      user_at = r.kn.machine().now();
      r.kn.user(100);
      r.log.point(r.kn, "t back");
      r.kn.user(1000);  // interrupted in user mode: the AST switches at trap return
    });
    s.user = true;
    return s;
  }());
  const CostProfile& c = r.config.costs;
  const Cycle t0 = idle_at(c, 1) + fs(c);
  const Cycle t5 = doreti_at(c, t0 + 300, schedule_cost(c)) + c.trap_exit;  // kernel: no switch
  const Cycle nic = t5 + 200 + preempt_fs(c);
  const Cycle back = nic + 50 + kMmio + fs(c) + 100;
  const Cycle t1 = back + 1000;  // the end of the user(1000) step
  r.rig.machine.pulse_source(3, t0 + 250);
  r.rig.machine.pulse_source(3, back + 250);
  r.rig.machine.run_until(100'000);
  EXPECT_EQ(r.rig.trace.of(K::TrapExit)[0], (Ev{t5, 0, K::TrapExit, 0}));
  EXPECT_EQ(user_at, t5 + 200);
  EXPECT_EQ(r.log.at["nic"], nic);
  EXPECT_EQ(r.log.at["t back"], back);
  // Second interrupt, in user mode: the AST runs the ithread before the return to user.
  const DeferredStats d = deferred_named(r.kn.stats(), "nic");
  EXPECT_EQ(d.runs, 2u);
  EXPECT_EQ(d.total_latency - d.max_latency, doreti_at(c, t1, schedule_cost(c)) + preempt_fs(c) -
                                                 (handler_at(c, t1) + kMmio));
}

// The neutral driver (personality_support.h). Under FreeBSD its hard handler is a filter
// and the deferral runs on the "swi1: net" thread, reached by an FS.
using neutral::kHard;
using neutral::kNic;
using neutral::kNicPrio;
using neutral::kRx;
using neutral::NicDriver;

// A user process in user mode is interrupted: FS user -> swi at the trap's preemption
// point, FS swi -> user when it goes back to IWAIT; one IC.
TEST(FreebsdNeutral, MayBlockNetDeferralTakingAMutexRunsOnTheNetSwiWithTwoFullSwitches) {
  const KernelConfig k = freebsd_config();
  const CostProfile& c = k.costs;
  Rig rig(k);
  Kernel& kn = *rig.kernel;
  AdaptiveMutex softc(kn, "softc");
  NicDriver nic(kn, true, &softc);
  LwpSpec u = lwp("user", Band::UserTimeshare, 0, [&] {
    for (int i = 0; i < 10; ++i) kn.user(100);
  });
  u.user = true;
  Lwp& user = kn.create_lwp(std::move(u));
  const Cycle t0 = idle_at(c, 1) + fs(c);
  rig.machine.pulse_source(kNic, t0 + 250);
  rig.machine.run_until(100'000);
  Freebsd& fb = of(kn);
  const Lwp* swi = fb.ithread(fb.swi_event(DeferLevel::Net));
  ASSERT_NE(swi, nullptr);
  EXPECT_EQ(swi->name, "swi1: net");
  EXPECT_EQ(swi->priority, 223u - PI_SWI(SWI_NET));
  const Cycle raise = handler_at(c, t0 + 300) + kHard;
  const Cycle t3 = raise + c.wakeup + c.runq_insert + 2 * kMmio + preempt_fs(c);
  EXPECT_EQ(rig.trace.of(K::DeferRaise), (std::vector<Ev>{{raise, 0, K::DeferRaise, 0}}));
  EXPECT_EQ(rig.trace.of(K::DeferStart), (std::vector<Ev>{{t3, 0, K::DeferStart, 0}}));
  const Cycle end = t3 + 2 * c.lock_fast + kRx;
  EXPECT_EQ(rig.trace.of(K::DeferEnd), (std::vector<Ev>{{end, 0, K::DeferEnd, 0}}));
  EXPECT_EQ(rig.trace.of(K::TrapExit), (std::vector<Ev>{{end + fs(c) + c.trap_exit, 0, K::TrapExit, 0}}));
  EXPECT_EQ(nic.packets, 1);
  const KernelStats s = kn.stats();
  // idle->user, user->swi, swi->user, user exits: 4 FS; no LS; one IC.
  EXPECT_EQ(s.cpus[0].switches, (SwitchCounts{4, 0, 1}));
  EXPECT_EQ(switches_of(kn, user), (SwitchCounts{2, 0, 1}));
  const DeferredStats& ds = s.deferred[0];
  EXPECT_EQ(ds.mechanism, "swi1");
  EXPECT_EQ(ds.level, "net");
  EXPECT_EQ(ds.runs, 1u);
  EXPECT_EQ(ds.max_latency, t3 - raise);
  EXPECT_EQ(ds.switches, (SwitchCounts{2, 0, 0}));
}

// Work that never blocks still runs on the swi thread: on an idle CPU the idle loop
// switches to it after the trap.
TEST(FreebsdNeutral, NonBlockingNetDeferralAlsoRunsOnTheSwiThread) {
  const KernelConfig k = freebsd_config();
  const CostProfile& c = k.costs;
  Rig rig(k);
  Kernel& kn = *rig.kernel;
  NicDriver nic(kn, false, nullptr);
  rig.machine.pulse_source(kNic, 5000);
  rig.machine.run_until(100'000);
  const Cycle d = doreti_at(c, 5000, kHard + c.wakeup + c.runq_insert);
  const Cycle t3 = d + c.trap_exit + fs(c);
  EXPECT_EQ(rig.trace.of(K::TrapExit), (std::vector<Ev>{{d + c.trap_exit, 0, K::TrapExit, 0}}));
  EXPECT_EQ(rig.trace.of(K::DeferStart), (std::vector<Ev>{{t3, 0, K::DeferStart, 0}}));
  EXPECT_EQ(kn.stats().deferred[0].switches, (SwitchCounts{2, 0, 0}));
  EXPECT_EQ(kn.stats().cpus[0].switches, (SwitchCounts{2, 0, 1}));
}

// The mutex is held by a kernel LWP: the swi preempts it, blocks (FS back), preempts it
// again at the release (FS) and switches away when done (FS): 4 FS for the work.
TEST(FreebsdNeutral, ContendedMutexBlocksTheSwiThreadFourFullSwitches) {
  const KernelConfig k = freebsd_config();
  const CostProfile& c = k.costs;
  Rig rig(k);
  Kernel& kn = *rig.kernel;
  AdaptiveMutex softc(kn, "softc");
  NicDriver nic(kn, true, &softc);
  CycleLog log;
  kn.create_lwp(lwp("holder", Band::Kernel, 0, [&] {
    softc.enter();
    for (int i = 0; i < 10; ++i) kn.work(100);
    log.point(kn, "release");
    softc.exit();
    log.point(kn, "holder back");
  }));
  const Cycle t0 = idle_at(c, 1) + fs(c);
  rig.machine.pulse_source(kNic, t0 + 250);
  rig.machine.run_until(100'000);
  EXPECT_EQ(nic.packets, 1);
  const Cycle t3 = doreti_at(c, t0 + c.lock_fast + 300, kHard + c.wakeup + c.runq_insert) + preempt_fs(c);
  const std::vector<Ev> start = rig.trace.of(K::DeferStart);
  ASSERT_EQ(start.size(), 1u);
  EXPECT_EQ(std::get<0>(start[0]), t3);
  const Cycle owns = log.at["release"] + c.lock_release_wake + c.wakeup + c.runq_insert + preempt_fs(c);
  EXPECT_EQ(rig.trace.of(K::DeferEnd), (std::vector<Ev>{{owns + kRx + c.lock_fast, 0, K::DeferEnd, 0}}));
  EXPECT_EQ(log.at["holder back"], owns + kRx + c.lock_fast + fs(c));
  const DeferredStats s = kn.stats().deferred[0];
  EXPECT_EQ(s.blocked, 1u);
  EXPECT_EQ(s.switches, (SwitchCounts{4, 0, 0}));
  EXPECT_EQ(kn.stats().cpus[0].switches, (SwitchCounts{6, 0, 1}));
}

// Multiprocessor: the ithread is not bound; woken while its last CPU is busy it goes to
// the idle CPU (core wake_cpu, an IPI) and the interrupted thread is not preempted.
TEST(FreebsdMp, IthreadWokenWhileAnotherCpuIsIdleRunsThere) {
  FbRig r(freebsd_config(2));
  r.fb.bus_setup_intr(3, 1, INTR_TYPE_NET | INTR_MPSAFE, {}, r.handler("nic", 50), "nic", {0});
  Lwp& t = r.worker();
  const CostProfile& c = r.config.costs;
  const Cycle t0 = idle_at(c, 3) + fs(c);
  r.rig.machine.pulse_source(3, t0 + 250);
  r.rig.machine.run_until(100'000);
  const Cycle h = schedule_cost(c) + c.ipi_send + kMmio;  // mask, wake-up, IPI to CPU 1
  const Cycle t5 = doreti_at(c, t0 + 300, h) + c.trap_exit;
  EXPECT_EQ(r.rig.trace.of(K::TrapExit)[0], (Ev{t5, 0, K::TrapExit, 0}));
  EXPECT_EQ(r.log.at["t done"], t5 + 700);
  const std::vector<Ev> start = r.rig.trace.of(K::DeferStart);
  ASSERT_EQ(start.size(), 1u);
  EXPECT_EQ(std::get<1>(start[0]), 1u);
  EXPECT_EQ(switches_of(r.kn, t), (SwitchCounts{1, 0, 1}));
  EXPECT_EQ(r.fb.ithread(r.fb.event_of_source(3))->cpu, 1u);
}

TEST(FreebsdNeutral, NonMpsafeDeferralRunsUnderGiantAndLevelsGetTheirSwi) {
  FbRig r(freebsd_config());
  std::string owner;
  DeferredWork& w = r.kn.establish_deferred({"clk", DeferLevel::Clock, false, false, [&] {
                                               owner = r.kn.big_lock().owner() ? r.kn.big_lock().owner()->name : "-";
                                             }});
  r.kn.establish_deferred({"bio", DeferLevel::Bio, false, true, [] {}});
  r.kn.establish_deferred({"tty", DeferLevel::Serial, false, true, [] {}});
  EXPECT_EQ(r.fb.ithread(r.fb.swi_event(DeferLevel::Clock))->name, "swi4: clock");
  EXPECT_EQ(r.fb.ithread(r.fb.swi_event(DeferLevel::Bio))->name, "swi2: bio");
  EXPECT_EQ(r.fb.ithread(r.fb.swi_event(DeferLevel::Serial))->name, "swi0: serial");
  r.kn.attach_irq(3, 1, [&](unsigned) { w.schedule(); });
  r.rig.machine.pulse_source(3, 5000);
  r.rig.machine.run_until(100'000);
  EXPECT_EQ(owner, "swi4: clock");
}

}  // namespace personality_freebsd_test
}  // namespace irqlab::kernel::test
