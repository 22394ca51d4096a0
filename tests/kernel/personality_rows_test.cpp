// Research §6, the nine rows: the IPsec receive path of the 2007 tech-kern thread on the
// fake machine, one CPU, under each kernel configuration of the table, driven only
// through the neutral APIs (Kernel::attach_hard_irq as drivers serve their sources,
// Kernel::establish_deferred with bottom halves, DeferredWork::dispatch/schedule,
// Personality::crypto_callback_default).
//
// The path (research §6 "The path"):
//   NIC interrupt -> the NIC's bottom half (OrDeferred) "nic_rx": ether_input, which
//   hands the packet to IP with ipintr.dispatch() (netisr_dispatch: direct or queued);
//   ipintr: ip_input -> esp_input -> the crypto job is "submitted": a scripted pulse on
//   the crypto source kEngineCycles later (the engine finishes asynchronously);
//   crypto interrupt -> the crypto driver's bottom half (OrInline) "crypto_done" runs the
//   callback in the resolved mode: Immediate in place, Deferred as Net deferred work
//   "crypto_cb", Thread through a "cryptoret" kernel thread woken with cv_signal;
//   the callback (esp_input_cb) re-queues the packet: ipintr.schedule(); ipintr delivers.
// Counted (research §6 assumptions): the CPU's FS, LS (each direction) and IC from the
// last user step of U before the NIC interrupt until U resumes after the delivery. U is
// in user mode whenever an interrupt arrives; the final wake-up of a receiving thread is
// left out (nothing is woken at delivery). Expected values are the table's.
#include <gtest/gtest.h>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "personality/freebsd/freebsd.h"
#include "personality/linux/linux.h"
#include "personality_support.h"
#include "sync/condvar.h"

namespace irqlab::kernel::test {
namespace personality_rows_test {

constexpr unsigned kNicSource = 3, kCryptoSource = 4, kPriority = 5;
constexpr Cycle kNicAt = 1000;         // the frame's interrupt
constexpr Cycle kEngineCycles = 2000;  // from submission to the crypto interrupt
constexpr Cycle kHard = 20, kRx = 40, kIp = 30, kDone = 25, kCallback = 35;

KernelConfig config_with(PersonalityConfig personality,
                         CryptoCallbackMode callback = CryptoCallbackMode::Default) {
  KernelConfig k = test_config(1);
  k.personality = std::move(personality);
  k.crypto.callback = callback;
  return k;
}

FreebsdOptions freebsd_options(bool netisr_direct, bool crypto_cbimm) {
  FreebsdOptions o;
  o.netisr_direct = netisr_direct;
  o.crypto_cbimm = crypto_cbimm;
  return o;
}

struct IpsecPath {
  explicit IpsecPath(KernelConfig k) : config(std::move(k)), rig(config), kn(*rig.kernel) {
    mode = config.crypto.callback == CryptoCallbackMode::Default
               ? kn.personality().crypto_callback_default()
               : config.crypto.callback;
    ipintr =
        &kn.establish_deferred({"ipintr", DeferLevel::Net, false, true, [this] { ip_input(); }});
    nic_rx = &kn.establish_deferred({"nic_rx", DeferLevel::Net, false, true,
                                     [this] {
                                       mark("ether_input");
                                       kn.work(kRx);
                                       ipintr->dispatch();  // netisr_dispatch(NETISR_IP)
                                     },
                                     kNicSource, BottomHalf::OrDeferred});
    crypto_done = &kn.establish_deferred({"crypto_done", DeferLevel::Net, false, true,
                                          [this] { crypto_completion(); }, kCryptoSource,
                                          BottomHalf::OrInline});
    if (mode == CryptoCallbackMode::Deferred)
      crypto_cb = &kn.establish_deferred(
          {"crypto_cb", DeferLevel::Net, false, true, [this] { esp_input_cb(); }});
    if (mode == CryptoCallbackMode::Thread) {
      ret_mutex = std::make_unique<AdaptiveMutex>(kn, "crypto_ret_q");
      ret_cv = std::make_unique<CondVar>(kn, "cryptoret");
      kn.create_lwp(lwp("cryptoret", Band::Kernel, 20, [this] {
        for (;;) {
          ret_mutex->enter();
          while (!ret_queued) ret_cv->wait(*ret_mutex);
          ret_queued = false;
          ret_mutex->exit();
          esp_input_cb();
        }
      }));
    }
    kn.attach_hard_irq(kNicSource, kPriority, [this](unsigned) {
      kn.work(kHard);
      nic_rx->schedule();
    });
    kn.attach_hard_irq(kCryptoSource, kPriority, [this](unsigned) {
      kn.work(kHard);
      crypto_done->schedule();
    });
    LwpSpec u = lwp("U", Band::UserTimeshare, 0, [this] {
      for (int i = 0; i < 200 && !resumed; ++i) {
        if (i == 1) {
          before = kn.stats().cpus[0].switches;
          before_at = kn.machine().now();
        }
        kn.user(100);
        if (delivered == 1 && !resumed) {
          after = kn.stats().cpus[0].switches;
          resumed = true;
        }
      }
    });
    u.user = true;
    kn.create_lwp(std::move(u));
    rig.machine.pulse_source(kNicSource, kNicAt);
    rig.machine.run_until(100'000);
  }

  void mark(const std::string& stage) { where.emplace(stage, kn.sched().current().name); }
  void ip_input() {
    kn.work(kIp);
    if (!decrypted) {  // esp_input: the job goes to the engine
      mark("submit");
      ++submitted;
      rig.machine.pulse_source(kCryptoSource, kn.machine().now() + kEngineCycles);
      return;
    }
    mark("deliver");
    ++delivered;
  }
  void crypto_completion() {
    mark("crypto_done");
    kn.work(kDone);
    switch (mode) {
      case CryptoCallbackMode::Deferred:
        return crypto_cb->schedule();
      case CryptoCallbackMode::Thread:
        ret_queued = true;
        return ret_cv->signal();
      default:
        return esp_input_cb();  // Immediate (mode is resolved, never Default)
    }
  }
  void esp_input_cb() {
    mark("esp_input_cb");
    kn.work(kCallback);
    decrypted = true;
    ipintr->schedule();  // re-queued to IP, always deferred
  }
  SwitchCounts counted() const {
    return {after.full - before.full, after.light - before.light,
            after.interrupt - before.interrupt};
  }
  std::string at(const std::string& stage) const {
    const auto it = where.find(stage);
    return it == where.end() ? "(not reached)" : it->second;
  }

  KernelConfig config;
  Rig rig;
  Kernel& kn;
  CryptoCallbackMode mode = CryptoCallbackMode::Default;
  DeferredWork* ipintr = nullptr;
  DeferredWork* nic_rx = nullptr;
  DeferredWork* crypto_done = nullptr;
  DeferredWork* crypto_cb = nullptr;
  std::unique_ptr<AdaptiveMutex> ret_mutex;
  std::unique_ptr<CondVar> ret_cv;
  bool ret_queued = false, decrypted = false, resumed = false;
  int submitted = 0, delivered = 0;
  SwitchCounts before, after;
  Cycle before_at = 0;
  std::map<std::string, std::string> where;  // stage -> the LWP it first ran on
};

// A row of the table: its configuration, the callback mode its personality resolves to
// (where the row rests on that default), its counts, and where stages first ran.
struct Row {
  KernelConfig config;
  std::optional<CryptoCallbackMode> mode;
  SwitchCounts want;
  std::vector<std::pair<std::string, std::string>> stages;  // stage -> LWP
};

// The checks every row shares: one packet submitted and delivered, counted from before the
// NIC interrupt until U resumed after it, then the row's own mode and stages.
void expect_row(Row row) {
  const IpsecPath p(std::move(row.config));
  if (row.mode) {
    EXPECT_EQ(p.mode, *row.mode);
  }
  EXPECT_EQ(p.submitted, 1);
  EXPECT_EQ(p.delivered, 1);
  EXPECT_TRUE(p.resumed);
  EXPECT_LT(p.before_at, kNicAt);
  EXPECT_EQ(p.counted(), row.want);
  for (const auto& [stage, lwp] : row.stages) EXPECT_EQ(p.at(stage), lwp) << stage;
}

// Row 1: every hardware interrupt in its own thread, every softint a thread: U -> NIC
// ithread -> swi -> U -> crypto ithread -> swi -> U.
TEST(Research6Rows, AllThreadsDesignOfTheMail6Fs) {
  expect_row(
      {config_with(freebsd::selected(freebsd_options(false, false)), CryptoCallbackMode::Immediate),
       std::nullopt,
       {6, 0, 2},
       {{"ether_input", "irq3: nic_rx"},
        {"submit", "swi1: net"},
        {"esp_input_cb", "irq4: crypto_done"},
        {"deliver", "swi1: net"}}});
}

// Row 2: NAPI and NET_RX on irq_exit, in the interrupted context (L-SI-6); the crypto
// completion in the hard handler, its callback and the re-injection in NET_RX.
TEST(Research6Rows, LinuxNonRt0Fs) {
  expect_row({config_with(lnx::selected()),
              CryptoCallbackMode::Deferred,
              {0, 0, 2},
              {{"submit", "U"}, {"crypto_done", "U"}, {"deliver", "U"}}});
}

// Row 3: U -> irq/NIC thread (FIFO 50), NET_RX at its local_bh_enable (L-RT-2) submits
// the job -> U; U -> irq/crypto thread, completion and delivery inside it -> U.
TEST(Research6Rows, LinuxPreemptRtOrThreadirqs4Fs) {
  for (const bool rt : {false, true}) {
    SCOPED_TRACE(rt ? "preempt_rt" : "threadirqs");
    LinuxOptions o;
    o.threadirqs = !rt;
    o.preempt_rt = rt;
    expect_row({config_with(lnx::selected(o)),
                std::nullopt,
                {4, 0, 2},
                {{"submit", "irq/3-nic_rx"},
                 {"esp_input_cb", "irq/4-crypto_done"},
                 {"deliver", "irq/4-crypto_done"}}});
  }
}

// Row 4: direct netisr dispatch in the NIC ithread; the callback in the crypto returns
// thread; the swi preempts it to deliver.
TEST(Research6Rows, FreebsdAsShipped7Fs) {
  expect_row(
      {config_with(freebsd::selected()),
       CryptoCallbackMode::Thread,
       {7, 0, 2},
       {{"submit", "irq3: nic_rx"}, {"esp_input_cb", "cryptoret"}, {"deliver", "swi1: net"}}});
}

// Row 5: CBIMM: the callback in the crypto ithread, which hands the packet to the swi.
TEST(Research6Rows, FreebsdCbimm5Fs) {
  expect_row({config_with(freebsd::selected(freebsd_options(true, true))),
              CryptoCallbackMode::Immediate,
              {5, 0, 2},
              {{"submit", "irq3: nic_rx"},
               {"esp_input_cb", "irq4: crypto_done"},
               {"deliver", "swi1: net"}}});
}

// Row 6: softnet by LS on the NIC leg; the crypto interrupt signals cryptoret (FS at the
// AST), whose schednetisr runs softnet by LS; cryptoret sleeps (FS).
TEST(Research6Rows, Netbsd5AsShipped2FsAnd2LsPairs) {
  expect_row({netbsd_config(),
              CryptoCallbackMode::Thread,
              {2, 4, 2},
              {{"submit", "softint/SOFTNET/0"},
               {"crypto_done", "U"},
               {"esp_input_cb", "cryptoret"},
               {"deliver", "softint/SOFTNET/0"}}});
}

// Row 7: the continuation as a softint: no thread is ever scheduled.
TEST(Research6Rows, Netbsd5SoftintContinuation0FsAnd2LsPairs) {
  NetbsdOptions o;
  o.softint_continuation = true;
  expect_row({netbsd_config(1, o),
              CryptoCallbackMode::Deferred,
              {0, 4, 2},
              {{"esp_input_cb", "softint/SOFTNET/0"}, {"deliver", "softint/SOFTNET/0"}}});
}

// Row 8: both legs in interrupt context, netintr at the REI (B-4).
TEST(Research6Rows, Bsd43PureSpl0Fs) {
  expect_row({bsd43_config(),
              CryptoCallbackMode::Immediate,
              {0, 0, 2},
              {{"esp_input_cb", "U"}, {"deliver", "U"}}});
}

// Row 9: NetBSD 3 FAST_IPSEC with OCF's cryptoret: U -> cryptoret, whose softnet runs at
// its splx -> U.
TEST(Research6Rows, Netbsd3FastIpsecCryptoret2Fs) {
  KernelConfig k = bsd43_config();
  k.crypto.callback = CryptoCallbackMode::Thread;
  expect_row({std::move(k),
              std::nullopt,
              {2, 0, 2},
              {{"esp_input_cb", "cryptoret"}, {"deliver", "cryptoret"}}});
}

}  // namespace personality_rows_test
}  // namespace irqlab::kernel::test
