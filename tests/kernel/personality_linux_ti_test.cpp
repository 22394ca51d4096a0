// Linux threaded IRQs, rule by rule (research/kernel-semantics.md §1.8, L-TI-1..7), on the
// bare kernel core (the personality "none"). Exact cycles from the test cost profile; the
// first irq thread is LWP 1 (idle/0 is LWP 0).
#include <gtest/gtest.h>

#include "personality/linux/threaded_irq.h"
#include "personality_support.h"
#include "sync/adaptive_mutex.h"

namespace irqlab::kernel::test {
namespace personality_linux_ti_test {

using K = TraceKind;
using namespace lnx;

KernelConfig ti_config(unsigned cpus = 1) {
  KernelConfig k = test_config(cpus);
  k.sched.kernel_preemption = true;  // CONFIG_PREEMPT
  return k;
}

Cycle kick(const CostProfile& c) { return c.wakeup + c.runq_insert; }
Cycle trap_tail(const CostProfile& c) { return 2 * kMmio + c.trap_exit; }
// A whole trap taken by a running LWP for a handler that spends `h` (no switch).
Cycle trap(const CostProfile& c, Cycle h = 0) { return c.trap_entry + kMmio + c.irq_dispatch + h + trap_tail(c); }

struct TiRig {
  explicit TiRig(KernelConfig k = ti_config(), ThreadedIrqOptions o = {})
      : config(std::move(k)), rig(config), kn(*rig.kernel), tirq(kn, o) {}
  // A thread function that logs "t<run#>" and spends `chunks` x 100 cycles.
  IrqFn thread_fn(int chunks, std::function<void()> extra = {}) {
    return [this, chunks, extra](unsigned) {
      log.point(kn, "t" + std::to_string(++runs));
      if (extra) extra();
      for (int i = 0; i < chunks; ++i) kn.work(100);
      log.point(kn, "t" + std::to_string(runs) + " end");
      return IrqReturn::Handled;
    };
  }
  std::vector<MmioAccess> prio_writes(unsigned source) const {
    std::vector<MmioAccess> out;
    for (const MmioAccess& a : rig.machine.accesses())
      if (a.addr == plic_prio(source) && a.write && a.cycle > 1000) out.push_back(a);
    return out;
  }
  void run(Cycle end = 100'000) { rig.machine.run_until(end); }
  KernelConfig config;
  Rig rig;
  Kernel& kn;
  ThreadedIrqs tirq;
  CycleLog log;
  int runs = 0;
};

TEST(LinuxThreadedIrq, L_TI_1_OnlyWakeThreadWakesTheIrqThread) {
  TiRig r;
  std::vector<IrqReturn> script = {IrqReturn::Handled, IrqReturn::WakeThread, IrqReturn::None};
  std::size_t call = 0;
  bool in_hardirq = false;
  ASSERT_EQ(r.tirq.request_threaded_irq(3, 1, [&](unsigned) {
    in_hardirq = r.kn.cpu_state().hard_depth > 0;
    return script[call++];
  }, r.thread_fn(0), 0, "dev"), 0);
  r.rig.machine.pulse_source(3, 5000);
  r.rig.machine.pulse_source(3, 6000);
  r.rig.machine.pulse_source(3, 7000);
  r.run();
  const CostProfile& c = r.config.costs;
  EXPECT_TRUE(in_hardirq);
  EXPECT_EQ(r.tirq.thread(3, 0)->name, "irq/3-dev");
  EXPECT_EQ(r.runs, 1);
  EXPECT_EQ(r.log.at["t1"], handler_at(c, 6000) + kick(c) + trap_tail(c) + fs(c));
  EXPECT_EQ(r.tirq.unhandled(3), 1u);  // the IRQ_NONE
  const DeferredStats s = deferred_named(r.kn.stats(), "irq/3-dev");
  EXPECT_EQ(s.mechanism, "irq_thread");
  EXPECT_EQ(s.raised, 1u);
  EXPECT_EQ(s.runs, 1u);
  EXPECT_EQ(s.max_latency, kick(c) + trap_tail(c) + fs(c));
  EXPECT_EQ(s.switches, (SwitchCounts{2, 0, 0}));
}

TEST(LinuxThreadedIrq, L_TI_2_NullPrimaryNeedsOneshotUnlessTheChipIsOneshotSafe) {
  TiRig r;
  EXPECT_EQ(r.tirq.request_threaded_irq(3, 1, {}, r.thread_fn(1), 0, "a"), -kEinval);
  EXPECT_EQ(r.tirq.request_threaded_irq(3, 1, {}, {}, IRQF_ONESHOT, "none"), -kEinval);
  EXPECT_EQ(r.tirq.request_threaded_irq(0, 1, [](unsigned) { return IrqReturn::Handled; }, {}, 0, "zero"),
            -kEinval);
  ASSERT_EQ(r.tirq.request_threaded_irq(3, 1, {}, r.thread_fn(1), IRQF_ONESHOT, "b"), 0);
  r.rig.machine.pulse_source(3, 5000);
  r.run();
  const CostProfile& c = r.config.costs;
  // The default primary wakes the thread (after masking the ONESHOT line).
  EXPECT_EQ(r.log.at["t1"], handler_at(c, 5000) + kMmio + kick(c) + trap_tail(c) + fs(c));

  ThreadedIrqOptions safe;
  safe.chip_oneshot_safe = true;
  TiRig s(ti_config(), safe);
  EXPECT_EQ(s.tirq.request_threaded_irq(3, 1, {}, s.thread_fn(1), 0, "c"), 0);
}

TEST(LinuxThreadedIrq, L_TI_3_WakesDuringARunCoalesceIntoOneMoreRun) {
  TiRig r;
  ASSERT_EQ(r.tirq.request_threaded_irq(3, 1, [](unsigned) { return IrqReturn::WakeThread; },
                                        r.thread_fn(10), 0, "dev"), 0);
  const CostProfile& c = r.config.costs;
  const Cycle t3 = handler_at(c, 5000) + kick(c) + trap_tail(c) + fs(c);
  r.rig.machine.pulse_source(3, 5000);
  for (Cycle d : {150, 450, 750}) r.rig.machine.pulse_source(3, t3 + d);  // K = 3
  r.run();
  EXPECT_EQ(r.runs, 2);
  EXPECT_EQ(r.log.at["t1"], t3);
  // Three traps on the running thread, then the second run at once (RUNTHREAD was set).
  EXPECT_EQ(r.log.at["t2"], t3 + 1000 + 3 * trap(c));
  const DeferredStats s = deferred_named(r.kn.stats(), "irq/3-dev");
  EXPECT_EQ(s.raised, 4u);
  EXPECT_EQ(s.coalesced, 2u);
  EXPECT_EQ(s.runs, 2u);
  EXPECT_EQ(r.tirq.threads_active(3), 0u);
}

TEST(LinuxThreadedIrq, L_TI_3_OneshotLineHoldsTheWakesPendingInThePlic) {
  TiRig r;
  ASSERT_EQ(r.tirq.request_threaded_irq(3, 1, [](unsigned) { return IrqReturn::WakeThread; },
                                        r.thread_fn(10), IRQF_ONESHOT, "dev"), 0);
  const CostProfile& c = r.config.costs;
  const Cycle t3 = handler_at(c, 5000) + kMmio + kick(c) + trap_tail(c) + fs(c);
  r.rig.machine.pulse_source(3, 5000);
  for (Cycle d : {150, 450, 750}) r.rig.machine.pulse_source(3, t3 + d);
  r.run();
  EXPECT_EQ(r.runs, 2);
  // The unmask at the end of the run lets the one pending request in: one trap (mask
  // again, wake), and the thread runs once more without sleeping.
  const Cycle unmask = t3 + 1000;
  EXPECT_EQ(r.log.at["t2"], unmask + kMmio + trap(c, kMmio));
  EXPECT_EQ(r.rig.trace.of(K::TrapEnter).size(), 2u);
}

TEST(LinuxThreadedIrq, L_TI_4_OneshotMasksAroundThePrimaryUntilTheThreadFinishes) {
  TiRig r;
  int call = 0;
  ASSERT_EQ(r.tirq.request_threaded_irq(3, 4, [&](unsigned) {
    return ++call == 1 ? IrqReturn::WakeThread : IrqReturn::Handled;
  }, r.thread_fn(10), IRQF_ONESHOT, "dev"), 0);
  r.rig.machine.pulse_source(3, 5000);
  r.rig.machine.pulse_source(3, 8000);
  r.run();
  const CostProfile& c = r.config.costs;
  const Cycle h1 = handler_at(c, 5000), h2 = handler_at(c, 8000);
  const Cycle t3 = h1 + kMmio + kick(c) + trap_tail(c) + fs(c);
  EXPECT_EQ(r.log.at["t1 end"], t3 + 1000);
  // PLIC priority 0 (masked) in the handler; restored (4) when the thread is done. The
  // second interrupt wakes nothing: unmasked before the handler returns.
  EXPECT_EQ(r.prio_writes(3), (std::vector<MmioAccess>{{h1, 0, plic_prio(3), 0, true},
                                                       {t3 + 1000, 0, plic_prio(3), 4, true},
                                                       {h2, 0, plic_prio(3), 0, true},
                                                       {h2 + kMmio, 0, plic_prio(3), 4, true}}));
  EXPECT_FALSE(r.tirq.masked(3));
  EXPECT_EQ(r.tirq.threads_oneshot(3), 0u);
}

TEST(LinuxThreadedIrq, L_TI_4_UnmaskedOnlyWhenEveryOneshotThreadOfTheLineFinished) {
  TiRig r;
  bool masked_in_b = false;
  std::uint64_t oneshot_in_b = 0;
  const IrqFn wake = [](unsigned) { return IrqReturn::WakeThread; };
  ASSERT_EQ(r.tirq.request_threaded_irq(3, 2, wake, r.thread_fn(1), IRQF_SHARED | IRQF_ONESHOT, "a"), 0);
  ASSERT_EQ(r.tirq.request_threaded_irq(3, 2, wake, [&](unsigned) {
    masked_in_b = r.tirq.masked(3);
    oneshot_in_b = r.tirq.threads_oneshot(3);
    r.log.point(r.kn, "b");
    r.kn.work(500);
    return IrqReturn::Handled;
  }, IRQF_SHARED | IRQF_ONESHOT, "b"), 0);
  r.rig.machine.pulse_source(3, 5000);
  r.run();
  const CostProfile& c = r.config.costs;
  const Cycle ta = handler_at(c, 5000) + kMmio + 2 * kick(c) + trap_tail(c) + fs(c);
  EXPECT_EQ(r.log.at["t1"], ta);
  EXPECT_EQ(r.log.at["b"], ta + 100 + fs(c));  // a finished: still masked, b's bit left
  EXPECT_TRUE(masked_in_b);
  EXPECT_EQ(oneshot_in_b, 2u);
  EXPECT_EQ(r.prio_writes(3), (std::vector<MmioAccess>{{handler_at(c, 5000), 0, plic_prio(3), 0, true},
                                                       {ta + 100 + fs(c) + 500, 0, plic_prio(3), 2, true}}));
}

TEST(LinuxThreadedIrq, L_TI_4_NoUnmaskWhileRunthreadWasSetAgain) {
  TiRig r;
  ASSERT_EQ(r.tirq.request_threaded_irq(3, 4, {}, r.thread_fn(2, [&] {
    if (r.runs == 1) r.tirq.irq_wake_thread(3, "dev");  // RUNTHREAD set during the run
  }), IRQF_ONESHOT, "dev"), 0);
  r.rig.machine.pulse_source(3, 5000);
  r.run();
  const CostProfile& c = r.config.costs;
  const Cycle h = handler_at(c, 5000);
  const Cycle t3 = h + kMmio + kick(c) + trap_tail(c) + fs(c);
  EXPECT_EQ(r.runs, 2);
  EXPECT_EQ(r.log.at["t2"], t3 + 200);  // irq_finalize_oneshot kept it masked
  EXPECT_EQ(r.prio_writes(3), (std::vector<MmioAccess>{{h, 0, plic_prio(3), 0, true},
                                                       {t3 + 400, 0, plic_prio(3), 4, true}}));
  const DeferredStats s = deferred_named(r.kn.stats(), "irq/3-dev");
  EXPECT_EQ(s.switches, (SwitchCounts{2, 0, 0}));  // one FS in, one FS away for both runs
  EXPECT_EQ(r.tirq.threads_active(3), 0u);
}

TEST(LinuxThreadedIrq, L_TI_5_SharersMustAgreeAndOneshotBitsRunOut) {
  TiRig r;
  const IrqFn p = [](unsigned) { return IrqReturn::Handled; };
  const unsigned shared_oneshot = IRQF_SHARED | IRQF_ONESHOT;
  ASSERT_EQ(r.tirq.request_threaded_irq(3, 1, p, {}, shared_oneshot, "s0"), 0);
  EXPECT_EQ(r.tirq.request_threaded_irq(3, 1, p, {}, IRQF_ONESHOT, "noshare"), -kEbusy);
  EXPECT_EQ(r.tirq.request_threaded_irq(3, 1, p, {}, IRQF_SHARED, "nooneshot"), -kEbusy);
  EXPECT_EQ(r.tirq.request_threaded_irq(3, 1, p, {}, shared_oneshot | IRQF_TRIGGER_HIGH, "level"), -kEbusy);
  for (unsigned i = 1; i < kThreadMaskBits; ++i)
    ASSERT_EQ(r.tirq.request_threaded_irq(3, 1, p, {}, shared_oneshot, "s" + std::to_string(i)), 0) << i;
  EXPECT_EQ(r.tirq.thread_mask(3, 0), 1u);
  EXPECT_EQ(r.tirq.thread_mask(3, 63), std::uint64_t{1} << 63);
  EXPECT_EQ(r.tirq.request_threaded_irq(3, 1, p, {}, shared_oneshot, "s64"), -kEbusy);
  // A line requested without IRQF_SHARED takes no sharer.
  ASSERT_EQ(r.tirq.request_irq(4, 1, p, 0, "solo"), 0);
  EXPECT_EQ(r.tirq.request_irq(4, 1, p, IRQF_SHARED, "other"), -kEbusy);
}

TEST(LinuxThreadedIrq, L_TI_6_IrqThreadIsFifo50AndPreemptsRealtimeUserThreads) {
  TiRig r;
  ASSERT_EQ(r.tirq.request_threaded_irq(3, 1, {}, r.thread_fn(1), IRQF_ONESHOT, "dev"), 0);
  const Lwp& t = *r.tirq.thread(3, 0);
  EXPECT_EQ(t.priority, band_range(Band::Interrupt).base + 50);
  EXPECT_GT(t.priority, band_range(Band::UserRealtime).base + band_range(Band::UserRealtime).size - 1);
  LwpSpec u = lwp("rt", Band::UserRealtime, 31, [&] {
    for (int i = 0; i < 100; ++i) r.kn.user(100);
  });
  u.user = true;
  r.kn.create_lwp(std::move(u));
  const CostProfile& c = r.config.costs;
  const Cycle t0 = idle_at(c, 1) + 2 * fs(c);  // the irq thread ran first and went to sleep
  r.rig.machine.pulse_source(3, t0 + 250);
  r.run();
  const Cycle t1 = t0 + 300;
  EXPECT_EQ(r.log.at["t1"], handler_at(c, t1) + kMmio + kick(c) + 2 * kMmio + preempt_fs(c));
  ThreadedIrqOptions bad;
  bad.thread_priority = 96;
  EXPECT_THROW(ThreadedIrqs(r.kn, bad), std::invalid_argument);
}

TEST(LinuxThreadedIrq, L_TI_7_SynchronizeIrqWaitsForTheActiveThread) {
  TiRig r;
  SleepQueue q, device;
  ASSERT_EQ(r.tirq.request_threaded_irq(3, 1, [](unsigned) { return IrqReturn::WakeThread; },
                                        r.thread_fn(0, [&] {
                                          if (Lwp* l = q.pop()) r.kn.sched().wakeup(*l);
                                          sleep_on(r.kn, device);  // waits for the device
                                        }), 0, "dev"), 0);
  r.kn.create_lwp(lwp("syncer", Band::UserTimeshare, 5, [&] {
    sleep_on(r.kn, q);
    r.log.point(r.kn, "sync");
    r.tirq.synchronize_irq(3);
    r.log.point(r.kn, "synced");
    r.tirq.synchronize_irq(3);  // nothing active: at once
    r.log.point(r.kn, "synced again");
  }));
  r.kn.create_lwp(lwp("device", Band::UserTimeshare, 0, [&] {
    for (int i = 0; i < 30; ++i) r.kn.work(100);
    r.log.point(r.kn, "release");
    if (Lwp* l = device.pop()) r.kn.sched().wakeup(*l);
  }));
  r.rig.machine.pulse_source(3, 1000);
  r.run();
  const CostProfile& c = r.config.costs;
  EXPECT_LT(r.log.at["sync"], r.log.at["release"]);
  EXPECT_EQ(r.tirq.threads_active(3), 0u);
  // The thread, woken, preempts the device LWP and finishes; threads_active drops to 0
  // and wakes the syncer, which runs once the thread sleeps.
  EXPECT_EQ(r.log.at["synced"], r.log.at["release"] + kick(c) + preempt_fs(c) + kick(c) + fs(c));
  EXPECT_EQ(r.log.at["synced again"], r.log.at["synced"]);
}

TEST(LinuxThreadedIrq, L_TI_7_SynchronizeIrqSpinsWhileAHardHandlerRunsElsewhere) {
  TiRig r(ti_config(2));
  ASSERT_EQ(r.tirq.request_irq(3, 1, [&](unsigned) {
    r.kn.work(500);
    return IrqReturn::Handled;
  }, 0, "dev"), 0);
  // Source 3 on CPU 0 only; the syncer on CPU 1 calls synchronize_irq mid-handler.
  const CostProfile& c = r.config.costs;
  const Cycle h = handler_at(c, 5000);
  LwpSpec s = lwp("syncer", Band::Kernel, 0, [&] {
    while (r.kn.machine().now() < h + 100) r.kn.work(10);
    r.log.point(r.kn, "sync");
    r.tirq.synchronize_irq(3);
    r.log.point(r.kn, "synced");
  });
  s.bound = true;
  s.cpu = 1;
  r.kn.create_lwp(std::move(s));
  r.rig.machine.pulse_source(3, 5000);
  r.run();
  EXPECT_LT(r.log.at["sync"], h + 500);
  EXPECT_GE(r.log.at["synced"], h + 500);
  EXPECT_LT(r.log.at["synced"], h + 500 + c.spin_iteration);
  EXPECT_EQ((r.log.at["synced"] - r.log.at["sync"]) % c.spin_iteration, 0u);
}

// For Personality::wrap_irq under threadirqs / PREEMPT_RT (L-RT-1): the handler becomes
// the thread function of a ONESHOT action with the default primary.
TEST(LinuxThreadedIrq, ForcedThreadingRunsTheHandlerInAThreadWithTheLineMasked) {
  TiRig r;
  int wrapped = 0;
  bool in_thread = false;
  IrqHandler flow = r.tirq.forced_threaded(3, 2, [&](unsigned) {
    in_thread = r.kn.cpu_state().hard_depth == 0;
    r.log.point(r.kn, "h");
    r.kn.work(50);
  }, "nic", [&](const std::function<void()>& fn) {
    ++wrapped;
    fn();
  });
  EXPECT_FALSE(r.tirq.attaching());
  r.kn.attach_irq(3, 2, std::move(flow));
  r.rig.machine.pulse_source(3, 5000);
  r.run();
  const CostProfile& c = r.config.costs;
  EXPECT_TRUE(in_thread);
  EXPECT_EQ(wrapped, 1);
  EXPECT_EQ(r.tirq.thread(3, 0)->name, "irq/3-nic");
  const Cycle t3 = handler_at(c, 5000) + kMmio + kick(c) + trap_tail(c) + fs(c);
  EXPECT_EQ(r.log.at["h"], t3);
  EXPECT_EQ(r.prio_writes(3), (std::vector<MmioAccess>{{handler_at(c, 5000), 0, plic_prio(3), 0, true},
                                                       {t3 + 50, 0, plic_prio(3), 2, true}}));
}

}  // namespace personality_linux_ti_test
}  // namespace irqlab::kernel::test
