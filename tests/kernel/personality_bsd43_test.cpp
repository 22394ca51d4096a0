// The bsd43 personality (4.3BSD to NetBSD 3), rule by rule (research/kernel-semantics.md
// §4: B-1..B-9; B-10 from NetBSD's kern_mutex.c). Exact cycles from the test cost profile.
// The 4.3BSD table on the test platform (7 priorities): BIO masks <= 4, IMP <= 5, CLOCK <= 6, HIGH
// all; a network device has priority 5, a clock-level device 6.
#include <gtest/gtest.h>
#include <set>

#include "personality_support.h"
#include "sync/adaptive_mutex.h"
#include "sync/big_lock.h"

namespace irqlab::kernel::test {
namespace personality_bsd43_test {

using K = TraceKind;
using namespace bsd43;

constexpr unsigned kNic = 3, kNicPrio = 5;

struct BsdRig {
  explicit BsdRig(KernelConfig k) : config(std::move(k)), rig(config), kn(*rig.kernel), b(of(kn)) {}
  // A protocol routine that logs its name and spends `cycles`.
  void proto(unsigned bit, const std::string& name, Cycle cycles, std::function<void()> extra = {}) {
    b.netisr_establish(bit, name, [this, name, cycles, extra] {
      log.point(kn, name);
      kn.work(cycles);
      if (extra) extra();
    });
  }
  KernelConfig config;
  Rig rig;
  Kernel& kn;
  Bsd43& b;
  CycleLog log;
};

TEST(Bsd43Spl, B_1_VaxLevelsAndSplReturnsTheOldLevel) {
  BsdRig r(bsd43_config());
  Bsd43& b = r.b;
  std::vector<unsigned> vax;
  for (unsigned l = 0; l < r.kn.spl().table().size(); ++l) vax.push_back(Bsd43::vax_ipl(l));
  EXPECT_EQ(vax, (std::vector<unsigned>{0, 0x8, 0xC, 0x15, 0x16, 0x18, 0x1F}));
  EXPECT_FALSE(r.kn.config().sched.kernel_preemption);
  std::vector<unsigned> seen;
  r.kn.create_lwp(lwp("t", Band::Kernel, 0, [&] {
    const unsigned s0 = b.splimp();
    const unsigned s1 = b.splnet();  // 4.3BSD splX() sets the level: this lowers it
    const unsigned s2 = b.spltty();
    const unsigned s3 = b.splhigh();
    seen = {s0, s1, s2, s3, Bsd43::vax_ipl(r.kn.spl().level())};
    b.splx(s2);
    seen.push_back(Bsd43::vax_ipl(r.kn.spl().level()));
    b.splx(s0);
    seen.push_back(r.kn.spl().level());
    seen.push_back(b.splsoftclock());
    seen.push_back(b.splclock());
    seen.push_back(b.splbio());
    seen.push_back(b.spl0());
  }));
  r.rig.machine.run_until(100'000);
  EXPECT_EQ(seen, (std::vector<unsigned>{0, 4, 2, 3, 0x1F, 0xC, 0, 0, 1, 5, 3}));
  EXPECT_EQ(b.level("BIO"), 3u);  // spltty == splbio (0x15)
}

// A NIC (priority 5) whose handler queues for IP; a thread that holds `level` meanwhile.
TEST(Bsd43Spl, B_2_SplnetMasksProtocolsSplimpMasksTheDevice) {
  KernelConfig k = bsd43_config();
  BsdRig r(k);
  r.proto(NETISR_IP, "ip", 10);
  r.kn.attach_irq(kNic, kNicPrio, [&](unsigned) {
    r.log.point(r.kn, "nic");
    r.b.schednetisr(NETISR_IP);
  });
  Cycle lowered_net = 0, lowered_imp = 0;
  r.kn.create_lwp(lwp("t", Band::Kernel, 0, [&] {
    unsigned s = r.b.splnet();
    for (int i = 0; i < 10; ++i) r.kn.work(100);  // first NIC interrupt taken here
    lowered_net = r.kn.machine().now();
    r.b.splx(s);  // ip runs now
    s = r.b.splimp();
    for (int i = 0; i < 10; ++i) r.kn.work(100);  // second NIC interrupt held
    lowered_imp = r.kn.machine().now();
    r.b.splx(s);
    r.log.point(r.kn, "end");
  }));
  const CostProfile& c = k.costs;
  const Cycle t0 = idle_at(c, 1) + fs(c);
  r.rig.machine.pulse_source(kNic, t0 + 250);
  r.rig.machine.pulse_source(kNic, t0 + 1500);
  r.rig.machine.run_until(100'000);
  EXPECT_EQ(r.log.order, (std::vector<std::string>{"nic", "ip", "nic", "ip", "end"}));
  const std::vector<Ev> traps = r.rig.trace.of(K::TrapEnter);
  ASSERT_EQ(traps.size(), 2u);
  EXPECT_EQ(std::get<0>(traps[0]), t0 + 300);  // splnet does not mask the device
  EXPECT_EQ(r.log.at["ip"], lowered_net);       // ... but holds ip until splx
  EXPECT_EQ(std::get<0>(traps[1]), lowered_imp + kMmio);  // splimp held the device
}

TEST(Bsd43Netisr, B_3_SchednetisrSetsAGlobalBitAndIsIdempotent) {
  BsdRig r(bsd43_config(2));
  r.proto(NETISR_IP, "ip", 10);
  std::uint32_t word = 0;
  r.kn.attach_irq(kNic, kNicPrio, [&](unsigned) {
    r.b.schednetisr(NETISR_IP);
    r.b.schednetisr(NETISR_IP);  // already set: the packets wait in the ifqueue
    word = r.b.netisr();
  }, {1});
  r.rig.machine.pulse_source(kNic, 5000);
  r.rig.machine.run_until(100'000);
  EXPECT_EQ(word, 1u << NETISR_IP);
  EXPECT_EQ(r.b.netisr(), 0u);
  EXPECT_EQ(r.log.order, (std::vector<std::string>{"ip"}));
  const KernelStats stats = r.kn.stats();  // by value: the reference below points into it
  const DeferredStats& s = deferred_named(stats, "ip");
  EXPECT_EQ(s.mechanism, "netisr");
  EXPECT_EQ(s.raised, 2u);
  EXPECT_EQ(s.coalesced, 1u);
  EXPECT_EQ(s.runs, 1u);
}

TEST(Bsd43Netisr, B_4_NetintrRunsAtInterruptReturnBeforeTheInterruptedContext) {
  KernelConfig k = bsd43_config();
  BsdRig r(k);
  bool in_interrupt = false;
  const Lwp* cur = nullptr;
  r.proto(NETISR_IP, "ip", 50, [&] {
    in_interrupt = r.kn.cpu_state().in_interrupt();
    cur = &r.kn.sched().current();
  });
  r.kn.attach_irq(kNic, kNicPrio, [&](unsigned) { r.b.schednetisr(NETISR_IP); });
  LwpSpec u = lwp("user", Band::UserTimeshare, 0, [&] {
    for (int i = 0; i < 10; ++i) r.kn.user(100);
  });
  u.user = true;
  Lwp& user = r.kn.create_lwp(std::move(u));
  const CostProfile& c = k.costs;
  const Cycle t0 = idle_at(c, 1) + fs(c);
  r.rig.machine.pulse_source(kNic, t0 + 250);
  r.rig.machine.run_until(100'000);
  const Cycle d = doreti_at(c, t0 + 300);
  EXPECT_EQ(r.log.at["ip"], d);  // no switch: straight from the device handler's return
  EXPECT_TRUE(in_interrupt);
  EXPECT_EQ(cur, &user);
  EXPECT_EQ(r.rig.trace.of(K::SoftDispatch), (std::vector<Ev>{{d, 0, K::SoftDispatch, 2}}));
  EXPECT_EQ(r.rig.trace.of(K::TrapExit), (std::vector<Ev>{{d + 50 + c.trap_exit, 0, K::TrapExit, 0}}));
  const KernelStats s = r.kn.stats();
  EXPECT_EQ(s.cpus[0].switches, (SwitchCounts{2, 0, 1}));  // idle->user, exit->idle only
  EXPECT_EQ(deferred_named(s, "ip").switches, (SwitchCounts{0, 0, 0}));
  EXPECT_EQ(deferred_named(s, "ip").max_latency, 2 * kMmio);  // complete + final claim
}

TEST(Bsd43Netisr, B_5_NetintrRunsProtocolsInFixedOrder) {
  BsdRig r(bsd43_config());
  r.proto(NETISR_RAW, "raw", 10);
  r.proto(NETISR_IP, "ip", 10);
  r.proto(NETISR_IMP, "imp", 10);
  r.proto(NETISR_NS, "ns", 10);
  r.kn.attach_irq(kNic, kNicPrio, [&](unsigned) {
    for (unsigned bit : {NETISR_RAW, NETISR_NS, NETISR_IP, NETISR_IMP}) r.b.schednetisr(bit);
  });
  r.rig.machine.pulse_source(kNic, 5000);
  r.rig.machine.run_until(100'000);
  EXPECT_EQ(r.log.order, (std::vector<std::string>{"imp", "ip", "ns", "raw"}));
  const Cycle d = doreti_at(r.config.costs, 5000);
  EXPECT_EQ(r.log.at["raw"], d + 30);
  EXPECT_EQ(r.rig.trace.of(K::SoftDispatch).size(), 1u);  // one netintr for all four
}

TEST(Bsd43Netisr, B_5_ProtocolEmptiesItsQueueOnePacketAtATimeAtSplimp) {
  KernelConfig k = bsd43_config();
  BsdRig r(k);
  IfQueue<int> ipintrq(r.b);
  std::vector<int> got;
  r.b.netisr_establish(NETISR_IP, "ipintr", [&] {
    while (std::optional<int> p = ipintrq.get()) {  // splimp, dequeue, splx
      got.push_back(*p);
      r.kn.work(10);
    }
  });
  r.kn.attach_irq(kNic, kNicPrio, [&](unsigned) {
    for (int p : {1, 2, 3}) ipintrq.put(p);  // IF_ENQUEUE at splimp
    r.b.schednetisr(NETISR_IP);
  });
  r.rig.machine.pulse_source(kNic, 5000);
  r.rig.machine.run_until(100'000);
  const CostProfile& c = k.costs;
  EXPECT_EQ(got, (std::vector<int>{1, 2, 3}));
  // The handler runs at IMP already: one THRESHOLD write up (the first put) and one back
  // at its end. Each of the 4 gets raises and lowers (2 writes).
  const Cycle d = doreti_at(c, 5000, 2 * kMmio);
  EXPECT_EQ(r.rig.trace.of(K::TrapExit),
            (std::vector<Ev>{{d + 4 * 2 * kMmio + 30 + c.trap_exit, 0, K::TrapExit, 0}}));
}

TEST(Bsd43Netisr, B_6_NetintrWaitsForSplxBelowSplnetSoftclockIsBelowIt) {
  KernelConfig k = bsd43_config();
  BsdRig r(k);
  r.proto(NETISR_IP, "ip", 10);
  DeferredWork& callout = r.kn.establish_deferred({"callout", DeferLevel::Clock, false, true, [&] {
    r.log.point(r.kn, "softclock");
    r.kn.work(10);
  }});
  EXPECT_EQ(callout.stats().mechanism, "softclock");
  r.kn.attach_irq(kNic, kNicPrio, [&](unsigned) {
    callout.schedule();
    r.b.schednetisr(NETISR_IP);
  });
  r.kn.create_lwp(lwp("t", Band::Kernel, 0, [&] {
    unsigned s = r.b.splnet();
    for (int i = 0; i < 10; ++i) r.kn.work(100);  // the NIC interrupt comes in here
    r.log.point(r.kn, "splsoftclock");
    r.b.splsoftclock();  // below splnet: ip runs, softclock still held
    r.log.point(r.kn, "spl0");
    r.b.splx(0);
    r.log.point(r.kn, "end");
    (void)s;
  }));
  const Cycle t0 = idle_at(k.costs, 1) + fs(k.costs);
  r.rig.machine.pulse_source(kNic, t0 + 250);
  r.rig.machine.run_until(100'000);
  EXPECT_EQ(r.log.order,
            (std::vector<std::string>{"splsoftclock", "ip", "spl0", "softclock", "end"}));
  EXPECT_EQ(r.log.at["ip"], r.log.at["splsoftclock"]);
  EXPECT_EQ(r.log.at["end"], r.log.at["spl0"] + 10);
}

// A kernel LWP (priority 10) sleeps; the NIC's netintr wakes it while `victim` runs.
struct WakeRig : BsdRig {
  explicit WakeRig(bool victim_user) : BsdRig(bsd43_config()) {
    proto(NETISR_IP, "ip", 10, [this] { wake_one(kn, q); });
    kn.attach_irq(kNic, kNicPrio, [this](unsigned) { b.schednetisr(NETISR_IP); });
    kn.create_lwp(lwp("sleeper", Band::Kernel, 10, [this] {
      sleep_on(kn, q);
      log.point(kn, "woken");
    }));
    LwpSpec v = lwp("victim", Band::UserTimeshare, 0, [this, victim_user] {
      for (int i = 0; i < 5; ++i) kn.work(100);  // a system call
      log.point(kn, "to user");
      runrun_before_user = b.runrun(0);
      for (int i = 0; i < 5; ++i) victim_user ? kn.user(100) : kn.work(100);
      log.point(kn, "victim done");
    });
    v.user = true;
    kn.create_lwp(std::move(v));
    const CostProfile& c = config.costs;
    t0 = idle_at(c, 1) + 2 * fs(c);
    rig.machine.pulse_source(kNic, t0 + 250);
    rig.machine.run_until(100'000);
    d = doreti_at(c, t0 + 300);
  }
  SleepQueue q;
  bool runrun_before_user = false;
  Cycle t0 = 0, d = 0;
};

TEST(Bsd43Sched, B_7_WakeupSetsRunrunOnlySwitchAtReturnToUser) {
  WakeRig w(true);
  const CostProfile& c = w.config.costs;
  const Cycle t5 = w.d + 10 + c.wakeup + c.runq_insert + c.trap_exit;
  EXPECT_EQ(w.rig.trace.of(K::TrapExit), (std::vector<Ev>{{t5, 0, K::TrapExit, 0}}));  // no switch
  EXPECT_TRUE(w.runrun_before_user);
  EXPECT_EQ(w.log.at["to user"], t5 + 200);
  EXPECT_EQ(w.log.at["woken"], w.log.at["to user"] + preempt_fs(c));  // the AST at userret
}

TEST(Bsd43Sched, B_7_KernelCodeIsNeverPreempted) {
  WakeRig w(false);  // the victim stays in the kernel
  const CostProfile& c = w.config.costs;
  EXPECT_EQ(w.log.at["woken"], w.log.at["victim done"] + fs(c));  // at its exit (a sleep)
  EXPECT_EQ(w.log.order, (std::vector<std::string>{"ip", "to user", "victim done", "woken"}));
}

TEST(Bsd43Spl, B_8_DoretiServesSoftBitsHighestFirstAstOnlyAfterAndOnlyToUser) {
  KernelConfig k = bsd43_config();
  BsdRig r(k);
  SleepQueue q;
  r.proto(NETISR_IP, "ip", 10);
  DeferredWork& callout = r.kn.establish_deferred({"callout", DeferLevel::Clock, false, true, [&] {
    r.log.point(r.kn, "softclock");
    r.kn.work(10);
  }});
  r.kn.attach_irq(kNic, kNicPrio, [&](unsigned) {
    callout.schedule();  // the lower soft bit first ...
    r.b.schednetisr(NETISR_IP);
    wake_one(r.kn, q);
  });
  r.kn.create_lwp(lwp("sleeper", Band::Kernel, 10, [&] {
    sleep_on(r.kn, q);
    r.log.point(r.kn, "woken");
  }));
  LwpSpec u = lwp("user", Band::UserTimeshare, 0, [&] {
    for (int i = 0; i < 10; ++i) r.kn.user(100);
  });
  u.user = true;
  r.kn.create_lwp(std::move(u));
  const CostProfile& c = k.costs;
  const Cycle t0 = idle_at(c, 1) + 2 * fs(c);
  r.rig.machine.pulse_source(kNic, t0 + 250);
  r.rig.machine.run_until(100'000);
  const Cycle d = doreti_at(c, t0 + 300, c.wakeup + c.runq_insert);
  EXPECT_EQ(r.log.order, (std::vector<std::string>{"ip", "softclock", "woken"}));
  EXPECT_EQ(r.log.at["ip"], d);
  EXPECT_EQ(r.log.at["softclock"], d + 10);
  EXPECT_EQ(r.log.at["woken"], d + 20 + preempt_fs(c));  // the AST, returning to user
}

// B-9: cpu 1 holds kernel_lock; on cpu 0 a NIC interrupt (below splclock) spins for it.
TEST(Bsd43BigLock, B_9_DeviceHandlersAndNetintrSerializeWithLockedKernelCode) {
  KernelConfig k = bsd43_config(2);
  BsdRig r(k);
  EXPECT_TRUE(r.b.big_lock());
  r.proto(NETISR_IP, "ip", 10, [&] {
    const Lwp* o = r.kn.big_lock().owner();
    r.log.point(r.kn, std::string("ip holds:") + (o ? o->name : "-"));
  });
  r.kn.attach_irq(kNic, kNicPrio, [&](unsigned) {
    r.log.point(r.kn, "nic");
    r.b.schednetisr(NETISR_IP);
  }, {0});
  r.kn.attach_irq(4, 6, [&](unsigned) { r.log.point(r.kn, "clock-level"); }, {0});  // not locked
  LwpSpec holder = lwp("holder", Band::Kernel, 0, [&] {
    r.kn.big_lock().enter();
    for (int i = 0; i < 10; ++i) r.kn.work(100);
    r.log.point(r.kn, "release");
    r.kn.big_lock().exit();
  });
  holder.bound = true;
  holder.cpu = 1;
  r.kn.create_lwp(std::move(holder));
  r.rig.machine.pulse_source(kNic, 400);
  r.rig.machine.pulse_source(4, 600);
  r.rig.machine.run_until(100'000);
  const CostProfile& c = k.costs;
  const Cycle try_at = handler_at(c, 400);
  Cycle got = try_at;
  while (got <= r.log.at["release"]) got += c.spin_iteration;  // spins until cpu 1 lets go
  EXPECT_EQ(r.log.at["nic"], got + c.lock_fast);
  // The clock-level interrupt came in meanwhile: claimed in the same trap, without the
  // lock; then netintr takes the lock (the interrupted idle LWP owns it, B-9).
  const Cycle clock_level = r.log.at["nic"] + c.lock_fast + 2 * kMmio + c.irq_dispatch;
  EXPECT_EQ(r.log.at["clock-level"], clock_level);
  EXPECT_EQ(r.log.at["ip"], clock_level + 2 * kMmio + c.lock_fast);
  EXPECT_EQ(r.log.at["ip holds:idle/0"], r.log.at["ip"] + 10);
  EXPECT_EQ(r.kn.big_lock().stats().contended, 1u);
  EXPECT_EQ(r.kn.big_lock().owner(), nullptr);
}

// B-10: "taker" (cpu 0) holds the big lock and wants mutex M, which "owner" holds on cpu
// 1; a NIC interrupt taken on cpu 1, on owner's stack, spins for the big lock. Were taker
// to spin on M while owner is cpu 1's current LWP, each CPU would wait for the other for
// ever; cpu 1 spins on owner's behalf, so taker blocks instead, which lets the big lock go.
TEST(Bsd43BigLock, B_10_AMutexWaiterDoesNotSpinOnAnOwnerWhoseCpuSpinsForTheBigLock) {
  KernelConfig k = bsd43_config(2);
  BsdRig r(k);
  AdaptiveMutex m(r.kn, "m");
  r.kn.attach_irq(kNic, kNicPrio, [&](unsigned) { r.log.point(r.kn, "nic"); }, {1});
  LwpSpec owner = lwp("owner", Band::Kernel, 0, [&] {
    m.enter();
    for (int i = 0; i < 10; ++i) r.kn.work(100);
    r.log.point(r.kn, "owner releases m");
    m.exit();
  });
  owner.bound = true;
  owner.cpu = 1;
  LwpSpec taker = lwp("taker", Band::Kernel, 0, [&] {
    r.kn.big_lock().enter();
    r.kn.work(300);
    m.enter();
    const Lwp* o = r.kn.big_lock().owner();
    r.log.point(r.kn, std::string("taker has m, big lock held by ") + (o ? o->name : "-"));
    m.exit();
    r.kn.big_lock().exit();
  });
  taker.bound = true;
  taker.cpu = 0;
  Lwp& owner_lwp = r.kn.create_lwp(std::move(owner));
  Lwp& taker_lwp = r.kn.create_lwp(std::move(taker));
  r.rig.machine.pulse_source(kNic, 100);  // on cpu 1, before taker asks for m
  r.rig.machine.run_until(100'000);
  EXPECT_EQ(r.log.order, (std::vector<std::string>{"nic", "owner releases m",
                                                   "taker has m, big lock held by taker"}));
  // taker slept on m (releasing the big lock) rather than spinning: one block, and the
  // interrupt's handler ran while owner still held m.
  EXPECT_EQ(taker_lwp.blocks, 1u);
  EXPECT_EQ(owner_lwp.blocks, 0u);
  EXPECT_LT(r.log.at["nic"], r.log.at["owner releases m"]);
  EXPECT_EQ(m.stats().contended, 1u);
  EXPECT_EQ(r.kn.big_lock().stats().contended, 1u);  // the handler; taker retakes it free
  EXPECT_EQ(r.kn.big_lock().owner(), nullptr);
  EXPECT_EQ(r.kn.cpu_state(1).biglock_wanted, nullptr);
}

// B-9, the lock's bookkeeping against an interrupt on the same CPU, at every arrival
// cycle from before the LWP takes the big lock to after it lets go: the NIC's handler
// (taking the lock, B-9) on the LWP's stack recurses on it when the LWP holds it, however
// early in its acquisition, or finds it free; it never finds it half taken.
TEST(Bsd43BigLock, B_9_AHandlerOnTheHoldersStackRecursesOnTheLockAtAnyCycle) {
  // What the handler finds, by where the holder is: before its enter() the lock is free (the
  // handler takes it on the holder's stack, depth 1); from its enter() call to its exit()
  // call the holder owns it (depth 2 with the handler's); from its exit() call it is free.
  const auto run = [](std::optional<Cycle> pulse, std::vector<std::string>& found) {
    KernelConfig k = bsd43_config(2);
    BsdRig r(k);
    BigLock& lock = r.kn.big_lock();
    const char* phase = "before enter";
    r.kn.attach_irq(kNic, kNicPrio,
                    [&](unsigned) {
                      const Lwp* o = lock.owner();
                      found.push_back(std::string(phase) + ": " + (o ? o->name : "-") + " depth " +
                                      std::to_string(lock.depth()));
                    },
                    {0});
    LwpSpec holder = lwp("holder", Band::Kernel, 0, [&] {
      r.kn.work(300);
      r.log.point(r.kn, "enter");
      phase = "holding";
      lock.enter();
      r.kn.work(50);
      phase = "exiting";
      lock.exit();
      r.log.point(r.kn, "done");
      phase = "done";
    });
    holder.bound = true;
    holder.cpu = 0;
    r.kn.create_lwp(std::move(holder));
    if (pulse) r.rig.machine.pulse_source(kNic, *pulse);
    EXPECT_NO_THROW(r.rig.machine.run_until(100'000)) << "pulse at " << pulse.value_or(0);
    EXPECT_EQ(lock.owner(), nullptr);
    EXPECT_EQ(lock.depth(), 0u);
    return std::pair{r.log.at["enter"], r.log.at["done"]};
  };
  std::vector<std::string> found;
  const auto [enter, done] = run(std::nullopt, found);
  ASSERT_LT(enter, done);
  const std::set<std::string> allowed{"before enter: holder depth 1", "holding: holder depth 2",
                                      "exiting: holder depth 1", "done: idle/0 depth 1"};
  std::set<std::string> seen;
  for (Cycle at = enter - 150; at <= done + 50; ++at) {
    found.clear();
    run(at, found);
    ASSERT_EQ(found.size(), 1u) << "pulse at " << at;
    EXPECT_TRUE(allowed.contains(found[0])) << "pulse at " << at << ": " << found[0];
    seen.insert(found[0]);
  }
  EXPECT_EQ(seen, allowed);  // the pulses cover every phase
}

TEST(Bsd43BigLock, B_9_NoBigLockOnAUniprocessorOrWhenDisabled) {
  Bsd43Options off;
  off.big_lock = false;
  for (const KernelConfig& k : {bsd43_config(1), bsd43_config(2, off)}) {
    BsdRig r(k);
    EXPECT_FALSE(r.b.big_lock());
    r.proto(NETISR_IP, "ip", 10);
    r.kn.attach_irq(kNic, kNicPrio, [&](unsigned) { r.b.schednetisr(NETISR_IP); }, {0});
    r.rig.machine.pulse_source(kNic, 5000);
    r.rig.machine.run_until(100'000);
    EXPECT_EQ(r.log.at["ip"], doreti_at(k.costs, 5000));
    EXPECT_EQ(r.kn.big_lock().stats().acquisitions, 0u);
  }
}

}  // namespace personality_bsd43_test
}  // namespace irqlab::kernel::test
