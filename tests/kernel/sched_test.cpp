// LWPs and the scheduler: priority order, every preemption point, time slices,
// affinity, cross-CPU wake-up by IPI, switch counters.
#include <gtest/gtest.h>

#include "lwp_support.h"

namespace irqlab::kernel::test {
namespace sched_test {

using K = TraceKind;

TEST(Scheduler, RunsHighestPriorityFirst) {
  KernelConfig k = test_config(1);
  Rig rig(k);
  Kernel& kn = *rig.kernel;
  const CostProfile& c = k.costs;
  CycleLog log;
  const auto body = [&](std::string name) {
    return [&kn, &log, name] {
      log.point(kn, name);
      kn.work(100);
    };
  };
  kn.create_lwp(lwp("ts", Band::UserTimeshare, 0, body("ts")));
  kn.create_lwp(lwp("kernel", Band::Kernel, 5, body("kernel")));
  kn.create_lwp(lwp("rt", Band::UserRealtime, 0, body("rt")));
  kn.create_lwp(lwp("kernel-low", Band::Kernel, 1, body("kernel-low")));
  rig.machine.run_until(100'000);

  EXPECT_EQ(log.order, (std::vector<std::string>{"rt", "kernel", "kernel-low", "ts"}));
  const Cycle start = idle_at(c, 0) + fs(c);
  EXPECT_EQ(log.at["rt"], start);
  EXPECT_EQ(log.at["kernel"], start + 100 + fs(c));
  EXPECT_EQ(log.at["ts"], start + 3 * (100 + fs(c)));
  const KernelStats s = rig.kernel->stats();
  EXPECT_EQ(s.cpus[0].switches, (SwitchCounts{5, 0, 0}));  // 4 LWPs in, then idle
  EXPECT_EQ(s.lwps[0].switches.full, 1u);                  // idle/0, once at the end
  EXPECT_EQ(s.lwps[1].name, "ts");
  EXPECT_EQ(s.lwps[1].switches.full, 1u);
}

// A kernel LWP sleeps; an interrupt handler wakes it while `victim` runs.
struct WakeRig {
  WakeRig(bool kernel_preemption, bool victim_user, std::function<void(Kernel&)> victim_body = {})
      : config(make(kernel_preemption)), rig(config) {
    Kernel& kn = *rig.kernel;
    kn.attach_irq(3, 1, [this, &kn](unsigned) { wake_one(kn, sleepers); });
    kn.create_lwp(lwp("sleeper", Band::Kernel, 10, [this, &kn] {
      sleep_on(kn, sleepers);
      log.point(kn, "woken");
    }));
    LwpSpec v = lwp("victim", victim_user ? Band::UserTimeshare : Band::Kernel, 0,
                    [this, &kn, victim_user, victim_body] {
                      log.point(kn, "victim");
                      if (victim_body) return victim_body(kn);
                      for (int i = 0; i < 20; ++i) victim_user ? kn.user(100) : kn.work(100);
                      log.point(kn, "victim done");
                    });
    v.user = victim_user;
    kn.create_lwp(std::move(v));
  }
  static KernelConfig make(bool kernel_preemption) {
    KernelConfig k = test_config(1);
    k.sched.kernel_preemption = kernel_preemption;
    return k;
  }
  // The trap taken at `t1` up to its preemption point (claim loop done).
  Cycle trap_body(Cycle t1) const {
    const CostProfile& c = config.costs;
    return t1 + c.trap_entry + kMmio + c.irq_dispatch + c.wakeup + c.runq_insert + 2 * kMmio;
  }
  KernelConfig config;
  Rig rig;
  SleepQueue sleepers;
  CycleLog log;
};

TEST(Scheduler, PreemptsOnInterruptReturnToUser) {
  WakeRig w(false, true);
  const CostProfile& c = w.config.costs;
  const Cycle victim = idle_at(c, 1) + fs(c) + fs(c);  // sleeper ran first and slept
  w.rig.machine.pulse_source(3, victim + 250);
  w.rig.machine.run_until(100'000);
  EXPECT_EQ(w.log.at["victim"], victim);
  const Cycle t1 = victim + 300;  // the user step's boundary
  EXPECT_EQ(w.rig.trace.of(K::TrapEnter), (std::vector<Ev>{{t1, 0, K::TrapEnter, 0}}));
  EXPECT_EQ(w.log.at["woken"], w.trap_body(t1) + preempt_fs(c));
  // The victim resumes in its trap, which then returns to user mode.
  EXPECT_EQ(w.rig.trace.of(K::TrapExit),
            (std::vector<Ev>{{w.log.at["woken"] + fs(c) + c.trap_exit, 0, K::TrapExit, 0}}));
  const KernelStats s = w.rig.kernel->stats();
  EXPECT_EQ(s.lwps[2].switches, (SwitchCounts{2, 0, 1}));  // victim: in twice, one IC
  EXPECT_EQ(s.cpus[0].switches, (SwitchCounts{5, 0, 1}));  // ... and both exit
}

TEST(Scheduler, KernelPreemptionOffWaitsForVoluntarySwitch) {
  WakeRig w(false, false);
  const CostProfile& c = w.config.costs;
  const Cycle victim = idle_at(c, 1) + 2 * fs(c);
  w.rig.machine.pulse_source(3, victim + 250);
  w.rig.machine.run_until(100'000);
  const Cycle t1 = victim + 300;
  const Cycle t5 = w.trap_body(t1) + c.trap_exit;
  EXPECT_EQ(w.rig.trace.of(K::TrapExit), (std::vector<Ev>{{t5, 0, K::TrapExit, 0}}));
  EXPECT_EQ(w.log.at["victim done"], t5 + 17 * 100);
  EXPECT_EQ(w.log.at["woken"], w.log.at["victim done"] + fs(c));  // at the victim's exit
}

TEST(Scheduler, KernelPreemptionOnPreemptsAtInterruptReturn) {
  WakeRig w(true, false);
  const CostProfile& c = w.config.costs;
  const Cycle victim = idle_at(c, 1) + 2 * fs(c);
  w.rig.machine.pulse_source(3, victim + 250);
  w.rig.machine.run_until(100'000);
  EXPECT_EQ(w.log.at["woken"], w.trap_body(victim + 300) + preempt_fs(c));
}

TEST(Scheduler, PreemptDisabledSectionDelaysPreemptionToReenable) {
  Cycle reenable = 0;
  WakeRig w(true, false, [&reenable](Kernel& kn) {
    kn.sched().preempt_disable();
    for (int i = 0; i < 5; ++i) kn.work(100);
    reenable = kn.machine().now();
    kn.sched().preempt_enable();
  });
  const CostProfile& c = w.config.costs;
  const Cycle victim = idle_at(c, 1) + 2 * fs(c);
  w.rig.machine.pulse_source(3, victim + 250);
  w.rig.machine.run_until(100'000);
  const Cycle t5 = w.trap_body(victim + 300) + c.trap_exit;
  EXPECT_EQ(reenable, t5 + 200);
  EXPECT_EQ(w.log.at["woken"], reenable + preempt_fs(c));
}

TEST(Scheduler, WakeupOnSameCpuPreemptsAtOnceWithKernelPreemption) {
  KernelConfig k = test_config(1);
  k.sched.kernel_preemption = true;
  Rig rig(k);
  Kernel& kn = *rig.kernel;
  const CostProfile& c = k.costs;
  SleepQueue q;
  CycleLog log;
  kn.create_lwp(lwp("high", Band::Kernel, 10, [&] {
    sleep_on(kn, q);
    log.point(kn, "high");
  }));
  kn.create_lwp(lwp("low", Band::Kernel, 0, [&] {
    kn.work(100);
    log.point(kn, "wake");
    wake_one(kn, q);
    log.point(kn, "low again");
  }));
  rig.machine.run_until(100'000);
  EXPECT_EQ(log.at["high"], log.at["wake"] + c.wakeup + c.runq_insert + preempt_fs(c));
  EXPECT_EQ(log.at["low again"], log.at["high"] + fs(c));
}

// An LWP that has joined a wait queue but not yet switched out (a condition variable
// releasing its interlock) meets a preemption point with a better LWP runnable: it is not
// preempted, it switches out in block(), and the wake-up queues it once. Preempting it
// there put it on the run queue while the wait queue still held it; its wake-up queued it
// again, and it was later picked on a second CPU while running on the first (the soak's
// stall under netbsd, docs/reliability.md).
TEST(Scheduler, AnLwpOnItsWayToSleepIsNotPreempted) {
  KernelConfig k = test_config(1);
  k.sched.kernel_preemption = true;
  Rig rig(k);
  Kernel& kn = *rig.kernel;
  const CostProfile& c = k.costs;
  SleepQueue sleepers;
  SleepQueue rival_waits;
  CycleLog log;
  unsigned woken = 0;
  kn.create_lwp(lwp("rival", Band::Kernel, 20, [&] {
    sleep_on(kn, rival_waits);
    log.point(kn, "rival");
    wake_one(kn, sleepers);
  }));
  kn.create_lwp(lwp("sleeper", Band::Kernel, 10, [&] {
    kn.sched().preempt_disable();
    sleepers.enqueue(kn.sched().current());  // on the wait queue, still on the CPU
    wake_one(kn, rival_waits);               // a better LWP becomes runnable
    log.point(kn, "enable");
    kn.sched().preempt_enable();  // a preemption point before the switch
    log.point(kn, "block");
    kn.sched().block();
    ++woken;
    log.point(kn, "woken");
  }));
  rig.machine.run_until(100'000);
  EXPECT_EQ(woken, 1u);
  EXPECT_EQ(log.at["block"], log.at["enable"]);         // preempt_enable() switched nothing
  EXPECT_EQ(log.at["rival"], log.at["block"] + fs(c));  // the switch is the sleeper's own
  EXPECT_EQ(log.at["woken"], log.at["rival"] + c.wakeup + c.runq_insert + fs(c));
  const KernelStats s = rig.kernel->stats();
  EXPECT_EQ(s.lwps[2].name, "sleeper");
  EXPECT_EQ(s.lwps[2].switches, (SwitchCounts{2, 0, 0}));  // in at start, in once woken
}

TEST(Scheduler, TimeSliceRoundRobinsEqualPriorities) {
  KernelConfig k = test_config(1);
  k.tick = {1000, 0, 1, 1};
  k.sched.slice_ticks = 2;
  Rig rig(k);
  Kernel& kn = *rig.kernel;
  const CostProfile& c = k.costs;
  for (const char* name : {"a", "b"}) {
    LwpSpec s = lwp(name, Band::UserTimeshare, 3, [&kn] {
      for (int i = 0; i < 200; ++i) kn.user(50);
    });
    s.user = true;
    kn.create_lwp(std::move(s));
  }
  rig.machine.run_until(9'000);
  // Each tick trap: claim, dispatch, timer ack (compare low word, INTR_STATE), tick body,
  // complete, final claim; every second tick ends the slice and switches at trap return.
  const Cycle tick_trap = c.trap_entry + kMmio + c.irq_dispatch + 2 * kMmio + c.tick_handler + 2 * kMmio;
  const std::vector<Ev> traps = rig.trace.of(K::TrapEnter);
  std::vector<Ev> want;
  for (std::size_t i = 1; i < traps.size(); i += 2) {
    const LwpId next = i / 2 % 2 == 0 ? 2 : 1;  // b, then a, ...
    want.emplace_back(std::get<0>(traps[i]) + tick_trap, 0, K::Switch,
                      switch_arg(SwitchKind::Full, next));
  }
  std::vector<Ev> switches = rig.trace.of(K::Switch);
  switches.erase(switches.begin());  // the idle loop's switch to a
  EXPECT_GE(want.size(), 3u);
  EXPECT_EQ(std::vector<Ev>(switches.begin(), switches.begin() + want.size()), want);
}

TEST(Scheduler, BoundLwpNeverRunsOnAnotherCpu) {
  KernelConfig k = test_config(2);
  Rig rig(k);
  Kernel& kn = *rig.kernel;
  const CostProfile& c = k.costs;
  CycleLog log;
  for (const char* name : {"first", "second"}) {
    LwpSpec s = lwp(name, Band::Kernel, 0, [&kn, &log, name] {
      log.point(kn, std::string(name) + "@" + std::to_string(kn.machine().cpu_id()));
      kn.work(1000);
    });
    s.bound = true;
    s.cpu = 1;
    kn.create_lwp(std::move(s));
  }
  LwpSpec free = lwp("anywhere-but-1", Band::Kernel, 0, [&] {
    log.point(kn, "free@" + std::to_string(kn.machine().cpu_id()));
  });
  free.affinity = 0b01;
  kn.create_lwp(std::move(free));
  rig.machine.run_until(100'000);
  // Hart 1 boots without writing priorities; hart 0 is idle but "second" waits for cpu 1.
  EXPECT_EQ(log.at["first@1"], idle_at(c, 0) + fs(c));
  EXPECT_EQ(log.at["second@1"], log.at["first@1"] + 1000 + fs(c));
  EXPECT_EQ(log.at["free@0"], idle_at(c, 2) + fs(c));
  EXPECT_EQ(log.order.size(), 3u);
}

TEST(Scheduler, HigherPriorityWakeOnOtherCpuSendsIpi) {
  KernelConfig k = test_config(2);
  Rig rig(k);
  Kernel& kn = *rig.kernel;
  const CostProfile& c = k.costs;
  SleepQueue q;
  CycleLog log;
  LwpSpec sleeper = lwp("sleeper", Band::Kernel, 5, [&] {
    sleep_on(kn, q);
    log.point(kn, "woken@" + std::to_string(kn.machine().cpu_id()));
  });
  sleeper.bound = true;
  sleeper.cpu = 1;
  kn.create_lwp(std::move(sleeper));
  LwpSpec waker = lwp("waker", Band::Kernel, 0, [&] {
    kn.work(1000);
    log.point(kn, "wake");
    wake_one(kn, q);
  });
  waker.bound = true;
  kn.create_lwp(std::move(waker));
  rig.machine.run_until(100'000);

  const Cycle set = log.at["wake"] + c.wakeup + c.runq_insert + c.ipi_send;
  EXPECT_EQ(rig.trace.of(K::IpiSend), (std::vector<Ev>{{set, 0, K::IpiSend, 1}}));
  const MmioAccess ipi{set, 0, ipi_set(1), 1, true};
  EXPECT_NE(std::find(rig.machine.accesses().begin(), rig.machine.accesses().end(), ipi),
            rig.machine.accesses().end());
  // Hart 1 sleeps in its idle loop: trap at the SET write, clear, then the idle loop switches.
  EXPECT_EQ(rig.trace.of(K::TrapEnter), (std::vector<Ev>{{set, 1, K::TrapEnter, 0}}));
  const Cycle t5 = set + c.trap_entry + kMmio + c.irq_dispatch + kMmio /*clear*/ + 2 * kMmio + c.trap_exit;
  EXPECT_EQ(log.at["woken@1"], t5 + fs(c));
  EXPECT_FALSE(rig.machine.device<FakeIpi>("ipi").line(1));
  // idle -> sleeper, sleeper -> idle (sleeps), idle -> sleeper, exit -> idle.
  EXPECT_EQ(rig.kernel->stats().cpus[1].switches, (SwitchCounts{4, 0, 1}));
}

}  // namespace sched_test
}  // namespace irqlab::kernel::test
