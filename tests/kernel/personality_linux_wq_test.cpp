// Linux work queues, rule by rule (research/kernel-semantics.md §1.7, L-WQ-1..10), on the
// bare kernel core (the personality "none"). Exact cycles from the test cost profile.
// One CPU unless said: idle/0 is LWP 0, the first worker of the first pool LWP 1.
#include <gtest/gtest.h>

#include "personality/linux/workqueue.h"
#include "personality_support.h"
#include "sync/adaptive_mutex.h"

namespace irqlab::kernel::test {
namespace personality_linux_wq_test {

using K = TraceKind;
using namespace lnx;

KernelConfig wq_config(unsigned cpus = 1) {
  KernelConfig k = test_config(cpus);
  k.costs.personality["work_queue"] = 37;
  k.costs.personality["work_process"] = 43;
  k.costs.personality["worker_create"] = 101;
  k.sched.kernel_preemption = true;  // CONFIG_PREEMPT
  return k;
}

// Waking an idle worker; the manager creating one more; the trap after the handler.
Cycle kick(const CostProfile& c) { return c.wakeup + c.runq_insert; }
Cycle create(const CostProfile& c) { return lnx::linux_costs(c).worker_create + c.wakeup + c.runq_insert; }
Cycle trap_tail(const CostProfile& c) { return 2 * kMmio + c.trap_exit; }

struct WqRig {
  explicit WqRig(KernelConfig k = wq_config()) : config(std::move(k)), rig(config), kn(*rig.kernel), wqs(kn) {}
  // An item that logs "<name><run#>" and its CPU and worker, spends `cycles`, then `extra`.
  WorkItem& item(const std::string& name, Cycle cycles, std::function<void()> extra = {}) {
    return wqs.init_work(name, [this, name, cycles, extra] {
      const std::string tag = name + std::to_string(++runs[name]);
      log.point(kn, tag);
      where[tag] = kn.sched().current().name + "@" + std::to_string(kn.machine().cpu_id());
      kn.work(cycles);
      if (extra) extra();
      log.point(kn, tag + " end");
    });
  }
  void on_irq(unsigned source, std::function<void()> fn, std::vector<unsigned> cpus = {}) {
    kn.attach_irq(source, 1, [fn](unsigned) { fn(); }, std::move(cpus));
  }
  void run(Cycle end = 200'000) { rig.machine.run_until(end); }
  KernelConfig config;
  Rig rig;
  Kernel& kn;
  Workqueues wqs;
  CycleLog log;
  std::map<std::string, int> runs;
  std::map<std::string, std::string> where;
};

TEST(LinuxWorkqueue, L_WQ_1_QueueWhilePendingReturnsFalseAndRunsOnce) {
  WqRig r;
  Workqueue& wq = r.wqs.system_wq();
  WorkItem& a = r.item("a", 10);
  std::vector<bool> ret;
  r.on_irq(3, [&] {
    ret.push_back(r.wqs.queue_work(wq, a));
    ret.push_back(r.wqs.queue_work(wq, a));  // PENDING: nothing
  });
  r.rig.machine.pulse_source(3, 5000);
  r.run();
  const CostProfile& c = r.config.costs;
  EXPECT_EQ(ret, (std::vector<bool>{true, false}));
  EXPECT_EQ(r.log.order, (std::vector<std::string>{"a1", "a1 end"}));
  const Cycle handler_end = handler_at(c, 5000) + lnx::linux_costs(c).work_queue + kick(c) + c.lock_fast;
  // The woken worker is the pool's last idle one: it first creates a spare (L-WQ-7).
  EXPECT_EQ(r.log.at["a1"], handler_end + trap_tail(c) + fs(c) + create(c) + lnx::linux_costs(c).work_process);
  EXPECT_EQ(r.where["a1"], "kworker/0:0@0");
  const DeferredStats s = deferred_named(r.kn.stats(), "a");
  EXPECT_EQ(s.mechanism, "workqueue/events");
  EXPECT_EQ(s.raised, 2u);
  EXPECT_EQ(s.coalesced, 1u);
  EXPECT_EQ(s.runs, 1u);
  EXPECT_EQ(s.switches, (SwitchCounts{2, 0, 0}));  // FS into the worker, FS away
  EXPECT_FALSE(a.pending());
}

TEST(LinuxWorkqueue, L_WQ_2_PendingClearedBeforeTheFunctionRequeueRunsOnceMore) {
  WqRig r;
  Workqueue& wq = r.wqs.system_wq();
  std::vector<bool> pending_at_start, requeued;
  WorkItem* a = nullptr;
  a = &r.wqs.init_work("a", [&] {
    pending_at_start.push_back(a->pending());
    r.log.point(r.kn, "a" + std::to_string(pending_at_start.size()));
    r.kn.work(10);
    if (pending_at_start.size() == 1) {
      requeued.push_back(r.wqs.queue_work(wq, *a));
      requeued.push_back(r.wqs.queue_work(wq, *a));  // pending again: false
    }
  });
  r.on_irq(3, [&] { r.wqs.queue_work(wq, *a); });
  r.rig.machine.pulse_source(3, 5000);
  r.run();
  const CostProfile& c = r.config.costs;
  EXPECT_EQ(pending_at_start, (std::vector<bool>{false, false}));
  EXPECT_EQ(requeued, (std::vector<bool>{true, false}));
  // The same worker takes it again (nr_running 1 keeps it working).
  EXPECT_EQ(r.log.at["a2"], r.log.at["a1"] + 10 + lnx::linux_costs(c).work_queue + c.lock_fast + lnx::linux_costs(c).work_process);
  EXPECT_EQ(deferred_named(r.kn.stats(), "a").runs, 2u);
}

TEST(LinuxWorkqueue, L_WQ_3_RequeuedWhileRunningGoesToTheExecutingPoolNeverConcurrently) {
  WqRig r(wq_config(2));
  Workqueue& wq = r.wqs.system_wq();  // workers kworker/0:0 (LWP 2), kworker/1:0 (LWP 3)
  WorkItem& a = r.item("a", 0, [&] {
    for (int i = 0; i < 30; ++i) r.kn.work(100);
  });
  bool busy_on_1 = false;
  r.on_irq(3, [&] { r.wqs.queue_work(wq, a); }, {0});
  r.on_irq(4, [&] {
    busy_on_1 = r.wqs.busy(a);
    r.wqs.queue_work(wq, a);  // local CPU 1, but a still runs on CPU 0's pool
  }, {1});
  r.rig.machine.pulse_source(3, 5000);
  r.rig.machine.pulse_source(4, 6000);
  r.run();
  const CostProfile& c = r.config.costs;
  EXPECT_TRUE(busy_on_1);
  EXPECT_EQ(r.where["a1"], "kworker/0:0@0");
  EXPECT_EQ(r.where["a2"], "kworker/0:0@0");
  EXPECT_EQ(r.log.at["a2"], r.log.at["a1 end"] + lnx::linux_costs(c).work_process);
  const LwpId cpu1_worker = 3;
  for (const Ev& e : r.rig.trace.of(K::Wakeup)) EXPECT_NE(std::get<3>(e), cpu1_worker);
}

TEST(LinuxWorkqueue, L_WQ_4_LocalCpuPoolProcessContextMaySleep) {
  WqRig r(wq_config(2));
  Workqueue& normal = r.wqs.system_wq();
  Workqueue& high = r.wqs.system_highpri_wq();
  AdaptiveMutex m(r.kn, "m");
  WorkItem& a = r.item("a", 10, [&] {
    m.enter();  // held by the holder on CPU 1: the worker blocks
    m.exit();
  });
  WorkItem& b = r.item("b", 10);
  r.on_irq(4, [&] {
    r.wqs.queue_work(high, a);
    r.wqs.queue_work(normal, b);
  }, {1});
  LwpSpec h = lwp("holder", Band::Kernel, 0, [&] {
    m.enter();
    for (int i = 0; i < 50; ++i) r.kn.work(100);
    r.log.point(r.kn, "release");
    m.exit();
  });
  h.bound = true;
  h.cpu = 1;
  r.kn.create_lwp(std::move(h));
  r.rig.machine.pulse_source(4, 3000);
  r.run();
  EXPECT_EQ(r.where["a1"], "kworker/1:0H@1");
  EXPECT_EQ(r.where["b1"], "kworker/1:0@1");
  EXPECT_EQ(r.wqs.pool(1, true)->workers.front()->lwp->priority, band_range(Band::Kernel).base + 20);
  EXPECT_EQ(r.wqs.pool(1, false)->workers.front()->lwp->priority, band_range(Band::Kernel).base);
  const DeferredStats s = deferred_named(r.kn.stats(), "a");
  EXPECT_EQ(s.blocked, 1u);  // slept on the mutex in process context
  const CostProfile& c = r.config.costs;
  // Woken by the release, the highpri worker preempts the holder.
  EXPECT_EQ(r.log.at["a1 end"],
            r.log.at["release"] + c.lock_release_wake + c.wakeup + c.runq_insert + preempt_fs(c) + c.lock_fast);
}

TEST(LinuxWorkqueue, L_WQ_5_CpuBoundItemsRunOnOneWorker) {
  WqRig r;
  Workqueue& wq = r.wqs.system_wq();
  WorkItem& a = r.item("a", 10);
  WorkItem& b = r.item("b", 10);
  r.on_irq(3, [&] {
    r.wqs.queue_work(wq, a);
    r.wqs.queue_work(wq, b);  // nr_running 0 but the idle worker is already woken
  });
  r.rig.machine.pulse_source(3, 5000);
  r.run();
  const CostProfile& c = r.config.costs;
  const Cycle handler_end = handler_at(c, 5000) + 2 * lnx::linux_costs(c).work_queue + kick(c);
  EXPECT_EQ(r.log.at["a1"], handler_end + trap_tail(c) + fs(c) + create(c) + lnx::linux_costs(c).work_process);
  EXPECT_EQ(r.log.at["b1"], r.log.at["a1"] + 10 + lnx::linux_costs(c).work_process);
  EXPECT_EQ(r.where["a1"], "kworker/0:0@0");
  EXPECT_EQ(r.where["b1"], "kworker/0:0@0");
  EXPECT_EQ(r.wqs.pool(0, false)->nr_running, 0u);
}

// The first IRQ warms the pool up (a spare worker, both asleep: idle list kworker/0:0,
// kworker/0:1 with 0:1 the first idle); the second queues a and b on `wq`. a sleeps until
// a timeshare LWP wakes it at "release" (a wait queue: no priority is lent).
struct BlockRig : WqRig {
  explicit BlockRig(unsigned max_active) {
    wq = &wqs.alloc_workqueue("wq", 0, max_active);
    WorkItem& warm = item("warm", 10);
    a = &item("a", 0, [this] { sleep_on(kn, done); });
    b = &item("b", 10);
    on_irq(3, [this, &warm] { wqs.queue_work(*wq, warm); });
    on_irq(4, [this] {
      wqs.queue_work(*wq, *a);
      wqs.queue_work(*wq, *b);
    });
    kn.create_lwp(lwp("waker", Band::UserTimeshare, 0, [this] {
      for (int i = 0; i < 100; ++i) kn.work(100);
      log.point(kn, "release");
      if (Lwp* l = done.pop()) kn.sched().wakeup(*l);
    }));
    rig.machine.pulse_source(3, 3050);
    rig.machine.pulse_source(4, 6050);
    run();
  }
  SleepQueue done;
  Workqueue* wq = nullptr;
  WorkItem* a = nullptr;
  WorkItem* b = nullptr;
};

TEST(LinuxWorkqueue, L_WQ_5_BlockingWorkerWakesAnIdleOne) {
  BlockRig r(0);
  const CostProfile& c = r.config.costs;
  Cycle t1 = 0;  // T1 of the second interrupt (the holder's next step boundary)
  for (const Ev& e : r.rig.trace.of(K::TrapEnter))
    if (std::get<0>(e) >= 6050 && t1 == 0) t1 = std::get<0>(e);
  // The first idle worker (0:1) preempts the holder; 0:0 is still idle: no manager.
  EXPECT_EQ(r.log.at["a1"], handler_at(c, t1) + 2 * lnx::linux_costs(c).work_queue + kick(c) + 2 * kMmio +
                                preempt_fs(c) + lnx::linux_costs(c).work_process);
  EXPECT_EQ(r.where["a1"], "kworker/0:1@0");
  // a sleeps: wq_worker_sleeping wakes 0:0 (the last idle one: it creates a spare).
  EXPECT_EQ(r.log.at["b1"], r.log.at["a1"] + kick(c) + fs(c) + create(c) + lnx::linux_costs(c).work_process);
  EXPECT_EQ(r.where["b1"], "kworker/0:0@0");
  EXPECT_LT(r.log.at["b1"], r.log.at["release"]);
}

TEST(LinuxWorkqueue, L_WQ_6_MaxActiveKeepsTheRestInactiveUntilCompletion) {
  BlockRig r(1);
  const CostProfile& c = r.config.costs;
  // b waits on the inactive list while a sleeps, and runs on a's worker after it.
  EXPECT_GT(r.log.at["b1"], r.log.at["release"]);
  EXPECT_EQ(r.log.at["a1 end"], r.log.at["release"] + kick(c) + preempt_fs(c));
  EXPECT_EQ(r.log.at["b1"], r.log.at["a1 end"] + lnx::linux_costs(c).work_process);
  EXPECT_EQ(r.where["b1"], r.where["a1"]);
  EXPECT_EQ(r.wq->max_active(), 1u);
  EXPECT_EQ(r.wqs.alloc_workqueue("dfl", 0).max_active(), WQ_DFL_ACTIVE);
  EXPECT_EQ(WQ_DFL_ACTIVE, 256u);
  EXPECT_THROW(r.wqs.alloc_workqueue("big", 0, WQ_MAX_ACTIVE + 1), std::invalid_argument);
}

TEST(LinuxWorkqueue, L_WQ_6_OrderedQueueRunsStrictlyFifoOneAtATime) {
  WqRig r(wq_config(2));
  Workqueue& wq = r.wqs.alloc_ordered_workqueue("ord");
  EXPECT_TRUE(wq.ordered());
  EXPECT_EQ(wq.max_active(), 1u);
  EXPECT_TRUE(wq.flags() & WQ_UNBOUND);
  AdaptiveMutex m(r.kn, "m");
  WorkItem& x = r.item("x", 0, [&] {  // blocks: the others still wait
    m.enter();
    m.exit();
  });
  WorkItem& y = r.item("y", 50);
  WorkItem& z = r.item("z", 50);
  r.on_irq(3, [&] {
    r.wqs.queue_work(wq, z);
    r.wqs.queue_work(wq, x);
  }, {0});
  r.on_irq(4, [&] { r.wqs.queue_work(wq, y); }, {1});
  LwpSpec h = lwp("holder", Band::UserTimeshare, 0, [&] {
    m.enter();
    for (int i = 0; i < 50; ++i) r.kn.work(100);
    r.log.point(r.kn, "release");
    m.exit();
  });
  h.bound = true;
  h.cpu = 1;
  r.kn.create_lwp(std::move(h));
  r.rig.machine.pulse_source(3, 3000);
  r.rig.machine.pulse_source(4, 3500);
  r.run();
  std::vector<std::string> starts;
  for (const std::string& p : r.log.order)
    if (p.size() == 2) starts.push_back(p);
  EXPECT_EQ(starts, (std::vector<std::string>{"z1", "x1", "y1"}));
  const CostProfile& c = r.config.costs;
  EXPECT_EQ(r.log.at["x1"], r.log.at["z1 end"] + lnx::linux_costs(c).work_process);
  EXPECT_GT(r.log.at["y1"], r.log.at["release"]);
  EXPECT_EQ(r.log.at["y1"], r.log.at["x1 end"] + lnx::linux_costs(c).work_process);
}

TEST(LinuxWorkqueue, L_WQ_7_CpuIntensiveItemLeavesConcurrencyManagement) {
  for (bool intensive : {false, true}) {
    SCOPED_TRACE(intensive ? "WQ_CPU_INTENSIVE" : "plain");
    WqRig r;
    Workqueue& wq = r.wqs.alloc_workqueue("ci", intensive ? WQ_CPU_INTENSIVE : 0);
    WorkItem& warm = r.item("warm", 10);
    WorkItem& a = r.item("a", 500);
    WorkItem& b = r.item("b", 10);
    r.on_irq(3, [&] { r.wqs.queue_work(wq, warm); });
    r.on_irq(4, [&] {
      r.wqs.queue_work(wq, a);
      r.wqs.queue_work(wq, b);
    });
    r.rig.machine.pulse_source(3, 3000);
    r.rig.machine.pulse_source(4, 6000);
    r.run();
    const CostProfile& c = r.config.costs;
    // a runs on 0:1; with CPU_INTENSIVE it stops counting in nr_running, so the pool
    // wakes 0:0 for b right before a starts.
    std::vector<Ev> wake0;
    for (const Ev& e : r.rig.trace.of(K::Wakeup))
      if (std::get<3>(e) == 1 && std::get<0>(e) > 6000) wake0.push_back(e);
    EXPECT_EQ(r.where["a1"], "kworker/0:1@0");
    if (intensive) {
      EXPECT_EQ(wake0, (std::vector<Ev>{{r.log.at["a1"] - kick(c), 0, K::Wakeup, 1}}));
    } else {
      EXPECT_TRUE(wake0.empty());
      EXPECT_EQ(r.log.at["b1"], r.log.at["a1 end"] + lnx::linux_costs(c).work_process);
    }
  }
}

TEST(LinuxWorkqueue, L_WQ_7_UnboundWorkersAreNotCountedManagerAddsWorkersRescuer) {
  WqRig r(wq_config(2));
  Workqueue& wq = r.wqs.alloc_workqueue("ub", WQ_UNBOUND | WQ_MEM_RECLAIM);
  WorkItem& a = r.item("a", 2000);
  WorkItem& b = r.item("b", 10);
  r.on_irq(3, [&] {
    r.wqs.queue_work(wq, a);
    r.wqs.queue_work(wq, b);
  }, {0});
  r.rig.machine.pulse_source(3, 5000);
  r.run();
  // b runs on another CPU while a runs: two workers busy at once.
  EXPECT_EQ(r.where["a1"], "kworker/u:0@0");
  EXPECT_EQ(r.where["b1"], "kworker/u:1@1");
  EXPECT_LT(r.log.at["b1"], r.log.at["a1 end"]);
  // Each worker that left the idle list last became manager: u:0 made u:1, u:1 made u:2.
  const WorkerPool& p = *r.wqs.pool(-1, false);
  EXPECT_EQ(p.workers.size(), 3u);
  EXPECT_EQ(p.idle.size(), 3u);
  EXPECT_EQ(p.nr_running, 0u);
  // WQ_MEM_RECLAIM: a rescuer thread, asleep (worker creation never fails here).
  ASSERT_NE(r.wqs.rescuer(wq), nullptr);
  EXPECT_EQ(r.wqs.rescuer(wq)->name, "ub");
  EXPECT_EQ(r.wqs.rescuer(wq)->state, LwpState::Sleeping);
}

TEST(LinuxWorkqueue, L_WQ_8_DelayedWorkFiresOnTheDthTickAndHoldsPending) {
  KernelConfig k = wq_config();
  k.tick = {1000, 0, 1, 1};
  WqRig r(k);
  Workqueue& wq = r.wqs.system_wq();
  WorkItem& now = r.item("now", 10);
  WorkItem& d = r.item("d", 10);
  WorkItem& m = r.item("m", 10);
  std::vector<bool> ret;
  r.on_irq(3, [&] {
    ret.push_back(r.wqs.queue_delayed_work(wq, now, 0));  // at once
    ret.push_back(r.wqs.queue_delayed_work(wq, d, 3));
    ret.push_back(r.wqs.queue_delayed_work(wq, d, 1));  // PENDING for the whole delay
    ret.push_back(r.wqs.queue_delayed_work(wq, m, 5));
    ret.push_back(r.wqs.mod_delayed_work(wq, m, 2));  // re-armed: true (was pending)
  });
  r.rig.machine.pulse_source(3, 5500);
  r.run(20'000);
  const CostProfile& c = r.config.costs;
  EXPECT_EQ(ret, (std::vector<bool>{true, true, false, true, true}));
  std::vector<Cycle> ticks;  // T2 of the timer handler, after the request
  for (const Ev& e : r.rig.trace.of(K::HandlerStart))
    if (std::get<3>(e) == 1 && std::get<0>(e) > handler_at(c, 5500)) ticks.push_back(std::get<0>(e));
  ASSERT_GE(ticks.size(), 3u);
  // In the tick: timer ack (2 MMIO), tick body, then the timer queues the item and wakes
  // the first idle worker (0:1); no manager (0:0 is idle).
  const auto fired = [&](Cycle t2) {
    return t2 + 2 * kMmio + c.tick_handler + lnx::linux_costs(c).work_queue + kick(c) + trap_tail(c) + fs(c) + lnx::linux_costs(c).work_process;
  };
  EXPECT_EQ(r.log.at["m1"], fired(ticks[1]));
  EXPECT_EQ(r.log.at["d1"], fired(ticks[2]));
  EXPECT_EQ(r.runs["d"], 1);
  EXPECT_EQ(r.runs["m"], 1);
  EXPECT_EQ(r.log.at["now1"], handler_at(c, 5500) + lnx::linux_costs(c).work_queue + kick(c) + lnx::linux_costs(c).work_queue + c.lock_fast +
                                  lnx::linux_costs(c).work_queue + lnx::linux_costs(c).work_queue + trap_tail(c) + fs(c) + create(c) +
                                  lnx::linux_costs(c).work_process);
}

// A Kernel-band LWP at offset 10 (above the workers): queues, then flushes or cancels.
struct ThreadRig : WqRig {
  ThreadRig() { wq = &wqs.system_wq(); }
  void thread(std::function<void()> body) { kn.create_lwp(lwp("t", Band::Kernel, 10, std::move(body))); }
  Workqueue* wq = nullptr;
};

TEST(LinuxWorkqueue, L_WQ_9_FlushWorkWaitsForTheQueuedInstance) {
  ThreadRig r;
  WorkItem& a = r.item("a", 500);
  std::vector<bool> ret;
  r.thread([&] {
    r.wqs.queue_work(*r.wq, a);
    ret.push_back(r.wqs.flush_work(a));  // pending: waits
    r.log.point(r.kn, "flushed");
    ret.push_back(r.wqs.flush_work(a));  // idle: false at once
    r.log.point(r.kn, "flushed again");
  });
  r.run();
  const CostProfile& c = r.config.costs;
  EXPECT_EQ(ret, (std::vector<bool>{true, false}));
  // Woken when a finishes, the flusher preempts the worker.
  EXPECT_EQ(r.log.at["flushed"], r.log.at["a1 end"] + kick(c) + preempt_fs(c));
  EXPECT_EQ(r.log.at["flushed again"], r.log.at["flushed"]);
}

TEST(LinuxWorkqueue, L_WQ_9_FlushWorkqueueWaitsForEverythingQueuedBefore) {
  ThreadRig r;
  WorkItem& a = r.item("a", 100);
  WorkItem& b = r.item("b", 100);
  WorkItem& late = r.item("late", 100);
  r.thread([&] {
    r.wqs.queue_work(*r.wq, a);
    r.wqs.queue_work(*r.wq, b);
    r.wqs.flush_workqueue(*r.wq);
    r.log.point(r.kn, "flushed");
    r.wqs.queue_work(*r.wq, late);
  });
  r.run();
  const CostProfile& c = r.config.costs;
  EXPECT_EQ(r.log.order, (std::vector<std::string>{"a1", "a1 end", "b1", "b1 end", "flushed", "late1", "late1 end"}));
  // Woken after a (still waiting for b: back to sleep, the worker resumes), then after b.
  EXPECT_EQ(r.log.at["b1"], r.log.at["a1 end"] + kick(c) + preempt_fs(c) + fs(c) + lnx::linux_costs(c).work_process);
  EXPECT_EQ(r.log.at["flushed"], r.log.at["b1 end"] + kick(c) + preempt_fs(c));
}

TEST(LinuxWorkqueue, L_WQ_10_CancelSyncRemovesPendingAndWaitsForRunning) {
  ThreadRig r;
  SleepQueue started;
  std::vector<bool> queue_during_cancel;
  WorkItem& p = r.item("p", 10);
  WorkItem* b = nullptr;
  b = &r.item("b", 0, [&] {
    if (Lwp* t = started.pop()) r.kn.sched().wakeup(*t);  // the thread cancels now
    queue_during_cancel.push_back(r.wqs.queue_work(*r.wq, *b));  // PENDING held: false
    r.kn.work(300);
  });
  std::vector<bool> ret;
  r.thread([&] {
    r.wqs.queue_work(*r.wq, p);
    ret.push_back(r.wqs.cancel_work_sync(p));  // pending: removed, never runs
    r.log.point(r.kn, "p cancelled");
    r.wqs.queue_work(*r.wq, *b);
    sleep_on(r.kn, started);
    r.log.point(r.kn, "b running");
    ret.push_back(r.wqs.cancel_work_sync(*b));  // not pending (false), waits for the run
    r.log.point(r.kn, "b cancelled");
  });
  r.run();
  const CostProfile& c = r.config.costs;
  EXPECT_EQ(ret, (std::vector<bool>{true, false}));
  EXPECT_EQ(queue_during_cancel, (std::vector<bool>{false}));
  EXPECT_EQ(r.runs.count("p"), 0u);
  EXPECT_FALSE(p.pending());
  EXPECT_FALSE(b->pending());
  EXPECT_EQ(r.log.at["b running"], r.log.at["b1"] + kick(c) + preempt_fs(c));
  EXPECT_EQ(r.log.at["b cancelled"], r.log.at["b1 end"] + kick(c) + preempt_fs(c));
  EXPECT_EQ(r.runs["b"], 1);
}

TEST(LinuxWorkqueue, L_WQ_10_CancelDelayedWorkDoesNotWaitForTheRunningFunction) {
  ThreadRig r;
  SleepQueue started;
  WorkItem& t = r.item("t", 10);
  WorkItem& b = r.item("b", 0, [&] {
    if (Lwp* l = started.pop()) r.kn.sched().wakeup(*l);
    r.kn.work(300);
  });
  std::vector<bool> ret;
  bool busy_after = false;
  r.thread([&] {
    ret.push_back(r.wqs.queue_delayed_work(*r.wq, t, 50));
    ret.push_back(r.wqs.cancel_delayed_work(t));  // timer pending: removed
    r.wqs.queue_work(*r.wq, b);
    sleep_on(r.kn, started);
    r.log.point(r.kn, "b running");
    ret.push_back(r.wqs.cancel_delayed_work(b));  // running, not pending: false, no wait
    busy_after = r.wqs.busy(b);
    r.log.point(r.kn, "returned");
  });
  r.run();
  EXPECT_EQ(ret, (std::vector<bool>{true, true, false}));
  EXPECT_TRUE(busy_after);
  EXPECT_EQ(r.log.at["returned"], r.log.at["b running"]);
  EXPECT_EQ(r.runs.count("t"), 0u);
  EXPECT_EQ(r.runs["b"], 1);
}

// The neutral driver (personality_neutral_test.cpp's NicDriver): a hard handler spends
// kHard and schedules a net-level deferral that may block and takes the softc mutex. Here
// the record is bound to system_wq as the Linux personality's establish() does for
// may_block work (Workqueues::bind).
TEST(LinuxWorkqueue, NeutralMayBlockDeferralRunsOnSystemWq) {
  constexpr unsigned kNic = 3, kNicPrio = 5;
  constexpr Cycle kHard = 20, kRx = 40;
  WqRig r;
  Kernel& kn = r.kn;
  const CostProfile& c = r.config.costs;
  AdaptiveMutex softc(kn, "softc");
  int packets = 0;
  DeferredWork& rx = kn.deferred_record({"nic_rx", DeferLevel::Net, true, true, [&] {
                                           softc.enter();
                                           kn.work(kRx);
                                           ++packets;
                                           softc.exit();
                                         }});
  r.wqs.bind(rx, r.wqs.system_wq());
  kn.attach_irq(kNic, kNicPrio, [&](unsigned) {
    kn.work(kHard);
    rx.schedule();
  });
  LwpSpec u = lwp("user", Band::UserTimeshare, 0, [&] {
    for (int i = 0; i < 1000; ++i) kn.user(100);
  });
  u.user = true;
  kn.create_lwp(std::move(u));
  const Cycle t0 = idle_at(c, 1) + fs(c) + fs(c);  // worker in and out, then the user
  r.rig.machine.pulse_source(kNic, t0 + 250);   // warm-up: the manager adds a spare
  r.rig.machine.pulse_source(kNic, t0 + 5050);  // measured
  r.run(30'000);
  EXPECT_EQ(packets, 2);
  Cycle t1 = 0;  // T1 of the measured interrupt (the user's next step boundary)
  for (const Ev& e : r.rig.trace.of(K::TrapEnter))
    if (std::get<0>(e) >= t0 + 5050 && t1 == 0) t1 = std::get<0>(e);
  const Cycle raise = handler_at(c, t1) + kHard;
  const Cycle t3 = raise + lnx::linux_costs(c).work_queue + kick(c) + 2 * kMmio + preempt_fs(c) + lnx::linux_costs(c).work_process;
  const std::vector<Ev> starts = r.rig.trace.of(K::DeferStart);
  ASSERT_EQ(starts.size(), 2u);
  EXPECT_EQ(starts[1], (Ev{t3, 0, K::DeferStart, rx.id()}));
  // The measured leg: 1 IC, FS user -> worker at the return to user, FS worker -> user.
  SwitchCounts leg;
  for (const Ev& e : r.rig.trace.from(t1)) {
    if (std::get<2>(e) == K::TrapEnter) ++leg.interrupt;
    if (std::get<2>(e) == K::Switch) ++(std::get<3>(e) & 0xff ? leg.light : leg.full);
  }
  EXPECT_EQ(leg, (SwitchCounts{2, 0, 1}));
  const DeferredStats s = deferred_named(kn.stats(), "nic_rx");
  EXPECT_EQ(s.mechanism, "workqueue/events");
  EXPECT_EQ(s.runs, 2u);
  EXPECT_EQ(s.switches, (SwitchCounts{4, 0, 0}));  // FS in and away, per run
  EXPECT_EQ(r.rig.trace.of(K::DeferEnd)[1], (Ev{t3 + 2 * c.lock_fast + kRx, 0, K::DeferEnd, rx.id()}));
}

}  // namespace personality_linux_wq_test
}  // namespace irqlab::kernel::test
