// The personalities' side of the neutral API that research §6 needs (docs/personalities.md,
// "Bottom halves, direct dispatch and crypto callbacks"): where a driver's bottom half
// runs, which dispatch() runs in the caller, and each kernel's crypto callback default.
// The nine rows themselves are in personality_rows_test.cpp.
#include <gtest/gtest.h>
#include <map>
#include <string>
#include <vector>

#include "personality/freebsd/freebsd.h"
#include "personality/linux/linux.h"
#include "personality_support.h"

namespace irqlab::kernel::test {
namespace personality_bottom_half_test {

constexpr unsigned kSource = 3, kPriority = 5;
constexpr Cycle kAt = 5000;

KernelConfig config_with(PersonalityConfig personality) {
  KernelConfig k = test_config(1);
  k.personality = std::move(personality);
  return k;
}

FreebsdOptions netisr(bool direct) {
  FreebsdOptions o;
  o.netisr_direct = direct;
  return o;
}

LinuxOptions threadirqs() {
  LinuxOptions o;
  o.threadirqs = true;
  return o;
}

// A source whose hard handler (a driver's own, or an attach_irq one) schedules its bottom
// half "bh"; the bottom half dispatch()es "ip". Records the order of the steps and the
// LWP and hard-interrupt depth each ran with.
struct BottomHalfRig {
  BottomHalfRig(KernelConfig k, BottomHalf kind, bool driver_handler)
      : config(std::move(k)), rig(config), kn(*rig.kernel) {
    ip = &kn.establish_deferred({"ip", DeferLevel::Net, false, true, [this] { step("ip"); }});
    auto hard = [this](unsigned) {
      step("hard");
      bh->schedule();
    };
    // A driver serves its source before it establishes its bottom half (attach, boot_cpu).
    if (driver_handler) kn.attach_hard_irq(kSource, kPriority, hard);
    bh = &kn.establish_deferred({"bh", DeferLevel::Net, false, true,
                                 [this] {
                                   step("bh");
                                   ip->dispatch();
                                   step("after dispatch");
                                 },
                                 kSource, kind});
    if (!driver_handler) kn.attach_irq(kSource, kPriority, hard);
    rig.machine.pulse_source(kSource, kAt);
    rig.machine.run_until(100'000);
  }
  void step(const std::string& name) {
    order.push_back(name);
    lwp[name] = kn.sched().current().name;
    in_hard[name] = kn.cpu_state().hard_depth > 0;
  }
  std::vector<std::uint32_t> priority_writes() const {
    std::vector<std::uint32_t> out;
    for (const MmioAccess& a : rig.machine.accesses())
      if (a.addr == plic_prio(kSource) && a.write && a.cycle >= kAt) out.push_back(a.value);
    return out;
  }
  KernelConfig config;
  Rig rig;
  Kernel& kn;
  DeferredWork* ip = nullptr;
  DeferredWork* bh = nullptr;
  std::vector<std::string> order;
  std::map<std::string, std::string> lwp;
  std::map<std::string, bool> in_hard;
};

const std::vector<std::string> kDirect{"hard", "bh", "ip", "after dispatch"};
const std::vector<std::string> kQueued{"hard", "bh", "after dispatch", "ip"};

// F-5: the attach_irq handler is the filter; scheduling its bottom half makes it return
// exactly FILTER_SCHEDULE_THREAD, so intr_event_handle masks the source (F-6) and the
// event's ithread runs the work; post_ithread unmasks it.
TEST(FreebsdBottomHalf, F_5_FilterSchedulingItsBottomHalfReturnsScheduleThread) {
  BottomHalfRig r(config_with(freebsd::selected()), BottomHalf::OrDeferred, false);
  freebsd::Freebsd& fb = freebsd::of(r.kn);
  const freebsd::EventId ev = fb.event_of_source(kSource);
  EXPECT_EQ(fb.event_stats(ev).scheduled, 1u);
  EXPECT_EQ(fb.event_stats(ev).passes, 1u);
  EXPECT_FALSE(fb.masked(ev));
  EXPECT_EQ(r.priority_writes(), (std::vector<std::uint32_t>{0, kPriority}));
  EXPECT_EQ(r.order, kDirect);
  EXPECT_EQ(r.lwp["bh"], fb.ithread(ev)->name);
  EXPECT_FALSE(r.in_hard["bh"]);
  EXPECT_EQ(r.bh->stats().mechanism, "ithread/irq3");
  EXPECT_EQ(r.bh->stats().switches, (SwitchCounts{2, 0, 0}));  // FS in, FS out
  // The ithread runs at the level's interrupt type (Net: PI_NET).
  EXPECT_EQ(fb.handler_priority(fb.handlers(ev).front()), freebsd::PI_NET);
}

// F-6 for a driver's own hard handler (not wrapped): the same mask, ithread and unmask.
TEST(FreebsdBottomHalf, F_6_DriverHandlersBottomHalfMasksTheSourceUntilTheIthreadPassEnds) {
  for (const BottomHalf kind : {BottomHalf::OrDeferred, BottomHalf::OrInline}) {
    BottomHalfRig r(config_with(freebsd::selected()), kind, true);
    freebsd::Freebsd& fb = freebsd::of(r.kn);
    const freebsd::EventId ev = fb.event_of_source(kSource);
    EXPECT_EQ(fb.ithread(ev)->name, "irq3: bh");
    EXPECT_EQ(r.lwp["bh"], "irq3: bh");
    EXPECT_EQ(r.priority_writes(), (std::vector<std::uint32_t>{0, kPriority}));
    EXPECT_FALSE(fb.masked(ev));
    EXPECT_EQ(r.bh->stats().runs, 1u);
  }
}

// FreeBSD 7 net.isr.direct: dispatch() runs Net work in the caller (the ithread);
// without it the work is queued to swi net.
TEST(FreebsdNetisr, DirectDispatchRunsInTheCallerQueuedToSwiNetWithout) {
  BottomHalfRig direct(config_with(freebsd::selected(netisr(true))), BottomHalf::OrDeferred, true);
  EXPECT_EQ(direct.order, kDirect);
  EXPECT_EQ(direct.lwp["ip"], "irq3: bh");
  BottomHalfRig queued(config_with(freebsd::selected(netisr(false))), BottomHalf::OrDeferred, true);
  EXPECT_EQ(queued.order, kQueued);
  EXPECT_EQ(queued.lwp["ip"], "swi1: net");
}

// Linux with threadirqs, a driver's own handler: the bottom half runs in the source's irq
// thread (BH disabled, L-RT-2). OrDeferred's NET_RX runs at that thread's
// local_bh_enable, in softirq context, where dispatch() is netif_receive_skb: direct.
// OrInline runs in the thread itself, not in softirq context: dispatch() queues to
// NET_RX, which also runs at the thread's local_bh_enable.
TEST(LinuxBottomHalf, L_RT_2_DriverBottomHalfRunsInItsIrqThreadNetRxAtItsBhEnable) {
  for (const BottomHalf kind : {BottomHalf::OrDeferred, BottomHalf::OrInline}) {
    BottomHalfRig r(config_with(lnx::selected(threadirqs())), kind, true);
    EXPECT_EQ(r.order, kind == BottomHalf::OrDeferred ? kDirect : kQueued);
    EXPECT_TRUE(r.in_hard["hard"]);
    EXPECT_EQ(r.lwp["bh"], "irq/3-bh");
    EXPECT_EQ(r.lwp["ip"], "irq/3-bh");
    EXPECT_EQ(r.bh->stats().mechanism, "irq_thread");
    EXPECT_EQ(r.bh->stats().switches, (SwitchCounts{2, 0, 0}));
  }
}

// Linux with threadirqs, an attach_irq handler (forced into "irq/3-irq" by wrap_irq): an
// OrInline bottom half scheduled from that thread runs at once there.
TEST(LinuxBottomHalf, OrInlineFromTheForcedIrqThreadRunsAtOnceThere) {
  BottomHalfRig r(config_with(lnx::selected(threadirqs())), BottomHalf::OrInline, false);
  EXPECT_EQ(r.lwp["hard"], "irq/3-irq");
  EXPECT_EQ(r.lwp["bh"], "irq/3-irq");
  EXPECT_FALSE(r.in_hard["bh"]);
}

// Without interrupt threads: OrInline runs at once in the hard handler; OrDeferred takes
// the level's mechanism. dispatch(): Linux runs Net work directly from softirq context
// (NET_RX); NetBSD and 4.3BSD always queue (schednetisr).
TEST(NeutralBottomHalf, WithoutInterruptThreadsOrInlineRunsInTheHardHandler) {
  struct Case {
    const char* name;
    KernelConfig config;
    std::vector<std::string> order;
  };
  const Case cases[] = {
      {"linux", config_with(lnx::selected()), kDirect},
      {"netbsd", netbsd_config(), kQueued},
      {"bsd43", bsd43_config(), kQueued},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    BottomHalfRig inline_rig(c.config, BottomHalf::OrInline, true);
    EXPECT_TRUE(inline_rig.in_hard["bh"]);
    EXPECT_EQ(inline_rig.bh->stats().runs, 1u);
    BottomHalfRig deferred(c.config, BottomHalf::OrDeferred, true);
    EXPECT_FALSE(deferred.in_hard["bh"]);
    EXPECT_EQ(deferred.order, c.order);
  }
}

// Linux: dispatch() from thread context (not softirq) is netif_rx: queued.
TEST(LinuxNetifReceiveSkb, DispatchOutsideSoftirqContextIsQueued) {
  KernelConfig k = config_with(lnx::selected());
  Rig rig(k);
  Kernel& kn = *rig.kernel;
  std::vector<std::string> order;
  DeferredWork& ip =
      kn.establish_deferred({"ip", DeferLevel::Net, false, true, [&] { order.push_back("ip"); }});
  kn.create_lwp(lwp("t", Band::Kernel, 0, [&] {
    ip.dispatch();
    order.push_back("after dispatch");
  }));
  rig.machine.run_until(100'000);
  EXPECT_EQ(order, (std::vector<std::string>{"after dispatch", "ip"}));
}

// Research §6 and §7: the callback mode each kernel shipped, and the options that change it.
TEST(CryptoCallbackDefault, EachKernelsShippedModeAndItsOption) {
  FreebsdOptions cbimm;
  cbimm.crypto_cbimm = true;
  NetbsdOptions continuation;
  continuation.softint_continuation = true;
  struct Case {
    const char* name;
    KernelConfig config;
    CryptoCallbackMode want;
  };
  const Case cases[] = {
      {"linux", config_with(lnx::selected()), CryptoCallbackMode::Deferred},
      {"freebsd", config_with(freebsd::selected()), CryptoCallbackMode::Thread},
      {"freebsd cbimm", config_with(freebsd::selected(cbimm)), CryptoCallbackMode::Immediate},
      {"netbsd", netbsd_config(), CryptoCallbackMode::Thread},
      {"netbsd softint", netbsd_config(1, continuation), CryptoCallbackMode::Deferred},
      {"bsd43", bsd43_config(), CryptoCallbackMode::Immediate},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Rig rig(c.config);
    EXPECT_EQ(rig.kernel->personality().crypto_callback_default(), c.want);
  }
}

}  // namespace personality_bottom_half_test
}  // namespace irqlab::kernel::test
