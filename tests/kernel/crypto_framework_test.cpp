// The crypto framework (kernel/crypto/ocf.h) on the fake machine, with a scripted engine
// driver defined here: it accepts up to `capacity` jobs and completes them, in order,
// when the test pulses its interrupt source. Which context and LWP runs a callback is
// read from the event stream (Switch, HandlerStart/End, DeferStart/End); expected cycles
// are sums of the test's cost fields.
#include <algorithm>
#include <deque>
#include <gtest/gtest.h>
#include <string>
#include <vector>

#include "crypto/ocf.h"
#include "personality/freebsd/freebsd.h"
#include "personality/linux/linux.h"
#include "personality_support.h"

namespace irqlab::kernel::test {
namespace crypto_framework_test {

using K = TraceKind;

constexpr unsigned kEngineSource = 6, kEnginePriority = 4;
constexpr Cycle kDispatch = 13, kDone = 17, kRetItem = 19, kEngineHandler = 5;

KernelConfig framework_config(PersonalityConfig personality, CryptoCallbackMode mode) {
  KernelConfig k = test_config(1);
  k.personality = std::move(personality);
  k.crypto.callback = mode;
  k.crypto.max_job_bytes = 256;
  k.costs.crypto_dispatch = kDispatch;
  k.costs.crypto_done = kDone;
  k.costs.cryptoret_item = kRetItem;
  return k;
}

// A crypto driver whose "engine" finishes every accepted job when its source fires:
// output byte = input byte XOR the session key's byte 0. At most `capacity` jobs in flight.
class ScriptedEngine final : public CryptoDriver {
 public:
  ScriptedEngine(Kernel& kernel, unsigned capacity) : kernel_(kernel), capacity_(capacity) {
    kernel.crypto().register_driver(*this);
    kernel.attach_irq(kEngineSource, kEnginePriority, [this](unsigned) { complete(); });
  }
  void new_session(CryptoSessionId id, const CryptoKey& key) override { keys_[id] = key; }
  bool process(CryptoRequest& request) override {
    if (jobs_.size() == capacity_) return false;
    jobs_.push_back(&request);
    ++processed;
    return true;
  }
  std::vector<CryptoError> fail_next;  // errors for the next completions, in order
  unsigned processed = 0;

  // Finishes every accepted job now, in the caller's context (thread or interrupt).
  void finish_all() { complete(); }

 private:
  void complete() {
    kernel_.work(kEngineHandler);
    while (!jobs_.empty()) {
      CryptoRequest& r = *jobs_.front();
      jobs_.pop_front();
      for (std::uint8_t& b : r.data) b ^= keys_.at(r.session)[0];
      if (!fail_next.empty()) {
        r.error = fail_next.front();
        fail_next.erase(fail_next.begin());
      }
      kernel_.crypto().done(r);
    }
    kernel_.crypto().unblock();
  }
  Kernel& kernel_;
  unsigned capacity_;
  std::deque<CryptoRequest*> jobs_;
  std::map<CryptoSessionId, CryptoKey> keys_;
};

// Where a callback ran: the LWP, whether in (hard or in-place soft) interrupt context.
struct CallbackSeen {
  std::uint64_t id;
  std::uint32_t tag;
  std::string lwp;
  bool in_interrupt;
  CryptoError error;
  std::vector<std::uint8_t> data;
};

struct FrameworkRig {
  FrameworkRig(PersonalityConfig personality, CryptoCallbackMode mode, unsigned capacity = 8)
      : config(framework_config(std::move(personality), mode)),
        rig(config),
        kn(*rig.kernel),
        engine(kn, capacity) {
    CryptoKey key{};
    key[0] = 0x5A;
    session = kn.crypto().new_session(key);
  }
  // A request of `bytes` bytes 0, 1, 2, ... whose callback records where it ran.
  std::unique_ptr<CryptoRequest> request(std::uint32_t tag, std::size_t bytes = 16) {
    auto r = std::make_unique<CryptoRequest>();
    r->session = session;
    r->tag = tag;
    r->data.resize(bytes);
    for (std::size_t i = 0; i < bytes; ++i) r->data[i] = static_cast<std::uint8_t>(i);
    r->callback = [this](CryptoRequest& done) {
      seen.push_back({done.id, done.tag, kn.sched().current().name, kn.cpu_state().in_interrupt(),
                      done.error, done.data});
    };
    return r;
  }
  // A kernel thread "client" that dispatches `n` requests at its start, then ends.
  void client(unsigned n, std::size_t bytes = 16) {
    kn.create_lwp(lwp("client", Band::Kernel, 10, [this, n, bytes] {
      for (unsigned i = 0; i < n; ++i) {
        const Cycle before = kn.machine().now();
        kn.crypto().dispatch(request(i + 1, bytes));
        dispatch_cycles.push_back(kn.machine().now() - before);
      }
    }));
  }
  std::uint32_t lwp_id(const std::string& name) const {
    for (const Announced& a : rig.trace.announced)
      if (std::get<0>(a) == K::AnnounceLwp && std::get<2>(a) == name) return std::get<1>(a);
    ADD_FAILURE() << "no LWP " << name;
    return ~0u;
  }
  std::uint32_t deferred_id(const std::string& name) const {
    for (const Announced& a : rig.trace.announced)
      if (std::get<0>(a) == K::AnnounceDeferred && std::get<2>(a) == name) return std::get<1>(a);
    ADD_FAILURE() << "no deferred work " << name;
    return ~0u;
  }
  // The LWP switched to last before event `index` on CPU 0 (the idle LWP if none).
  std::uint32_t lwp_at(std::size_t index) const {
    std::uint32_t current = 0;
    for (std::size_t i = 0; i < index; ++i) {
      const Ev& e = rig.trace.events[i];
      if (std::get<2>(e) == K::Switch) current = std::get<3>(e) >> 8;
    }
    return current;
  }
  std::size_t index_of(K kind, std::uint32_t arg, std::size_t nth = 0) const {
    for (std::size_t i = 0; i < rig.trace.events.size(); ++i)
      if (std::get<2>(rig.trace.events[i]) == kind && std::get<3>(rig.trace.events[i]) == arg &&
          nth-- == 0)
        return i;
    ADD_FAILURE() << "no event " << trace_kind_name(kind) << " " << arg;
    return 0;
  }
  // The last event of `kind` with `arg` before event `index`, or npos.
  std::size_t last_before(std::size_t index, K kind, std::uint32_t arg) const {
    for (std::size_t i = index; i-- > 0;)
      if (std::get<2>(rig.trace.events[i]) == kind && std::get<3>(rig.trace.events[i]) == arg)
        return i;
    return std::string::npos;
  }
  Cycle cycle(std::size_t index) const { return std::get<0>(rig.trace.events[index]); }

  KernelConfig config;
  Rig rig;
  Kernel& kn;
  ScriptedEngine engine;
  CryptoSessionId session = 0;
  std::vector<CallbackSeen> seen;
  std::vector<Cycle> dispatch_cycles;
};

std::vector<std::uint8_t> xored(std::size_t bytes, std::uint8_t key) {
  std::vector<std::uint8_t> out(bytes);
  for (std::size_t i = 0; i < bytes; ++i) out[i] = static_cast<std::uint8_t>(i) ^ key;
  return out;
}

TEST(CryptoFramework, NamesOfModesAndErrors) {
  EXPECT_STREQ(crypto_callback_mode_name(CryptoCallbackMode::Default), "default");
  EXPECT_STREQ(crypto_callback_mode_name(CryptoCallbackMode::Immediate), "immediate");
  EXPECT_STREQ(crypto_callback_mode_name(CryptoCallbackMode::Deferred), "deferred");
  EXPECT_STREQ(crypto_callback_mode_name(CryptoCallbackMode::Thread), "thread");
  EXPECT_STREQ(crypto_error_name(CryptoError::None), "none");
  EXPECT_STREQ(crypto_error_name(CryptoError::BadOpcode), "bad_opcode");
  EXPECT_STREQ(crypto_error_name(CryptoError::BadLength), "bad_length");
  EXPECT_STREQ(crypto_error_name(CryptoError::DmaFault), "dma_fault");
  EXPECT_STREQ(crypto_error_name(CryptoError::NoSession), "no_session");
  EXPECT_STREQ(crypto_error_name(CryptoError::TooLong), "too_long");
}

TEST(CryptoFramework, DefaultIsThePersonalitysAndAnExplicitModeWins) {
  for (const PersonalityConfig& p :
       {lnx::selected(), freebsd::selected(), netbsd::selected(), bsd43::selected()}) {
    SCOPED_TRACE(p.name);
    Rig rig(framework_config(p, CryptoCallbackMode::Default));
    EXPECT_EQ(rig.kernel->crypto().mode(), rig.kernel->personality().crypto_callback_default());
    Rig explicit_rig(framework_config(p, CryptoCallbackMode::Deferred));
    EXPECT_EQ(explicit_rig.kernel->crypto().mode(), CryptoCallbackMode::Deferred);
  }
}

TEST(CryptoFramework, NoDriverNoReturnPath) {
  // Without a registered driver neither crypto_cb nor cryptoret exists: a scenario
  // without a crypto engine runs as before.
  for (CryptoCallbackMode mode : {CryptoCallbackMode::Deferred, CryptoCallbackMode::Thread}) {
    Rig rig(framework_config(netbsd::selected(), mode));
    EXPECT_FALSE(rig.kernel->crypto().has_driver());
    for (const Announced& a : rig.trace.announced) {
      EXPECT_NE(std::get<2>(a), "crypto_cb");
      EXPECT_NE(std::get<2>(a), "cryptoret");
      EXPECT_NE(std::get<2>(a), "crypto_ret_q");
    }
  }
}

TEST(CryptoFramework, ImmediateRunsTheCallbackInTheCompletionHandler) {
  FrameworkRig f(netbsd::selected(), CryptoCallbackMode::Immediate);
  f.client(1);
  f.rig.machine.pulse_source(kEngineSource, 5000);
  f.rig.machine.run_until(20'000);
  ASSERT_EQ(f.seen.size(), 1u);
  EXPECT_TRUE(f.seen[0].in_interrupt);
  EXPECT_EQ(f.seen[0].lwp, "idle/0");  // the interrupted LWP: nothing else runs
  EXPECT_EQ(f.seen[0].data, xored(16, 0x5A));
  const std::size_t cb = f.index_of(K::CryptoCallback, 1);
  const std::size_t done = f.index_of(K::CryptoDone, 1);
  const std::size_t start = f.last_before(cb, K::HandlerStart, kEngineSource);
  ASSERT_NE(start, std::string::npos);
  EXPECT_LT(start, done);
  EXPECT_EQ(f.last_before(cb, K::HandlerEnd, kEngineSource), std::string::npos);
  EXPECT_EQ(f.cycle(done), f.cycle(start) + kEngineHandler);
  EXPECT_EQ(f.cycle(cb), f.cycle(done) + kDone);
  EXPECT_EQ(f.lwp_at(cb), f.lwp_id("idle/0"));
}

TEST(CryptoFramework, DeferredRunsTheCallbackOnCryptoCb) {
  FrameworkRig f(netbsd::selected(), CryptoCallbackMode::Deferred);
  f.client(2);
  f.rig.machine.pulse_source(kEngineSource, 5000);
  f.rig.machine.run_until(20'000);
  ASSERT_EQ(f.seen.size(), 2u);
  const std::uint32_t work = f.deferred_id("crypto_cb");
  // One crypto_cb run drains both callbacks, in completion order, after the handler.
  for (std::uint32_t id : {1u, 2u}) {
    const std::size_t cb = f.index_of(K::CryptoCallback, id);
    const std::size_t start = f.last_before(cb, K::DeferStart, work);
    ASSERT_NE(start, std::string::npos);
    EXPECT_EQ(f.last_before(cb, K::DeferEnd, work), std::string::npos);
    EXPECT_LT(f.index_of(K::HandlerEnd, kEngineSource), start);
  }
  EXPECT_EQ(f.kn.stats().deferred.at(work).runs, 1u);
  // NetBSD runs softints on their own LWP, reached by a light switch.
  EXPECT_EQ(f.seen[0].lwp.rfind("softint", 0), 0u) << f.seen[0].lwp;
  EXPECT_FALSE(f.seen[0].in_interrupt);
  EXPECT_EQ(f.seen[1].lwp, f.seen[0].lwp);
}

TEST(CryptoFramework, ThreadRunsTheCallbackOnCryptoret) {
  FrameworkRig f(netbsd::selected(), CryptoCallbackMode::Thread);
  f.client(2);
  f.rig.machine.pulse_source(kEngineSource, 5000);
  f.rig.machine.run_until(20'000);
  ASSERT_EQ(f.seen.size(), 2u);
  const std::uint32_t cryptoret = f.lwp_id("cryptoret");
  for (std::uint32_t id : {1u, 2u}) {
    SCOPED_TRACE(id);
    const std::size_t cb = f.index_of(K::CryptoCallback, id);
    EXPECT_EQ(f.lwp_at(cb), cryptoret);
    EXPECT_EQ(f.seen[id - 1].lwp, "cryptoret");
    EXPECT_FALSE(f.seen[id - 1].in_interrupt);
  }
  // One wake-up: cryptoret runs once after the interrupt (a full switch into it), takes
  // both requests, spending cryptoret_item before each callback.
  const std::size_t sw =
      f.index_of(K::Switch, static_cast<std::uint32_t>(SwitchKind::Full) | cryptoret << 8, 1);
  EXPECT_LT(f.index_of(K::HandlerEnd, kEngineSource), sw);
  const std::size_t cb1 = f.index_of(K::CryptoCallback, 1), cb2 = f.index_of(K::CryptoCallback, 2);
  EXPECT_LT(sw, cb1);
  // Between the two callbacks: the queue mutex, a spin mutex at the engine's device level,
  // is retaken and released (each a THRESHOLD write and lock_fast) and cryptoret_item
  // spent; the callback itself spends nothing.
  EXPECT_EQ(f.cycle(cb2) - f.cycle(cb1), 2 * (kMmio + f.config.costs.lock_fast) + kRetItem);
  // Before the interrupt cryptoret ran once (at boot) and went to sleep on its condvar.
  const std::size_t first =
      f.index_of(K::Switch, static_cast<std::uint32_t>(SwitchKind::Full) | cryptoret << 8, 0);
  EXPECT_LT(f.cycle(first), 5000u);
}

TEST(CryptoFramework, CallbacksRunInDispatchOrderInEveryMode) {
  for (CryptoCallbackMode mode :
       {CryptoCallbackMode::Immediate, CryptoCallbackMode::Deferred, CryptoCallbackMode::Thread}) {
    SCOPED_TRACE(crypto_callback_mode_name(mode));
    FrameworkRig f(netbsd::selected(), mode);
    f.client(6);
    f.rig.machine.pulse_source(kEngineSource, 5000);
    f.rig.machine.run_until(20'000);
    ASSERT_EQ(f.seen.size(), 6u);
    for (unsigned i = 0; i < 6; ++i) {
      EXPECT_EQ(f.seen[i].id, i + 1);
      EXPECT_EQ(f.seen[i].tag, i + 1);
      EXPECT_EQ(f.seen[i].error, CryptoError::None);
    }
    const CryptoStats s = f.kn.crypto().stats();
    EXPECT_EQ(s.dispatched, 6u);
    EXPECT_EQ(s.completed, 6u);
    EXPECT_EQ(s.callbacks, 6u);
    EXPECT_EQ(s.failed, 0u);
  }
}

TEST(CryptoFramework, RingFullBlocksAndUnblockLosesNothing) {
  // Capacity 2, 7 requests: 2 go to the engine, 5 wait; each completion batch makes
  // room, unblock() offers the waiting ones in order.
  FrameworkRig f(netbsd::selected(), CryptoCallbackMode::Immediate, 2);
  f.client(7);
  for (Cycle at : {5000, 6000, 7000, 8000}) f.rig.machine.pulse_source(kEngineSource, at);
  f.rig.machine.run_until(20'000);
  ASSERT_EQ(f.seen.size(), 7u);
  for (unsigned i = 0; i < 7; ++i) EXPECT_EQ(f.seen[i].id, i + 1);
  EXPECT_EQ(f.engine.processed, 7u);
  const CryptoStats s = f.kn.crypto().stats();
  EXPECT_EQ(s.max_queued, 5u);
  // Refusals: request 3 at dispatch; then each unblock (three of them) is refused once
  // when the engine is full again, except the last, which empties the queue.
  EXPECT_EQ(s.blocked, 1u + 2u);
  EXPECT_EQ(s.completed, 7u);
}

TEST(CryptoFramework, RequestsThatCannotRunCompleteAtOnceWithTheirError) {
  FrameworkRig f(netbsd::selected(), CryptoCallbackMode::Immediate);
  f.kn.create_lwp(lwp("client", Band::Kernel, 10, [&f] {
    auto no_session = f.request(1);
    no_session->session = 99;
    f.kn.crypto().dispatch(std::move(no_session));
    f.kn.crypto().dispatch(f.request(2, 257));  // max_job_bytes 256
    f.kn.crypto().dispatch(f.request(3, 0));
    f.kn.crypto().dispatch(f.request(4, 256));
  }));
  f.rig.machine.pulse_source(kEngineSource, 5000);
  f.rig.machine.run_until(20'000);
  ASSERT_EQ(f.seen.size(), 4u);
  EXPECT_EQ(f.seen[0].error, CryptoError::NoSession);
  EXPECT_EQ(f.seen[1].error, CryptoError::TooLong);
  EXPECT_EQ(f.seen[2].error, CryptoError::BadLength);
  EXPECT_EQ(f.seen[3].error, CryptoError::None);
  // The failed ones ran in the client's own context and never reached the driver; their
  // data is untouched.
  for (unsigned i = 0; i < 3; ++i) {
    EXPECT_EQ(f.seen[i].lwp, "client");
    EXPECT_FALSE(f.seen[i].in_interrupt);
  }
  EXPECT_EQ(f.seen[1].data, xored(257, 0));
  EXPECT_EQ(f.engine.processed, 1u);
  const CryptoStats s = f.kn.crypto().stats();
  EXPECT_EQ(s.failed, 3u);
  EXPECT_EQ(s.completed, 4u);
  // CryptoDone carries the error.
  EXPECT_EQ(f.rig.trace.of(K::CryptoDone).size(), 4u);
}

TEST(CryptoFramework, DriverErrorsReachTheCallback) {
  FrameworkRig f(netbsd::selected(), CryptoCallbackMode::Thread);
  f.engine.fail_next = {CryptoError::None, CryptoError::DmaFault};
  f.client(3);
  f.rig.machine.pulse_source(kEngineSource, 5000);
  f.rig.machine.run_until(20'000);
  ASSERT_EQ(f.seen.size(), 3u);
  EXPECT_EQ(f.seen[0].error, CryptoError::None);
  EXPECT_EQ(f.seen[1].error, CryptoError::DmaFault);
  EXPECT_EQ(f.seen[2].error, CryptoError::None);
  EXPECT_EQ(f.kn.crypto().stats().failed, 1u);
}

TEST(CryptoFramework, DispatchAndDoneCosts) {
  FrameworkRig f(netbsd::selected(), CryptoCallbackMode::Immediate);
  f.client(2);
  f.rig.machine.pulse_source(kEngineSource, 5000);
  f.rig.machine.run_until(20'000);
  // The scripted driver's process() spends nothing: dispatch costs crypto_dispatch alone.
  EXPECT_EQ(f.dispatch_cycles, (std::vector<Cycle>{kDispatch, kDispatch}));
  const std::vector<Ev> dispatched = f.rig.trace.of(K::CryptoDispatch);
  ASSERT_EQ(dispatched.size(), 2u);
  EXPECT_EQ(std::get<0>(dispatched[1]) - std::get<0>(dispatched[0]), kDispatch);
  // Completions: crypto_done before each callback, back to back in the handler.
  const std::vector<Ev> cbs = f.rig.trace.of(K::CryptoCallback);
  ASSERT_EQ(cbs.size(), 2u);
  EXPECT_EQ(std::get<0>(cbs[1]) - std::get<0>(cbs[0]), kDone);
}

TEST(CryptoFramework, ThreadModeCompletionInThreadContextTakesTheQueueMutex) {
  // A driver completing from thread context (an interrupt thread) calls done() there:
  // it takes the queue mutex, as crypto_done takes CRYPTO_RETQ_LOCK.
  FrameworkRig f(netbsd::selected(), CryptoCallbackMode::Thread);
  f.kn.create_lwp(lwp("client", Band::Kernel, 10, [&f] {
    f.kn.crypto().dispatch(f.request(1));
    f.kn.crypto().dispatch(f.request(2));
    f.engine.finish_all();
  }));
  f.rig.machine.run_until(30'000);
  ASSERT_EQ(f.seen.size(), 2u);
  EXPECT_EQ(f.seen[0].lwp, "cryptoret");
  EXPECT_EQ(f.seen[1].lwp, "cryptoret");
  bool found = false;
  for (const NamedLockStats& l : f.kn.stats().locks)
    if (l.name == "crypto_ret_q") {
      found = true;
      // The client outranks cryptoret, so both done() calls (one acquisition each) come
      // before cryptoret first runs: it takes the mutex at its start, finds both
      // requests, and takes it again after each callback.
      EXPECT_EQ(l.stats.acquisitions, 2u + 1u + 2u);
      EXPECT_EQ(l.stats.contended, 0u);
    }
  EXPECT_TRUE(found);
}

}  // namespace crypto_framework_test
}  // namespace irqlab::kernel::test
