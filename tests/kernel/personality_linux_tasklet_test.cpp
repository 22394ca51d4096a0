// Linux tasklets (L-TL-1..10), PREEMPT_RT and forced threading (L-RT-1..4), and the
// neutral deferred-work API under the linux personality. LWP ids on one CPU: idle/0 = 0,
// ksoftirqd/0 = 1, then the test's LWPs.
#include "personality_linux_support.h"
#include "sync/adaptive_mutex.h"

namespace irqlab::kernel::test {
namespace personality_linux_tasklet_test {

using K = TraceKind;
using namespace lnx;

// --- L-TL -----------------------------------------------------------------------------

TEST(LinuxTasklet, L_TL_1_ScheduledTwiceRunsOnce) {
  LxRig r;
  Tasklet& t = r.lx.tasklet_init("tl", [&] {
    r.point("tl");
    r.kn.work(10);
  });
  bool sched_in_handler = false;
  r.kn.attach_irq(3, 1, [&](unsigned) {
    r.lx.tasklet_schedule(t);
    r.lx.tasklet_schedule(t);
    r.lx.tasklet_schedule(t);
    sched_in_handler = t.scheduled();
  });
  r.rig.machine.pulse_source(3, 5000);
  r.rig.machine.run_until(100'000);
  EXPECT_TRUE(sched_in_handler);
  EXPECT_EQ(r.log.order, (std::vector<std::string>{"tl"}));
  EXPECT_EQ(r.log.at["tl"], doreti_at(r.c(), 5000));
  const DeferredStats s = deferred_named(r.kn.stats(), "tl");
  EXPECT_EQ(s.mechanism, "tasklet");
  EXPECT_EQ(s.raised, 3u);
  EXPECT_EQ(s.coalesced, 2u);
  EXPECT_EQ(s.runs, 1u);
  EXPECT_FALSE(t.scheduled());
}

TEST(LinuxTasklet, L_TL_2_QueuedFifoOnTheSchedulingCpu) {
  LxRig r(linux_config(2));
  std::vector<std::pair<std::string, unsigned>> ran;
  std::vector<Tasklet*> ts;
  for (const char* n : {"a", "b", "c"})
    ts.push_back(&r.lx.tasklet_init(n, [&, n] { ran.emplace_back(n, r.kn.machine().cpu_id()); }));
  Tasklet& hi = r.lx.tasklet_init("hi", [&] { ran.emplace_back("hi", r.kn.machine().cpu_id()); }, true);
  std::size_t queued[4] = {};
  r.kn.attach_irq(3, 1, [&](unsigned) {
    r.lx.tasklet_schedule(*ts[1]);
    r.lx.tasklet_schedule(*ts[0]);
    r.lx.tasklet_schedule(*ts[2]);
    r.lx.tasklet_hi_schedule(hi);
    queued[0] = r.lx.tasklets_queued(1, false);
    queued[1] = r.lx.tasklets_queued(1, true);
    queued[2] = r.lx.tasklets_queued(0, false);
    queued[3] = r.lx.local_softirq_pending(1);
  }, {1});
  r.rig.machine.pulse_source(3, 5000);
  r.rig.machine.run_until(100'000);
  EXPECT_EQ(queued[0], 3u);
  EXPECT_EQ(queued[1], 1u);
  EXPECT_EQ(queued[2], 0u);
  EXPECT_EQ(queued[3], (1u << HI_SOFTIRQ) | (1u << TASKLET_SOFTIRQ));
  EXPECT_EQ(ran, (std::vector<std::pair<std::string, unsigned>>{{"hi", 1}, {"b", 1}, {"a", 1}, {"c", 1}}));
}

TEST(LinuxTasklet, L_TL_3_ListDetachedRunHeldSchedClearedInCallback) {
  LxRig r;
  bool detached = false;
  std::size_t queued_during = 9;
  Tasklet* bp = nullptr;
  Tasklet& b = r.lx.tasklet_init("b", [&] { r.point("b"); });
  bp = &b;
  Tasklet& a = r.lx.tasklet_init("a", [&] {
    r.point("a");
    r.kn.work(10);
    detached = r.lx.tasklets_queued(0, false) == 0;
    r.lx.tasklet_schedule(*bp);  // onto the CPU's (new) list, not the detached one
    queued_during = r.lx.tasklets_queued(0, false);
  });
  Tasklet* ap = &a;
  r.kn.attach_irq(3, 1, [&](unsigned) { r.lx.tasklet_schedule(*ap); });
  r.rig.machine.pulse_source(3, 5000);
  r.rig.machine.run_until(100'000);
  const Cycle d = doreti_at(r.c(), 5000);
  EXPECT_TRUE(detached);  // the list was detached before a ran
  EXPECT_EQ(queued_during, 1u);
  EXPECT_EQ(r.log.order, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(r.log.at["b"], d + 10);  // the restart pass
  EXPECT_FALSE(a.running());
  EXPECT_FALSE(a.scheduled());
}

TEST(LinuxTasklet, L_TL_3_RunBitHeldAndSchedClearWhileTheCallbackRuns) {
  LxRig r;
  Tasklet* self = nullptr;
  std::vector<bool> state;
  Tasklet& t = r.lx.tasklet_init("t", [&] { state = {self->running(), self->scheduled()}; });
  self = &t;
  r.kn.attach_irq(3, 1, [&](unsigned) { r.lx.tasklet_schedule(t); });
  r.rig.machine.pulse_source(3, 5000);
  r.rig.machine.run_until(100'000);
  EXPECT_EQ(state, (std::vector<bool>{true, false}));
}

TEST(LinuxTasklet, L_TL_4_RescheduledWhileRunningRunsAgainAfterwards) {
  LxRig r;
  Tasklet* self = nullptr;
  std::vector<Cycle> runs;
  Tasklet& t = r.lx.tasklet_init("t", [&] {
    runs.push_back(r.kn.machine().now());
    r.kn.work(10);
    if (runs.size() == 1) r.lx.tasklet_schedule(*self);
  });
  self = &t;
  r.kn.attach_irq(3, 1, [&](unsigned) { r.lx.tasklet_schedule(t); });
  r.rig.machine.pulse_source(3, 5000);
  r.rig.machine.run_until(100'000);
  const Cycle d = doreti_at(r.c(), 5000);
  EXPECT_EQ(runs, (std::vector<Cycle>{d, d + 10}));
  const DeferredStats s = deferred_named(r.kn.stats(), "t");
  EXPECT_EQ(s.raised, 2u);
  EXPECT_EQ(s.coalesced, 0u);
}

// L-TL-5 and L-TL-7: a disabled, scheduled tasklet is put back and re-polled on every
// pass: the 10 passes of local_bh_enable end by waking ksoftirqd (L-SI-14); after
// tasklet_enable it runs on the next pass (in ksoftirqd).
TEST(LinuxTasklet, L_TL_5_DisabledTaskletIsRequeuedEveryPassThenKsoftirqd) {
  KernelConfig k = linux_config();
  k.costs.personality["softirq_pass"] = 5;
  LxRig r(k);
  const CostProfile& c = r.c();
  Tasklet& t = r.lx.tasklet_init("t", [&] { r.point("t"); });
  SleepQueue q;
  Cycle enable = 0, enabled = 0;
  std::size_t queued = 0;
  r.kn.create_lwp(lwp("u", Band::Kernel, 0, [&] {
    r.lx.tasklet_disable_nosync(t);
    r.lx.local_bh_disable();
    r.lx.tasklet_schedule(t);
    enable = r.kn.machine().now();
    r.lx.local_bh_enable();
    queued = r.lx.tasklets_queued(0, false);
    r.lx.tasklet_enable(t);
    enabled = r.kn.machine().now();
    sleep_on(r.kn, q);
  }));
  r.rig.machine.run_until(100'000);
  EXPECT_EQ(enable, idle_at(c, 0) + fs(c));
  EXPECT_EQ(queued, 1u);
  EXPECT_EQ(r.lx.softirq_overruns(0), 1u);
  EXPECT_EQ(enabled, enable + 10 * lnx::linux_costs(c).softirq_pass + c.wakeup + c.runq_insert);
  EXPECT_EQ(r.log.at["t"], enabled + fs(c) + lnx::linux_costs(c).softirq_pass);
  EXPECT_EQ(r.where["t"], "ksoftirqd/0");
}

TEST(LinuxTasklet, L_TL_6_NeverRunsOnTwoCpusAtOnce) {
  KernelConfig k = linux_config(2);
  k.costs.personality["softirq_pass"] = 5;
  LxRig r(k);
  const CostProfile& c = r.c();
  std::vector<std::tuple<unsigned, Cycle, Cycle, std::string>> runs;
  Tasklet& t = r.lx.tasklet_init("t", [&] {
    const Cycle start = r.kn.machine().now();
    r.kn.work(1000);
    runs.emplace_back(r.kn.machine().cpu_id(), start, r.kn.machine().now(), r.kn.sched().current().name);
  });
  r.kn.attach_irq(3, 1, [&](unsigned) { r.lx.tasklet_schedule(t); }, {0});
  r.kn.attach_irq(4, 1, [&](unsigned) { r.lx.tasklet_schedule(t); }, {1});
  r.rig.machine.pulse_source(3, 5000);
  r.rig.machine.pulse_source(4, 5500);
  r.rig.machine.run_until(100'000);
  ASSERT_EQ(runs.size(), 2u);
  const Cycle d0 = doreti_at(c, 5000) + lnx::linux_costs(c).softirq_pass;
  EXPECT_EQ(runs[0], (std::tuple<unsigned, Cycle, Cycle, std::string>{0, d0, d0 + 1000, "idle/0"}));
  // CPU 1: RUN is held, so each pass puts t back; after 10 passes ksoftirqd/1 polls on,
  // one pass per softirq_pass, and runs t at its first poll once CPU 0 released RUN.
  const Cycle k1 = doreti_at(c, 5500) + 10 * lnx::linux_costs(c).softirq_pass + c.wakeup + c.runq_insert + c.trap_exit + fs(c);
  const Cycle polls = (d0 + 1000 - k1 + lnx::linux_costs(c).softirq_pass - 1) / lnx::linux_costs(c).softirq_pass;
  const Cycle start1 = k1 + polls * lnx::linux_costs(c).softirq_pass;
  EXPECT_EQ(runs[1], (std::tuple<unsigned, Cycle, Cycle, std::string>{1, start1, start1 + 1000, "ksoftirqd/1"}));
}

TEST(LinuxTasklet, L_TL_7_TaskletDisableWaitsForARunningCallback) {
  LxRig r(linux_config(2));
  Tasklet& t = r.lx.tasklet_init("t", [&] {
    r.kn.work(1000);
    r.point("t_end");
  });
  r.kn.attach_irq(3, 1, [&](unsigned) { r.lx.tasklet_schedule(t); }, {0});
  LwpSpec s = lwp("u", Band::Kernel, 0, [&] {
    r.kn.work(5500 - (idle_at(r.c(), 0) + fs(r.c())));
    r.point("disable");
    r.lx.tasklet_disable(t);  // RUN is held on CPU 0: sleeps until it is released
    r.point("disabled");
    r.lx.tasklet_enable(t);
  });
  s.bound = true;
  s.cpu = 1;
  Lwp& u = r.kn.create_lwp(std::move(s));
  r.rig.machine.pulse_source(3, 5000);
  r.rig.machine.run_until(100'000);
  EXPECT_EQ(r.log.at["disable"], 5500u);
  EXPECT_EQ(r.log.at["t_end"], doreti_at(r.c(), 5000) + 1000);
  // Releasing RUN on CPU 0 wakes u: an IPI to idle CPU 1 (the line rises as the SET write
  // is issued; the trap claims, clears the IPI, completes and claims again: 4 MMIO), then
  // CPU 1's idle loop switches to u.
  const CostProfile& c = r.c();
  EXPECT_EQ(r.log.at["disabled"], r.log.at["t_end"] + c.wakeup + c.runq_insert + c.ipi_send + c.trap_entry +
                                      4 * kMmio + c.irq_dispatch + c.trap_exit + fs(c));
  EXPECT_EQ(u.blocks, 1u);
  EXPECT_EQ(t.count(), 0u);
}

TEST(LinuxTasklet, L_TL_7_ScheduledWhileDisabledRunsOnTheFirstPassAfterEnable) {
  LxRig r;
  Tasklet& t = r.lx.tasklet_init("t", [&] { r.point("t"); });
  Cycle enable = 0;
  r.kn.create_lwp(lwp("u", Band::Kernel, 0, [&] {
    r.lx.local_bh_disable();
    r.lx.tasklet_disable_nosync(t);
    r.lx.tasklet_schedule(t);
    r.lx.tasklet_enable(t);
    r.kn.work(100);
    enable = r.kn.machine().now();
    r.lx.local_bh_enable();
  }));
  r.rig.machine.run_until(100'000);
  EXPECT_EQ(r.log.at["t"], enable);
  EXPECT_EQ(r.lx.softirq_overruns(0), 0u);
}

TEST(LinuxTasklet, L_TL_8_KillWaitsUntilNeitherPendingNorRunning) {
  LxRig r;
  const CostProfile& c = r.c();
  Tasklet& t = r.lx.tasklet_init("t", [&] {
    r.point("t");
    r.kn.work(10);
  });
  bool sched = true, run = true;
  r.kn.create_lwp(lwp("u", Band::Kernel, 0, [&] {
    r.lx.tasklet_schedule(t);  // task context: wakes ksoftirqd
    r.lx.tasklet_kill(t);
    r.point("killed");
    sched = t.scheduled();
    run = t.running();
  }));
  r.rig.machine.run_until(100'000);
  const Cycle t0 = idle_at(c, 0) + fs(c);
  const Cycle k = t0 + c.wakeup + c.runq_insert + fs(c);  // u sleeps in tasklet_kill
  EXPECT_EQ(r.log.at["t"], k + c.wakeup + c.runq_insert);  // SCHED cleared: u woken
  EXPECT_EQ(r.log.at["killed"], r.log.at["t"] + 10 + fs(c));
  EXPECT_FALSE(sched);
  EXPECT_FALSE(run);
  EXPECT_TRUE(r.lx.warnings().empty());
}

TEST(LinuxTasklet, L_TL_8_KillFromInterruptContextPrintsANotice) {
  LxRig r;
  Tasklet& t = r.lx.tasklet_init("t", [] {});
  r.kn.attach_irq(3, 1, [&](unsigned) { r.lx.tasklet_kill(t); });
  r.rig.machine.pulse_source(3, 5000);
  r.rig.machine.run_until(100'000);
  EXPECT_EQ(r.lx.warnings(), (std::vector<std::string>{"Attempt to kill tasklet from interrupt"}));
  EXPECT_FALSE(t.scheduled());
}

TEST(LinuxTasklet, L_TL_9_HiTaskletsRunBeforeNormalOnesInAPass) {
  LxRig r;
  Tasklet& n = r.lx.tasklet_init("n", [&] {
    r.point("n");
    r.kn.work(10);
  });
  Tasklet& h = r.lx.tasklet_init("h", [&] {
    r.point("h");
    r.kn.work(10);
  }, true);
  r.kn.attach_irq(3, 1, [&](unsigned) {
    r.lx.tasklet_schedule(n);
    r.lx.tasklet_hi_schedule(h);
  });
  r.rig.machine.pulse_source(3, 5000);
  r.rig.machine.run_until(100'000);
  const Cycle d = doreti_at(r.c(), 5000);
  EXPECT_EQ(r.log.order, (std::vector<std::string>{"h", "n"}));
  EXPECT_EQ(r.log.at["h"], d);
  EXPECT_EQ(r.log.at["n"], d + 10);
  EXPECT_EQ(deferred_named(r.kn.stats(), "h").mechanism, "tasklet_hi");
}

TEST(LinuxTasklet, L_TL_10_DeadCpusTaskletsAreSplicedOntoTheCurrentCpu) {
  LxRig r(linux_config(2));
  const CostProfile& c = r.c();
  std::vector<unsigned> cpus;
  Tasklet& t = r.lx.tasklet_init("t", [&] {
    r.point("t");
    cpus.push_back(r.kn.machine().cpu_id());
  });
  std::size_t left = 9;
  r.kn.create_lwp(lwp("v", Band::Kernel, 0, [&] {
    r.kn.work(100);
    r.point("takeover");
    r.lx.takeover_tasklets(1);  // CPU 1 "went offline"
    left = r.lx.tasklets_queued(1, false);
  }));
  LwpSpec s = lwp("u", Band::Kernel, 0, [&] {
    r.lx.local_bh_disable();
    r.lx.tasklet_schedule(t);  // on CPU 1's list
    r.kn.work(1000);
    r.lx.local_bh_enable();
  });
  s.bound = true;
  s.cpu = 1;
  r.kn.create_lwp(std::move(s));
  r.rig.machine.run_until(100'000);
  EXPECT_EQ(r.log.at["takeover"], idle_at(c, 2) + fs(c) + 100);  // CPU 0: two IPI priorities
  EXPECT_EQ(left, 0u);
  EXPECT_EQ(cpus, (std::vector<unsigned>{0}));
  EXPECT_EQ(r.log.at["t"], r.log.at["takeover"] + c.wakeup + c.runq_insert + fs(c));
  EXPECT_EQ(r.where["t"], "ksoftirqd/0");
}

// --- L-RT -----------------------------------------------------------------------------

TEST(LinuxRt, L_RT_1_ThreadirqsForceThreadsAttachIrqHandlers) {
  for (int mode = 0; mode < 3; ++mode) {  // none, threadirqs, PREEMPT_RT
    SCOPED_TRACE(mode);
    LinuxOptions o;
    o.threadirqs = mode == 1;
    o.preempt_rt = mode == 2;
    LxRig r(linux_config(1, o));
    EXPECT_EQ(r.lx.force_irqthreads(), mode != 0);
    std::string where;
    bool hardirq = true;
    unsigned bh = 9;
    bool irqs = true;
    r.kn.attach_irq(3, 1, [&](unsigned) {
      where = r.kn.sched().current().name;
      hardirq = r.lx.in_hardirq();
      bh = r.lx.softirq_disable_cnt();
      irqs = r.kn.machine().interrupts_enabled();
    });
    r.rig.machine.pulse_source(3, 5000);
    r.rig.machine.run_until(100'000);
    EXPECT_EQ(where, mode == 0 ? "idle/0" : "irq/3-irq");
    EXPECT_EQ(hardirq, mode == 0);
    EXPECT_EQ(bh, mode == 0 ? 0u : 1u);   // irq_forced_thread_fn: BH disabled
    EXPECT_EQ(irqs, mode == 2);           // and IRQs off unless RT
  }
}

TEST(LinuxRt, L_RT_2_SoftirqRaisedByAForcedHandlerRunsInTheIrqThread) {
  for (bool rt : {false, true}) {
    SCOPED_TRACE(rt ? "PREEMPT_RT" : "threadirqs");
    LinuxOptions o;
    o.threadirqs = !rt;
    o.preempt_rt = rt;
    LxRig r(linux_config(1, o));
    r.add_softirq(NET_RX_SOFTIRQ, "rx", 10);
    Cycle handler_end = 0;
    r.kn.attach_irq(3, 1, [&](unsigned) {
      r.lx.raise_softirq(NET_RX_SOFTIRQ);  // NAPI's napi_schedule
      r.kn.work(20);
      handler_end = r.kn.machine().now();
    });
    r.rig.machine.pulse_source(3, 5000);
    r.rig.machine.run_until(100'000);
    EXPECT_EQ(r.where["rx"], "irq/3-irq");
    EXPECT_EQ(r.log.at["rx"], handler_end);  // at that thread's local_bh_enable
    for (const Ev& e : r.rig.trace.of(K::Wakeup)) EXPECT_NE(std::get<3>(e), 1u);  // never ksoftirqd
  }
}

TEST(LinuxRt, L_RT_3_RtIrqExitWakesKsoftirqdInsteadOfRunningSoftirqs) {
  LinuxOptions o;
  o.preempt_rt = true;
  LxRig r(linux_config(1, o));
  const CostProfile& c = r.c();
  r.add_softirq(NET_RX_SOFTIRQ, "rx", 10);
  r.lx.threaded_irqs().request_irq(3, 1, [&](unsigned) {
    r.lx.raise_softirq(NET_RX_SOFTIRQ);
    return IrqReturn::Handled;
  }, IRQF_NO_THREAD, "timer");
  r.rig.machine.pulse_source(3, 5000);
  r.rig.machine.run_until(100'000);
  const Cycle d = doreti_at(c, 5000);
  const Cycle exit = d + c.wakeup + c.runq_insert + c.trap_exit;
  EXPECT_EQ(r.rig.trace.of(K::Wakeup), (std::vector<Ev>{{d, 0, K::Wakeup, 1}}));
  EXPECT_EQ(r.log.at["rx"], exit + fs(c) + c.lock_fast);  // ksoftirqd takes the BH lock
  EXPECT_EQ(r.where["rx"], "ksoftirqd/0");
}

TEST(LinuxRt, L_RT_3_NoWakeWhileABhSectionIsActiveItRunsAtTheEnable) {
  LinuxOptions o;
  o.preempt_rt = true;
  LxRig r(linux_config(1, o));
  const CostProfile& c = r.c();
  r.add_softirq(NET_RX_SOFTIRQ, "rx", 10);
  r.lx.threaded_irqs().request_irq(3, 1, [&](unsigned) {
    r.lx.raise_softirq(NET_RX_SOFTIRQ);
    return IrqReturn::Handled;
  }, IRQF_NO_THREAD, "timer");
  Cycle enable = 0;
  r.kn.create_lwp(lwp("t", Band::Kernel, 0, [&] {
    r.lx.local_bh_disable();
    for (int i = 0; i < 10; ++i) r.kn.work(100);
    enable = r.kn.machine().now();
    r.lx.local_bh_enable();
  }));
  const Cycle t0 = idle_at(c, 1) + fs(c) + c.lock_fast;
  r.rig.machine.pulse_source(3, t0 + 250);
  r.rig.machine.run_until(100'000);
  EXPECT_TRUE(r.rig.trace.of(K::Wakeup).empty());
  EXPECT_EQ(enable, t0 + 1000 + c.trap_entry + 3 * kMmio + c.irq_dispatch + c.trap_exit);
  EXPECT_EQ(r.log.at["rx"], enable);
  EXPECT_EQ(r.where["rx"], "t");
}

TEST(LinuxRt, L_RT_4_SpinlockSleepsOnRtOnlyRawSpinlocksInHardirq) {
  {  // non-RT: spinlock_t spins with preemption off
    LxRig r;
    SpinLock l(r.kn, "l");
    EXPECT_FALSE(l.sleeping());
    std::uint32_t count = 9;
    r.kn.create_lwp(lwp("t", Band::Kernel, 0, [&] {
      l.lock();
      count = r.lx.preempt_count();
      l.unlock();
    }));
    r.rig.machine.run_until(100'000);
    EXPECT_EQ(count, 1u);
  }
  LinuxOptions o;
  o.preempt_rt = true;
  {  // RT: raw_spinlock_t is fine in a true hardirq (IRQF_NO_THREAD)
    LxRig r(linux_config(1, o));
    SpinLock raw(r.kn, "raw", true);
    EXPECT_FALSE(raw.sleeping());
    bool ran = false;
    r.lx.threaded_irqs().request_irq(3, 1, [&](unsigned) {
      raw.lock();
      raw.unlock();
      ran = true;
      return IrqReturn::Handled;
    }, IRQF_NO_THREAD, "timer");
    r.rig.machine.pulse_source(3, 5000);
    r.rig.machine.run_until(100'000);
    EXPECT_TRUE(ran);
  }
  {  // RT: spinlock_t is an rtmutex: panics in true hardirq context
    LxRig r(linux_config(1, o));
    SpinLock l(r.kn, "sc_lock");
    EXPECT_TRUE(l.sleeping());
    r.lx.threaded_irqs().request_irq(3, 1, [&](unsigned) {
      l.lock();
      return IrqReturn::Handled;
    }, IRQF_NO_THREAD, "timer");
    r.rig.machine.pulse_source(3, 5000);
    const std::string msg = panic_message(r.rig);
    EXPECT_TRUE(contains(msg, "adaptive mutex sc_lock taken in interrupt context")) << msg;
  }
  {  // RT: spinlock_t in a (forced) irq thread may block: priority inheritance
    LxRig r(linux_config(1, o));
    SpinLock l(r.kn, "sc_lock");
    r.kn.attach_irq(3, 1, [&](unsigned) {
      l.lock();
      r.point("locked");
      l.unlock();
    });
    r.kn.create_lwp(lwp("t", Band::Kernel, 0, [&] {
      l.lock();
      for (int i = 0; i < 10; ++i) r.kn.work(100);
      r.point("unlock");
      l.unlock();
    }));
    r.rig.machine.pulse_source(3, 5000 - 4750);
    r.rig.machine.run_until(100'000);
    EXPECT_EQ(r.where["locked"], "irq/3-irq");
    EXPECT_GT(r.log.at["locked"], r.log.at["unlock"]);
  }
}

// --- The neutral deferred-work API ----------------------------------------------------

TEST(LinuxNeutral, LevelsMapOntoSoftirqListsATaskletAndAWorkItem) {
  LxRig r;
  const char* expected[] = {"softirq/TIMER", "softirq/BLOCK", "softirq/NET_RX", "tasklet"};
  for (DeferLevel l : {DeferLevel::Clock, DeferLevel::Bio, DeferLevel::Net, DeferLevel::Serial}) {
    DeferredWork& w = r.kn.establish_deferred({defer_level_name(l), l, false, true, [] {}});
    EXPECT_EQ(w.stats().mechanism, expected[static_cast<unsigned>(l)]);
  }
  DeferredWork& b = r.kn.establish_deferred({"blocking", DeferLevel::Net, true, true, [] {}});
  EXPECT_EQ(b.stats().mechanism, "workqueue/events");
  EXPECT_THROW(r.lx.open_softirq(NET_RX_SOFTIRQ, [] {}), std::invalid_argument);
  LxRig r2;
  r2.lx.open_softirq(NET_RX_SOFTIRQ, [] {});
  EXPECT_THROW(r2.kn.establish_deferred({"rx", DeferLevel::Net, false, true, [] {}}), std::invalid_argument);
}

TEST(LinuxNeutral, NetWorkRunsInNetRxCoalescesAndRerunsWhenRescheduledWhileRunning) {
  LxRig r;
  DeferredWork* b = nullptr;
  int runs_a = 0;
  DeferredWork& a = r.kn.establish_deferred({"a", DeferLevel::Net, false, true, [&] {
    r.point("a" + std::to_string(++runs_a));
    r.kn.work(10);
    if (runs_a == 1) b->schedule();
  }});
  b = &r.kn.establish_deferred({"b", DeferLevel::Net, false, true, [&] {
    r.point("b");
    r.kn.work(10);
    if (runs_a == 1) a.schedule();  // while a is not pending: again
  }});
  r.kn.attach_irq(3, 1, [&](unsigned) {
    a.schedule();
    b->schedule();
    a.schedule();  // pending: coalesced
  });
  r.rig.machine.pulse_source(3, 5000);
  r.rig.machine.run_until(100'000);
  const Cycle d = doreti_at(r.c(), 5000);
  EXPECT_EQ(r.log.order, (std::vector<std::string>{"a1", "b", "a2"}));
  EXPECT_EQ(r.log.at["a1"], d);
  EXPECT_EQ(r.log.at["b"], d + 10);
  EXPECT_EQ(r.log.at["a2"], d + 20);  // the restart pass
  const DeferredStats s = deferred_named(r.kn.stats(), "a");
  EXPECT_EQ(s.raised, 3u);
  EXPECT_EQ(s.coalesced, 1u);
  EXPECT_EQ(s.runs, 2u);
  EXPECT_EQ(deferred_named(r.kn.stats(), "b").coalesced, 1u);  // scheduled by a while pending
}

// The neutral driver (personality_support.h).
using neutral::kHard;
using neutral::kNic;
using neutral::kNicPrio;
using neutral::kRx;
using neutral::NicDriver;

TEST(LinuxNeutral, DriverNonBlockingDeferralIsNetRxOnIrqExitNoSwitch) {
  LxRig r;
  const CostProfile& c = r.c();
  NicDriver nic(r.kn, false, nullptr);
  LwpSpec u = lwp("user", Band::UserTimeshare, 0, [&] {
    for (int i = 0; i < 10; ++i) r.kn.user(100);
  });
  u.user = true;
  Lwp& user = r.kn.create_lwp(std::move(u));
  const Cycle t0 = idle_at(c, 1) + fs(c);
  r.rig.machine.pulse_source(kNic, t0 + 250);
  r.rig.machine.run_until(100'000);
  const Cycle raise = handler_at(c, t0 + 300) + kHard;
  const Cycle t3 = raise + 2 * kMmio + lnx::linux_costs(c).softirq_pass;
  EXPECT_EQ(r.rig.trace.of(K::DeferStart), (std::vector<Ev>{{t3, 0, K::DeferStart, 0}}));
  EXPECT_EQ(nic.packets, 1);
  const DeferredStats s = r.kn.stats().deferred[0];
  EXPECT_EQ(s.mechanism, "softirq/NET_RX");
  EXPECT_EQ(s.max_latency, t3 - raise);
  EXPECT_EQ(s.switches, (SwitchCounts{0, 0, 0}));
  EXPECT_EQ(switches_of(r.kn, user), (SwitchCounts{1, 0, 1}));  // the boot FS and one IC
  EXPECT_EQ(r.kn.stats().cpus[0].switches, (SwitchCounts{2, 0, 1}));  // + its exit to idle
}

TEST(LinuxNeutral, DriverBlockingDeferralIsAWorkItemOnAKworker) {
  LxRig r;
  const CostProfile& c = r.c();  // work_queue, worker_create, work_process: 0 here
  AdaptiveMutex softc(r.kn, "softc");
  NicDriver nic(r.kn, true, &softc);  // system_wq's first kworker (id 2) ran at boot
  r.rig.machine.pulse_source(kNic, 5000);  // the CPU is idle
  r.rig.machine.run_until(100'000);
  EXPECT_EQ(nic.packets, 1);
  const Cycle raise = handler_at(c, 5000) + kHard;
  // queue_work wakes the idle kworker; after the trap the idle loop switches to it; it
  // becomes the manager and creates another worker (L-WQ-7), then runs the item.
  const Cycle t3 = raise + lnx::linux_costs(c).work_queue + c.wakeup + c.runq_insert + 2 * kMmio + c.trap_exit + fs(c) +
                   lnx::linux_costs(c).worker_create + c.wakeup + c.runq_insert + lnx::linux_costs(c).work_process;
  EXPECT_EQ(r.rig.trace.of(K::DeferStart), (std::vector<Ev>{{t3, 0, K::DeferStart, 0}}));
  const DeferredStats s = r.kn.stats().deferred[0];
  EXPECT_EQ(s.mechanism, "workqueue/events");
  EXPECT_EQ(s.runs, 1u);
  EXPECT_EQ(s.max_latency, t3 - raise);
  EXPECT_EQ(s.switches, (SwitchCounts{2, 0, 0}));  // FS into the kworker, FS away
  EXPECT_EQ(r.rig.trace.of(K::DeferEnd), (std::vector<Ev>{{t3 + 2 * c.lock_fast + kRx, 0, K::DeferEnd, 0}}));
}

// Research §6, one NIC leg: non-RT the NET_RX work runs at irq_exit (0 FS); with
// threadirqs (and PREEMPT_RT) the NIC handler runs in its irq thread, which preempts the
// user process, runs NET_RX at its local_bh_enable and sleeps: 2 FS.
TEST(LinuxNeutral, Section6NicLegZeroFullSwitchesOrTwoWithForcedThreading) {
  for (int mode = 0; mode < 3; ++mode) {
    SCOPED_TRACE(mode);
    LinuxOptions o;
    o.threadirqs = mode == 1;
    o.preempt_rt = mode == 2;
    LxRig r(linux_config(1, o));
    NicDriver nic(r.kn, false, nullptr);
    std::uint64_t full_before = 0;
    LwpSpec u = lwp("user", Band::UserTimeshare, 0, [&] {
      full_before = r.kn.stats().cpus[0].switches.full;
      for (int i = 0; i < 30; ++i) r.kn.user(100);
      EXPECT_EQ(r.kn.stats().cpus[0].switches.full - full_before, mode == 0 ? 0u : 2u);
      EXPECT_EQ(r.kn.stats().cpus[0].switches.light, 0u);
    });
    u.user = true;
    r.kn.create_lwp(std::move(u));
    r.rig.machine.pulse_source(kNic, 1500);
    r.rig.machine.run_until(100'000);
    EXPECT_EQ(nic.packets, 1);
    EXPECT_EQ(r.kn.stats().cpus[0].interrupts, 1u);
    const KernelStats st = r.kn.stats();
    EXPECT_EQ(deferred_named(st, "nic_rx").mechanism, "softirq/NET_RX");
    EXPECT_EQ(deferred_named(st, "nic_rx").runs, 1u);
    EXPECT_EQ(deferred_named(st, "nic_rx").switches, (SwitchCounts{0, 0, 0}));
    // Forced: the irq thread's own record (L-TI) ran once, nic_rx nested inside it.
    EXPECT_EQ(st.deferred.size(), mode == 0 ? 1u : 2u);
    const std::vector<Ev> starts = r.rig.trace.of(K::DeferStart);
    ASSERT_EQ(starts.size(), st.deferred.size());
    EXPECT_EQ(std::get<3>(starts.back()), 0u);  // nic_rx (id 0) starts last
  }
}

}  // namespace personality_linux_tasklet_test
}  // namespace irqlab::kernel::test
