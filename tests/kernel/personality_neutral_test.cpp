// The neutral deferred-work API (personality/deferred.h): one driver, unchanged, under
// each personality, with the switches each mechanism costs; plus the selection and
// validation of personalities.
#include <gtest/gtest.h>

#include <stdexcept>

#include "personality/registry.h"
#include "personality_support.h"
#include "sync/adaptive_mutex.h"
#include "sync/condvar.h"

namespace irqlab::kernel::test {
namespace personality_neutral_test {

using K = TraceKind;

using neutral::kHard;
using neutral::kNic;
using neutral::kNicPrio;
using neutral::kRx;
using neutral::NicDriver;


KernelConfig config_for(std::string_view personality) {
  return personality == netbsd::kName ? netbsd_config() : bsd43_config();
}

// A user process in user mode is interrupted; the deferral may block and takes a free
// mutex. NetBSD: a softint, LS in and out. 4.3BSD: its kernel thread, FS in at the AST
// of the return to user and FS out when it sleeps again.
TEST(NeutralDeferred, MayBlockWorkUnderEachPersonality) {
  for (std::string_view kind : {netbsd::kName, bsd43::kName}) {
    SCOPED_TRACE(kind);
    const KernelConfig k = config_for(kind);
    const CostProfile& c = k.costs;
    Rig rig(k);
    Kernel& kn = *rig.kernel;
    AdaptiveMutex softc(kn, "softc");
    NicDriver nic(kn, true, &softc);
    LwpSpec u = lwp("user", Band::UserTimeshare, 0, [&] {
      for (int i = 0; i < 10; ++i) kn.user(100);
    });
    u.user = true;
    kn.create_lwp(std::move(u));
    const bool bsd = kind == bsd43::kName;
    // bsd43: the thread ran once at boot and went to sleep (FS in, FS out).
    const Cycle t0 = idle_at(c, 1) + (bsd ? 2 : 1) * fs(c);
    rig.machine.pulse_source(kNic, t0 + 250);
    rig.machine.run_until(100'000);
    const Cycle t2 = handler_at(c, t0 + 300);
    const Cycle raise = t2 + kHard;
    const Cycle t3 = bsd ? raise + c.wakeup + c.runq_insert + 2 * kMmio + preempt_fs(c)
                         : raise + 2 * kMmio + c.switch_light;
    EXPECT_EQ(rig.trace.of(K::DeferStart), (std::vector<Ev>{{t3, 0, K::DeferStart, 0}}));
    EXPECT_EQ(rig.trace.of(K::DeferRaise), (std::vector<Ev>{{raise, 0, K::DeferRaise, 0}}));
    EXPECT_EQ(nic.packets, 1);
    const DeferredStats s = kn.stats().deferred[0];
    EXPECT_EQ(s.mechanism, bsd ? "kthread/net" : "softint/net");
    EXPECT_EQ(s.runs, 1u);
    EXPECT_EQ(s.max_latency, t3 - raise);
    EXPECT_EQ(s.switches, bsd ? (SwitchCounts{2, 0, 0}) : (SwitchCounts{0, 2, 0}));
    EXPECT_EQ(rig.trace.of(K::DeferEnd),
              (std::vector<Ev>{{t3 + 2 * c.lock_fast + kRx, 0, K::DeferEnd, 0}}));
  }
}

// Work that never blocks: 4.3BSD runs it in netintr at interrupt return (no switch);
// NetBSD still reaches its softint LWP by an LS pair.
TEST(NeutralDeferred, NonBlockingWorkUnderEachPersonality) {
  for (std::string_view kind : {netbsd::kName, bsd43::kName}) {
    SCOPED_TRACE(kind);
    const KernelConfig k = config_for(kind);
    const CostProfile& c = k.costs;
    Rig rig(k);
    Kernel& kn = *rig.kernel;
    NicDriver nic(kn, false, nullptr);
    rig.machine.pulse_source(kNic, 5000);
    rig.machine.run_until(100'000);
    const bool bsd = kind == bsd43::kName;
    const Cycle d = doreti_at(c, 5000, kHard);
    const Cycle t3 = bsd ? d : d + c.switch_light;
    EXPECT_EQ(rig.trace.of(K::DeferStart), (std::vector<Ev>{{t3, 0, K::DeferStart, 0}}));
    EXPECT_EQ(rig.trace.of(K::TrapExit),
              (std::vector<Ev>{{t3 + kRx + (bsd ? 0 : c.switch_light) + c.trap_exit, 0, K::TrapExit, 0}}));
    const DeferredStats s = kn.stats().deferred[0];
    EXPECT_EQ(s.mechanism, bsd ? "netisr" : "softint/net");
    EXPECT_EQ(s.switches, bsd ? (SwitchCounts{0, 0, 0}) : (SwitchCounts{0, 2, 0}));
    EXPECT_EQ(kn.stats().cpus[0].switches, bsd ? (SwitchCounts{0, 0, 1}) : (SwitchCounts{0, 2, 1}));
  }
}

// The mutex is held by a kernel LWP when the interrupt comes. NetBSD: the softint blocks
// (LS back), preempts the holder when woken (FS) and switches away when done (FS).
// 4.3BSD: the thread waits until the holder gives up the CPU (non-preemptive), then
// finds the mutex free.
TEST(NeutralDeferred, ContendedMutexUnderEachPersonality) {
  for (std::string_view kind : {netbsd::kName, bsd43::kName}) {
    SCOPED_TRACE(kind);
    const KernelConfig k = config_for(kind);
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
      for (int i = 0; i < 5; ++i) kn.work(100);
      log.point(kn, "holder done");
    }));
    const bool bsd = kind == bsd43::kName;
    const Cycle t0 = idle_at(c, 1) + (bsd ? 2 : 1) * fs(c);
    rig.machine.pulse_source(kNic, t0 + 250);
    rig.machine.run_until(100'000);
    EXPECT_EQ(nic.packets, 1);
    const DeferredStats s = kn.stats().deferred[0];
    const std::vector<Ev> start = rig.trace.of(K::DeferStart);
    ASSERT_EQ(start.size(), 1u);
    if (bsd) {
      EXPECT_EQ(s.switches, (SwitchCounts{2, 0, 0}));
      EXPECT_EQ(s.blocked, 0u);
      EXPECT_EQ(std::get<0>(start[0]), log.at["holder done"] + fs(c));  // at the holder's exit
    } else {
      EXPECT_EQ(s.switches, (SwitchCounts{2, 2, 0}));
      EXPECT_EQ(s.blocked, 1u);
      EXPECT_EQ(std::get<0>(start[0]), doreti_at(c, t0 + c.lock_fast + 300, kHard) + c.switch_light);
      EXPECT_LT(log.at["holder done"], 100'000u);
    }
  }
}

// Research §6, the IPsec receive path on one CPU, user process U in user mode at each
// hardware interrupt: NIC interrupt -> ipintr (deferred, net) submits the crypto job;
// crypto interrupt -> crypto_done -> the continuation re-queues the packet for ipintr,
// which delivers it. The continuation runs either directly from crypto_done (as a
// softint / at interrupt level) or in a "cryptoret" kernel thread signalled with
// cv_signal. Counted: switches from the NIC interrupt until U's last step.
struct IpsecRun {
  IpsecRun(std::string_view kind, bool cryptoret_thread) : config(config_for(kind)), rig(config) {
    Kernel& kn = *rig.kernel;
    ipintr = &kn.establish_deferred({"ipintr", DeferLevel::Net, false, true, [this, &kn] {
      kn.work(30);
      ++(crypto_done ? delivered : submitted);
    }});
    if (cryptoret_thread) {
      mutex = std::make_unique<AdaptiveMutex>(kn, "crypto_ret_q");
      cv = std::make_unique<CondVar>(kn, "cryptoret");
      kn.create_lwp(lwp("cryptoret", Band::Kernel, 20, [this] {
        for (;;) {
          mutex->enter();
          while (!job) cv->wait(*mutex);
          job = false;
          mutex->exit();
          ipintr->schedule();  // esp_input_cb: schednetisr(NETISR_IP)
        }
      }));
    }
    kn.attach_irq(3, 5, [this](unsigned) { ipintr->schedule(); });  // NIC
    kn.attach_irq(4, 5, [this, cryptoret_thread](unsigned) {        // crypto engine
      crypto_done = true;
      if (!cryptoret_thread) return ipintr->schedule();  // continuation in place
      job = true;
      cv->signal();
    });
    LwpSpec u = lwp("U", Band::UserTimeshare, 0, [this, &kn] {
      for (int i = 0; i < 40; ++i) {
        if (i == 1) before = kn.stats().cpus[0].switches;
        kn.user(100);
      }
      after = kn.stats().cpus[0].switches;
    });
    u.user = true;
    kn.create_lwp(std::move(u));
    rig.machine.pulse_source(3, 1000);
    rig.machine.pulse_source(4, 2500);
    rig.machine.run_until(100'000);
  }
  SwitchCounts legs() const {
    return {after.full - before.full, after.light - before.light, after.interrupt - before.interrupt};
  }
  KernelConfig config;
  Rig rig;
  DeferredWork* ipintr = nullptr;
  std::unique_ptr<AdaptiveMutex> mutex;
  std::unique_ptr<CondVar> cv;
  bool job = false, crypto_done = false;
  int submitted = 0, delivered = 0;
  SwitchCounts before, after;
};

TEST(NeutralDeferred, Research6IpsecPathSwitchCounts) {
  struct Case {
    std::string_view kind;
    bool cryptoret;
    SwitchCounts want;  // research §6 table
  };
  const Case cases[] = {
      {netbsd::kName, true, {2, 4, 2}},   // NetBSD 5 as shipped: 2 FS + 2 LS pairs
      {netbsd::kName, false, {0, 4, 2}},  // continuation as a softint: 0 FS + 2 LS pairs
      {bsd43::kName, false, {0, 0, 2}},   // 4.3BSD, pure spl: 0
      {bsd43::kName, true, {2, 0, 2}},    // NetBSD 3 FAST_IPSEC + OCF cryptoret: 2
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.kind) + (c.cryptoret ? " cryptoret" : " direct"));
    IpsecRun run(c.kind, c.cryptoret);
    EXPECT_EQ(run.submitted, 1);
    EXPECT_EQ(run.delivered, 1);
    EXPECT_EQ(run.legs(), c.want);
  }
}

TEST(NeutralDeferred, NoPersonalityHasNoMechanism) {
  Rig rig(test_config(1));
  EXPECT_EQ(rig.kernel->personality().name(), "none");
  EXPECT_THROW(rig.kernel->establish_deferred({"x", DeferLevel::Net, false, true, [] {}}),
               std::invalid_argument);
  EXPECT_TRUE(rig.kernel->stats().deferred.empty());
}

TEST(NeutralDeferred, MechanismsPerLevel) {
  Rig bsd(bsd43_config());
  Kernel& kb = *bsd.kernel;
  const auto est = [](Kernel& k, const char* name, DeferLevel l, bool block) -> std::string {
    return k.establish_deferred({name, l, block, true, [] {}}).stats().mechanism;
  };
  EXPECT_EQ(est(kb, "c", DeferLevel::Clock, false), "softclock");
  EXPECT_EQ(est(kb, "b", DeferLevel::Bio, false), "softclock");
  EXPECT_EQ(est(kb, "n", DeferLevel::Net, false), "netisr");
  EXPECT_EQ(est(kb, "s", DeferLevel::Serial, false), "netisr");
  EXPECT_EQ(est(kb, "sb", DeferLevel::Serial, true), "kthread/serial");
  Rig nb(netbsd_config());
  Kernel& kn = *nb.kernel;
  EXPECT_EQ(est(kn, "c", DeferLevel::Clock, true), "softint/clock");
  EXPECT_EQ(est(kn, "b", DeferLevel::Bio, false), "softint/bio");
  EXPECT_EQ(est(kn, "s", DeferLevel::Serial, false), "softint/serial");
}

TEST(NeutralDeferred, NonBlockingWorkThatBlocksPanicsUnderBsd43) {
  Rig rig(bsd43_config());
  Kernel& kn = *rig.kernel;
  AdaptiveMutex m(kn, "m");
  DeferredWork& w = kn.establish_deferred({"bad", DeferLevel::Net, false, true, [&] { m.enter(); }});
  kn.attach_irq(kNic, kNicPrio, [&](unsigned) { w.schedule(); });
  rig.machine.pulse_source(kNic, 5000);
  const std::string msg = panic_message(rig);
  EXPECT_TRUE(contains(msg, "adaptive mutex m taken in interrupt context")) << msg;
}

TEST(PersonalityConfig, NamesParse) {
  EXPECT_EQ(personality_named("netbsd").name, "netbsd");
  EXPECT_EQ(personality_named("bsd43").name, "bsd43");
  EXPECT_EQ(personality_named("none").name, "none");
  EXPECT_THROW(personality_named("solaris"), std::invalid_argument);
}

TEST(PersonalityConfig, ConfigureSetsTheTableAndPreemptionAndRejectsAnotherTable) {
  EXPECT_EQ(apply_personality(bsd43_config()).ipl.size(), 7u);
  KernelConfig n = netbsd_config();
  n.sched.kernel_preemption = false;
  EXPECT_TRUE(apply_personality(n).sched.kernel_preemption);
  KernelConfig b = bsd43_config();
  b.sched.kernel_preemption = true;
  EXPECT_FALSE(apply_personality(b).sched.kernel_preemption);
  b.ipl = netbsd_ipl_table(7);
  const std::vector<std::string> e = validate_config(b);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_TRUE(contains(e[0], "bsd43: kernel.ipl must be the 4.3BSD table")) << e[0];
  // No personality: the config is untouched.
  KernelConfig none = test_config(1);
  EXPECT_TRUE(apply_personality(none).ipl.empty());
}

}  // namespace personality_neutral_test
}  // namespace irqlab::kernel::test
