// The crypto engine driver (kernel/drivers/crypto) with the crypto framework on the fake
// machine and the fake engine (fake_devices/fake_crypto.h). Register offsets, bits and
// the descriptor layout are spelled out below from the contract (docs/rtl.md, crypto),
// not taken from the driver; expected ciphertexts come from OpenSSL, computed here one
// 64-byte block at a time, and from RFC 8439's own test vector.
#include "drivers/crypto/crypto_driver.h"

#include <array>
#include <gtest/gtest.h>
#include <memory>
#include <openssl/evp.h>
#include <random>
#include <string>
#include <vector>

#include "crypto/ocf.h"
#include "drivers/crypto/crypto_limits.h"
#include "fake_devices/fake_crypto.h"
#include "personality_support.h"

namespace irqlab::kernel::test {
namespace crypto_driver_test {

using K = TraceKind;
using Bytes = std::vector<std::uint8_t>;

constexpr Addr kCryptoBase = 0x10030000;  // rtl/soc/soc.yaml
constexpr unsigned kCryptoSource = 6;
static_assert(kCryptoBase == cosim::soc::kCryptoBase && kCryptoSource == cosim::soc::crypto_source);
// validate_config's limit is the SoC's engine parameter.
static_assert(kCryptoEngineMaxJobBytes == cosim::soc::kCryptoMaxJobBytes);
constexpr Addr kRamBase = 0x80000000, kRamSize = 2 << 20;

// Registers and bits (docs/rtl.md, crypto).
constexpr Addr kCtrl = 0x004, kJrBaseLo = 0x010, kJrBaseHi = 0x014, kJrSize = 0x018,
               kJrTail = 0x020, kIntrState = 0x040, kIntrEnable = 0x044, kCoal = 0x050;
constexpr std::uint32_t kEn = 1, kSrst = 2, kDoneBit = 1, kErrBit = 2;
// Descriptor fields.
constexpr std::size_t kDescBytes = 64;

constexpr Cycle kDispatch = 13, kJobSetup = 23, kDone = 17, kRetItem = 19;

PlatformMap crypto_platform(unsigned harts) {
  PlatformMap p = test_platform(harts);
  p.devices.push_back({"crypto", kCryptoBase, {kCryptoSource}});
  p.ram_base = kRamBase;
  p.ram_size = kRamSize;
  return p;
}

KernelConfig crypto_config(CryptoConfig crypto = {}, bool present = true, unsigned harts = 1) {
  KernelConfig k = test_config(harts);
  k.platform = crypto_platform(harts);
  k.personality = netbsd::selected();
  if (crypto.callback == CryptoCallbackMode::Default)
    crypto.callback = CryptoCallbackMode::Immediate;
  k.crypto = std::move(crypto);
  k.crypto.present = present;
  k.costs.crypto_dispatch = kDispatch;
  k.costs.crypto_job_setup = kJobSetup;
  k.costs.crypto_done = kDone;
  k.costs.cryptoret_item = kRetItem;
  return k;
}

CryptoConfig ring(unsigned entries, unsigned max_job_bytes = 512) {
  CryptoConfig c;
  c.ring_entries = entries;
  c.max_job_bytes = max_job_bytes;
  return c;
}

std::uint32_t le32(const std::uint8_t* p) {
  return p[0] | p[1] << 8 | p[2] << 16 | static_cast<std::uint32_t>(p[3]) << 24;
}

// RFC 8439 ChaCha20 through OpenSSL, one block at a time with an explicit 32-bit counter.
Bytes chacha20_reference(const CryptoKey& key, const std::array<std::uint8_t, 12>& nonce,
                         std::uint32_t counter, const Bytes& in) {
  Bytes out(in.size());
  for (std::size_t at = 0; at < in.size(); at += 64, ++counter) {
    std::array<std::uint8_t, 16> iv{};
    for (int i = 0; i < 4; ++i) iv[i] = static_cast<std::uint8_t>(counter >> (8 * i));
    std::copy(nonce.begin(), nonce.end(), iv.begin() + 4);
    EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
    int n = 0;
    const int len = static_cast<int>(std::min<std::size_t>(64, in.size() - at));
    EXPECT_EQ(EVP_EncryptInit_ex(ctx, EVP_chacha20(), nullptr, key.data(), iv.data()), 1);
    EXPECT_EQ(EVP_EncryptUpdate(ctx, out.data() + at, &n, in.data() + at, len), 1);
    EVP_CIPHER_CTX_free(ctx);
  }
  return out;
}

struct Completed {
  std::uint64_t id;
  std::uint32_t tag;
  CryptoError error;
  Bytes data;
};

struct CryptoRig {
  explicit CryptoRig(KernelConfig k)
      : config(std::move(k)),
        rig(config),
        kn(*rig.kernel),
        engine(rig.machine.device<FakeCrypto>("crypto")) {
    engine.connect_memory(rig.machine.ram(), kRamBase);
  }
  CryptoEngineDriver& driver() {
    for (const auto& d : kn.drivers())
      if (d->name() == "crypto") return dynamic_cast<CryptoEngineDriver&>(*d);
    throw std::logic_error("no crypto driver");
  }
  std::vector<MmioAccess> crypto_accesses() const {
    std::vector<MmioAccess> out;
    for (MmioAccess a : rig.machine.accesses())
      if (a.addr >= kCryptoBase && a.addr < kCryptoBase + 0x1000) {
        a.addr -= kCryptoBase;
        out.push_back(a);
      }
    return out;
  }
  std::vector<MmioAccess> writes_to(Addr offset) const {
    std::vector<MmioAccess> out;
    for (const MmioAccess& a : crypto_accesses())
      if (a.addr == offset && a.write) out.push_back(a);
    return out;
  }
  std::unique_ptr<CryptoRequest> request(CryptoSessionId session, Bytes data,
                                         std::array<std::uint8_t, 12> nonce, std::uint32_t counter,
                                         std::uint32_t tag) {
    auto r = std::make_unique<CryptoRequest>();
    r->session = session;
    r->data = std::move(data);
    r->nonce = nonce;
    r->counter = counter;
    r->tag = tag;
    r->callback = [this](CryptoRequest& done) {
      completed.push_back({done.id, done.tag, done.error, done.data});
    };
    return r;
  }
  // A kernel thread that runs `body` once (dispatching from thread context).
  void client(std::function<void()> body) {
    kn.create_lwp(lwp("client", Band::Kernel, 10, std::move(body)));
  }
  // The same, bound to hart `cpu`.
  void client_on(unsigned cpu, std::function<void()> body) {
    LwpSpec spec = lwp("client", Band::Kernel, 10, std::move(body));
    spec.bound = true;
    spec.cpu = cpu;
    kn.create_lwp(std::move(spec));
  }
  // Spends cycles one at a time until `done` holds (a polling loop of the calling thread).
  void spin_until(const std::function<bool()>& done) {
    while (!done()) kn.machine().consume(1);
  }
  void run(Cycle end = 200'000) { rig.machine.run_until(end); }

  KernelConfig config;
  Rig rig;
  Kernel& kn;
  FakeCrypto& engine;
  std::vector<Completed> completed;
};

CryptoKey key_of(std::uint8_t seed) {
  CryptoKey k{};
  for (std::size_t i = 0; i < k.size(); ++i) k[i] = static_cast<std::uint8_t>(seed * 7 + i);
  return k;
}

// ---- boot and attach ----

TEST(CryptoDriver, BootProgramsTheEngineInTheContractsOrder) {
  CryptoConfig c = ring(16);
  c.coalesce_count = 3;
  c.coalesce_timeout = 500;
  CryptoRig r(crypto_config(c));
  r.run(5'000);
  const Addr ring_at = r.driver().ring();
  EXPECT_EQ(ring_at % 64, 0u);
  std::vector<std::pair<Addr, std::uint32_t>> writes;
  for (const MmioAccess& a : r.crypto_accesses()) {
    EXPECT_TRUE(a.write);
    writes.emplace_back(a.addr, a.value);
  }
  const std::vector<std::pair<Addr, std::uint32_t>> want{
      {kCtrl, kSrst},
      {kJrBaseLo, static_cast<std::uint32_t>(ring_at)},
      {kJrBaseHi, static_cast<std::uint32_t>(ring_at >> 32)},
      {kJrSize, 16},
      {kCoal, 3u | 500u << 16},
      {kIntrEnable, kDoneBit | kErrBit},
      {kCtrl, kEn},
  };
  EXPECT_EQ(writes, want);
  // Ring, slots and key table lie in main memory and do not overlap.
  CryptoEngineDriver& d = r.driver();
  EXPECT_GE(ring_at, kRamBase);
  EXPECT_GE(d.slots(), ring_at + 16 * kDescBytes);
  EXPECT_GE(d.key_table(), d.slots() + 16 * 512);
  EXPECT_LE(d.key_table() + kCryptoKeyTableSessions * 32, kRamBase + kRamSize);
  EXPECT_TRUE(r.kn.crypto().has_driver());
  EXPECT_EQ(r.driver().sources(), (std::vector<unsigned>{kCryptoSource}));
}

TEST(CryptoDriver, AbsentEngineTouchesNothing) {
  CryptoRig r(crypto_config({}, false));
  r.run(5'000);
  EXPECT_TRUE(r.crypto_accesses().empty());
  EXPECT_FALSE(r.kn.crypto().has_driver());
  EXPECT_TRUE(r.driver().sources().empty());
  EXPECT_EQ(r.kn.dma_memory().used(), 0u);
  for (const Announced& a : r.rig.trace.announced) EXPECT_NE(std::get<2>(a), "crypto_complete");
}

// ---- jobs ----

TEST(CryptoDriver, Rfc8439Section242TestVector) {
  CryptoRig r(crypto_config(ring(8)));
  CryptoKey key{};
  for (std::size_t i = 0; i < 32; ++i) key[i] = static_cast<std::uint8_t>(i);
  const std::string text =
      "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, "
      "sunscreen would "
      "be it.";
  const Bytes want{0x6e, 0x2e, 0x35, 0x9a, 0x25, 0x68, 0xf9, 0x80, 0x41, 0xba, 0x07, 0x28, 0xdd,
                   0x0d, 0x69, 0x81, 0xe9, 0x7e, 0x7a, 0xec, 0x1d, 0x43, 0x60, 0xc2, 0x0a, 0x27,
                   0xaf, 0xcc, 0xfd, 0x9f, 0xae, 0x0b, 0xf9, 0x1b, 0x65, 0xc5, 0x52, 0x47, 0x33,
                   0xab, 0x8f, 0x59, 0x3d, 0xab, 0xcd, 0x62, 0xb3, 0x57, 0x16, 0x39, 0xd6, 0x24,
                   0xe6, 0x51, 0x52, 0xab, 0x8f, 0x53, 0x0c, 0x35, 0x9f, 0x08, 0x61, 0xd8, 0x07,
                   0xca, 0x0d, 0xbf, 0x50, 0x0d, 0x6a, 0x61, 0x56, 0xa3, 0x8e, 0x08, 0x8a, 0x22,
                   0xb6, 0x5e, 0x52, 0xbc, 0x51, 0x4d, 0x16, 0xcc, 0xf8, 0x06, 0x81, 0x8c, 0xe9,
                   0x1a, 0xb7, 0x79, 0x37, 0x36, 0x5a, 0xf9, 0x0b, 0xbf, 0x74, 0xa3, 0x5b, 0xe6,
                   0xb4, 0x0b, 0x8e, 0xed, 0xf2, 0x78, 0x5e, 0x42, 0x87, 0x4d};
  const CryptoSessionId s = r.kn.crypto().new_session(key);
  r.client([&] {
    r.kn.crypto().dispatch(r.request(s, Bytes(text.begin(), text.end()),
                                     {0, 0, 0, 0, 0, 0, 0, 0x4a, 0, 0, 0, 0}, 1, 7));
  });
  r.run();
  ASSERT_EQ(r.completed.size(), 1u);
  EXPECT_EQ(r.completed[0].error, CryptoError::None);
  EXPECT_EQ(r.completed[0].data, want);
}

TEST(CryptoDriver, RandomJobsMatchOpenSslByteForByteInOrder) {
  CryptoRig r(crypto_config(ring(8, 2048)));
  std::mt19937_64 rng(20261130);
  std::vector<CryptoSessionId> sessions;
  std::vector<CryptoKey> keys;
  for (std::uint8_t i = 0; i < 3; ++i) {
    keys.push_back(key_of(i + 1));
    sessions.push_back(r.kn.crypto().new_session(keys.back()));
  }
  struct Job {
    unsigned key;
    Bytes data;
    std::array<std::uint8_t, 12> nonce;
    std::uint32_t counter;
  };
  std::vector<Job> jobs;
  for (unsigned i = 0; i < 40; ++i) {
    Job j{static_cast<unsigned>(rng() % 3),
          Bytes(1 + rng() % 2048),
          {},
          static_cast<std::uint32_t>(rng())};
    for (std::uint8_t& b : j.data) b = static_cast<std::uint8_t>(rng());
    for (std::uint8_t& b : j.nonce) b = static_cast<std::uint8_t>(rng());
    if (i == 5) j.counter = 0xFFFFFFFE;  // wraps to 0 inside the job (RFC 8439: mod 2^32)
    jobs.push_back(j);
  }
  r.client([&] {
    for (unsigned i = 0; i < jobs.size(); ++i)
      r.kn.crypto().dispatch(
          r.request(sessions[jobs[i].key], jobs[i].data, jobs[i].nonce, jobs[i].counter, i));
  });
  r.run(2'000'000);
  ASSERT_EQ(r.completed.size(), jobs.size());
  for (unsigned i = 0; i < jobs.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(r.completed[i].tag, i);
    EXPECT_EQ(r.completed[i].error, CryptoError::None);
    EXPECT_EQ(r.completed[i].data,
              chacha20_reference(keys[jobs[i].key], jobs[i].nonce, jobs[i].counter, jobs[i].data));
  }
  // Ring of 8: at most 7 jobs in flight, so most of the 40 waited in the framework.
  EXPECT_GT(r.driver().stats().ring_full, 0u);
  EXPECT_EQ(r.driver().stats().submitted, jobs.size());
  EXPECT_EQ(r.engine.completed(), jobs.size());
  const CryptoStats s = r.kn.crypto().stats();
  EXPECT_EQ(s.completed, jobs.size());
  EXPECT_EQ(s.callbacks, jobs.size());
  EXPECT_EQ(s.failed, 0u);
  EXPECT_EQ(s.blocked, r.driver().stats().ring_full);
}

TEST(CryptoDriver, DescriptorAsTheContractDescribes) {
  CryptoRig r(crypto_config(ring(8)));
  r.engine.set_job_cycles(1'000'000);  // the engine leaves the descriptor alone meanwhile
  r.kn.crypto().new_session(key_of(1));
  const CryptoSessionId s2 = r.kn.crypto().new_session(key_of(2));
  Bytes data(100);
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<std::uint8_t>(i * 3);
  r.client([&] {
    r.kn.crypto().dispatch(
        r.request(s2, data, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 0x01020304, 0));
  });
  r.run(50'000);
  CryptoEngineDriver& d = r.driver();
  const std::uint8_t* desc = r.rig.machine.ram().data() + (d.ring() - kRamBase);
  EXPECT_EQ(le32(desc + 0x00), 1u | 1u << 8);  // ChaCha20, IRQ_ON_DONE
  EXPECT_EQ(le32(desc + 0x04), 100u);
  EXPECT_EQ(le32(desc + 0x08), static_cast<std::uint32_t>(d.slots()));
  EXPECT_EQ(le32(desc + 0x0C), 0u);
  EXPECT_EQ(le32(desc + 0x10), static_cast<std::uint32_t>(d.slots()));
  EXPECT_EQ(le32(desc + 0x14), 0u);
  EXPECT_EQ(le32(desc + 0x18), static_cast<std::uint32_t>(d.key_table() + 32));  // session 2's key
  EXPECT_EQ(le32(desc + 0x20), 0x04030201u);  // nonce bytes 0..3 as a little-endian word
  EXPECT_EQ(le32(desc + 0x24), 0x08070605u);
  EXPECT_EQ(le32(desc + 0x28), 0x0C0B0A09u);
  EXPECT_EQ(le32(desc + 0x2C), 0x01020304u);
  EXPECT_EQ(le32(desc + 0x30), 0u);  // STATUS
  EXPECT_EQ(le32(desc + 0x38), 1u);  // COOKIE = request id 1
  EXPECT_EQ(le32(desc + 0x3C), 0u);
  // The data in the slot and both keys in the table (written at boot).
  const std::uint8_t* slot = r.rig.machine.ram().data() + (d.slots() - kRamBase);
  EXPECT_EQ(Bytes(slot, slot + 100), data);
  const std::uint8_t* keys = r.rig.machine.ram().data() + (d.key_table() - kRamBase);
  const CryptoKey k1 = key_of(1), k2 = key_of(2);
  EXPECT_EQ(Bytes(keys, keys + 32), Bytes(k1.begin(), k1.end()));
  EXPECT_EQ(Bytes(keys + 32, keys + 64), Bytes(k2.begin(), k2.end()));
  // One doorbell: JR_TAIL = 1.
  const std::vector<MmioAccess> tails = r.writes_to(kJrTail);
  ASSERT_EQ(tails.size(), 1u);
  EXPECT_EQ(tails[0].value, 1u);
}

TEST(CryptoDriver, DispatchCostsTheFrameworkTheCopiesTheSetupAndTheDoorbell) {
  CryptoRig r(crypto_config(ring(8)));
  const CryptoSessionId s = r.kn.crypto().new_session(key_of(1));
  Cycle spent = 0;
  r.client([&] {
    const Cycle before = r.kn.machine().now();
    r.kn.crypto().dispatch(r.request(s, Bytes(64, 1), {}, 0, 0));
    spent = r.kn.machine().now() - before;
  });
  r.run();
  // crypto_dispatch; the ring lock (a spin mutex at the engine's device level: THRESHOLD
  // raised, lock_fast); data copy and descriptor write (one memory burst each); setup;
  // JR_TAIL; the unlock (lock_fast, THRESHOLD restored).
  const Cycle ring_lock = kMmio + test_costs().lock_fast;
  EXPECT_EQ(spent, kDispatch + ring_lock + kMmio + kMmio + kJobSetup + kMmio + ring_lock);
  ASSERT_EQ(r.completed.size(), 1u);
}

TEST(CryptoDriver, CompletionHandlerReadsAndClearsIntrState) {
  CryptoRig r(crypto_config(ring(8)));
  const CryptoSessionId s = r.kn.crypto().new_session(key_of(1));
  r.client([&] { r.kn.crypto().dispatch(r.request(s, Bytes(64, 1), {}, 0, 0)); });
  r.run();
  ASSERT_EQ(r.completed.size(), 1u);
  const std::vector<MmioAccess> clears = r.writes_to(kIntrState);
  ASSERT_EQ(clears.size(), 1u);
  EXPECT_EQ(clears[0].value, kDoneBit);
  EXPECT_EQ(r.driver().stats().interrupts, 1u);
  EXPECT_EQ(r.driver().stats().retired, 1u);
  // CryptoDone follows the handler's start (the bottom half ran after the hard handler).
  const std::vector<Ev> starts = r.rig.trace.of(K::HandlerStart);
  const std::vector<Ev> done = r.rig.trace.of(K::CryptoDone);
  ASSERT_EQ(done.size(), 1u);
  ASSERT_FALSE(starts.empty());
  EXPECT_LT(std::get<0>(starts.back()), std::get<0>(done[0]));
}

TEST(CryptoDriver, CoalescingByCountTakesFewerInterrupts) {
  CryptoConfig c = ring(16);
  c.coalesce_count = 4;
  c.coalesce_timeout = 2000;
  CryptoRig r(crypto_config(c));
  const CryptoSessionId s = r.kn.crypto().new_session(key_of(1));
  r.client([&] {
    for (unsigned i = 0; i < 10; ++i)
      r.kn.crypto().dispatch(r.request(s, Bytes(64, std::uint8_t(i)), {}, 0, i));
  });
  r.run();
  ASSERT_EQ(r.completed.size(), 10u);
  // 10 completions, DONE every 4: two by count, the last two by the timeout.
  EXPECT_EQ(r.driver().stats().interrupts, 3u);
}

TEST(CryptoDriver, RingFullBlocksAndEverythingArrivesOnce) {
  CryptoRig r(crypto_config(ring(2)));  // one job in flight at a time
  const CryptoSessionId s = r.kn.crypto().new_session(key_of(9));
  r.client([&] {
    for (unsigned i = 0; i < 6; ++i)
      r.kn.crypto().dispatch(r.request(s, Bytes(32, std::uint8_t(i)), {}, i, i));
  });
  r.run();
  ASSERT_EQ(r.completed.size(), 6u);
  for (unsigned i = 0; i < 6; ++i) {
    EXPECT_EQ(r.completed[i].tag, i);
    EXPECT_EQ(r.completed[i].data,
              chacha20_reference(key_of(9), {}, i, Bytes(32, std::uint8_t(i))));
  }
  EXPECT_EQ(r.engine.completed(), 6u);
  EXPECT_EQ(r.kn.crypto().stats().max_queued, 5u);
  EXPECT_GT(r.driver().stats().ring_full, 0u);
}

// ---- two harts ----

// The engine's completion on hart 1 (crypto.cpus [1]; NetBSD runs the bottom half inline
// in the hard handler, callbacks Immediate) while a thread bound to hart 0 dispatches.
// Ring of 2: one job at a time, so job 3 goes into entry 0, whose descriptor holds job
// 1's DONE and cookie until the driver writes it again. Job 2's callback takes
// kSlowCallback cycles on hart 1; job 3 is dispatched from hart 0 at every offset around
// the callback's end, when the completion looks at the ring again. Without a ring lock
// shared by both harts, some offset lets the completion read entry 0 after process() took
// it and before its descriptor was rewritten: job 1's cookie where job 3 is expected.
TEST(CryptoDriver, CompletionOnAnotherHartNeverSeesAnEntryBeingWritten) {
  constexpr Cycle kSlowCallback = 500;
  for (Cycle offset = kSlowCallback - 60; offset < kSlowCallback + 60; ++offset) {
    SCOPED_TRACE("job 3 dispatched " + std::to_string(offset) + " cycles into job 2's callback");
    CryptoConfig c = ring(2);
    c.cpus = {1};
    CryptoRig r(crypto_config(c, true, 2));
    const CryptoSessionId s = r.kn.crypto().new_session(key_of(5));
    bool slow_callback_started = false;
    std::vector<unsigned> callback_harts;
    r.client_on(0, [&] {
      r.kn.crypto().dispatch(r.request(s, Bytes(64, 1), {}, 0, 1));
      r.spin_until([&] { return r.completed.size() == 1; });
      auto slow = r.request(s, Bytes(64, 2), {}, 0, 2);
      slow->callback = [&](CryptoRequest& done) {
        slow_callback_started = true;
        r.kn.machine().consume(kSlowCallback);
        r.completed.push_back({done.id, done.tag, done.error, done.data});
      };
      r.kn.crypto().dispatch(std::move(slow));
      r.spin_until([&] { return slow_callback_started; });
      r.kn.machine().consume(offset);
      auto third = r.request(s, Bytes(64, 3), {}, 0, 3);
      third->callback = [&](CryptoRequest& done) {
        callback_harts.push_back(r.kn.machine().cpu_id());
        r.completed.push_back({done.id, done.tag, done.error, done.data});
      };
      r.kn.crypto().dispatch(std::move(third));
    });
    ASSERT_NO_THROW(r.run(50'000));
    ASSERT_EQ(r.completed.size(), 3u);
    for (unsigned i = 0; i < 3; ++i) {
      EXPECT_EQ(r.completed[i].tag, i + 1);
      EXPECT_EQ(r.completed[i].error, CryptoError::None);
      EXPECT_EQ(r.completed[i].data,
                chacha20_reference(key_of(5), {}, 0, Bytes(64, std::uint8_t(i + 1))));
    }
    EXPECT_EQ(callback_harts, std::vector<unsigned>{1});  // the completion ran on hart 1
    EXPECT_EQ(r.driver().stats().submitted, 3u);
  }
}

// Thread mode with the completion's hard interrupt on hart 1 and cryptoret on hart 0
// (the client thread keeps hart 1 busy while job 1 completes, so cryptoret is woken onto
// idle hart 0). Job 2
// completes at every offset from job 1's, so its done() on hart 1 falls at some offset
// between cryptoret's empty-queue check and its sleep on hart 0. Masking hart 0's
// interrupts in that window does not stop hart 1; NetBSD's crypto_ret_q_mtx, a spin
// mutex held from the check until cryptoret is on the sleep queue, does: every callback
// runs.
TEST(CryptoDriver, CryptoretMissesNoWakeUpFromAnotherHart) {
  // A slow sleep-queue enqueue (lock_slow_block, spent inside cv_wait before cryptoret is
  // on the queue) widens the window, so offsets 50 cycles apart find it.
  constexpr Cycle kEnqueue = 2'000;
  for (Cycle offset = 0; offset < 4'000; offset += 50) {
    SCOPED_TRACE("job 2 dispatched " + std::to_string(offset) + " cycles after job 1");
    CryptoConfig c = ring(8);
    c.cpus = {1};
    c.callback = CryptoCallbackMode::Thread;
    KernelConfig k = crypto_config(c, true, 2);
    k.costs.lock_slow_block = kEnqueue;
    CryptoRig r(k);
    r.engine.set_job_cycles(20);
    const CryptoSessionId s = r.kn.crypto().new_session(key_of(6));
    std::vector<unsigned> callback_harts;
    r.client_on(1, [&] {
      const Cycle start = r.kn.machine().now();
      for (unsigned i = 1; i <= 2; ++i) {
        auto req = r.request(s, Bytes(64, std::uint8_t(i)), {}, 0, i);
        req->callback = [&](CryptoRequest& done) {
          callback_harts.push_back(r.kn.machine().cpu_id());
          r.completed.push_back({done.id, done.tag, done.error, done.data});
        };
        r.kn.crypto().dispatch(std::move(req));
        // Cycle by cycle, so job 1's interrupt is taken on time.
        if (i == 1) r.spin_until([&] { return r.kn.machine().now() >= start + offset; });
      }
    });
    r.run(30'000);
    ASSERT_EQ(r.completed.size(), 2u);
    EXPECT_EQ(r.completed[0].tag, 1u);
    EXPECT_EQ(r.completed[1].tag, 2u);
    EXPECT_EQ(callback_harts, (std::vector<unsigned>{0, 0}));  // cryptoret on hart 0
    for (const Ev& done : r.rig.trace.of(K::CryptoDone)) EXPECT_EQ(std::get<1>(done), 1u);
  }
}

// ---- bad input and errors ----

TEST(CryptoDriver, TooLongRequestFailsWithoutTouchingTheEngine) {
  CryptoRig r(crypto_config(ring(8, 256)));
  const CryptoSessionId s = r.kn.crypto().new_session(key_of(1));
  r.client([&] { r.kn.crypto().dispatch(r.request(s, Bytes(257, 0), {}, 0, 0)); });
  r.run();
  ASSERT_EQ(r.completed.size(), 1u);
  EXPECT_EQ(r.completed[0].error, CryptoError::TooLong);
  EXPECT_TRUE(r.writes_to(kJrTail).empty());
  EXPECT_EQ(r.engine.started(), 0u);
  EXPECT_EQ(r.driver().stats().submitted, 0u);
}

TEST(CryptoDriver, EngineErrorsOfAnIllegalDescriptorReachTheCallback) {
  // A descriptor corrupted after the driver wrote it (opcode, length): the engine reports
  // BAD_OPCODE / BAD_LENGTH in STATUS and raises ERR; the jobs around it are unaffected.
  CryptoRig r(crypto_config(ring(8)));
  r.engine.set_job_cycles(2'000);
  const CryptoSessionId s = r.kn.crypto().new_session(key_of(1));
  r.client([&] {
    for (unsigned i = 0; i < 4; ++i)
      r.kn.crypto().dispatch(r.request(s, Bytes(64, std::uint8_t(i)), {}, 0, i));
    std::uint8_t* ring_bytes = r.rig.machine.ram().data() + (r.driver().ring() - kRamBase);
    ring_bytes[1 * kDescBytes + 0x00] = 7;     // job 1: opcode 7
    ring_bytes[2 * kDescBytes + 0x06] = 0x01;  // job 2: LENGTH 64 + 0x10000
  });
  r.run();
  ASSERT_EQ(r.completed.size(), 4u);
  EXPECT_EQ(r.completed[0].error, CryptoError::None);
  EXPECT_EQ(r.completed[1].error, CryptoError::BadOpcode);
  EXPECT_EQ(r.completed[2].error, CryptoError::BadLength);
  EXPECT_EQ(r.completed[3].error, CryptoError::None);
  EXPECT_EQ(r.completed[1].data, Bytes(64, 1));  // untouched
  EXPECT_EQ(r.completed[3].data, chacha20_reference(key_of(1), {}, 0, Bytes(64, 3)));
  EXPECT_EQ(r.driver().stats().halts, 0u);
  EXPECT_EQ(r.driver().stats().errors, 2u);
  EXPECT_EQ(r.kn.crypto().stats().failed, 2u);
}

TEST(CryptoDriver, AnIllegalSourceAddressHaltsTheEngineAndTheDriverRecovers) {
  // Job 1's SRC corrupted to an address outside main memory: the engine's read gets a
  // bus error (DMA fault in the data phase: STATUS written, HALT_ERR).
  CryptoRig r(crypto_config(ring(8)));
  r.engine.set_job_cycles(2'000);
  const CryptoSessionId s = r.kn.crypto().new_session(key_of(2));
  r.client([&] {
    for (unsigned i = 0; i < 4; ++i)
      r.kn.crypto().dispatch(r.request(s, Bytes(64, std::uint8_t(i)), {}, 0, i));
    std::uint8_t* src =
        r.rig.machine.ram().data() + (r.driver().ring() - kRamBase) + 1 * kDescBytes + 0x08;
    std::fill(src, src + 4, 0);  // SRC = 0
  });
  r.run();
  ASSERT_EQ(r.completed.size(), 4u);
  EXPECT_EQ(r.completed[1].error, CryptoError::DmaFault);
  for (unsigned i : {0u, 2u, 3u}) {
    EXPECT_EQ(r.completed[i].error, CryptoError::None) << i;
    EXPECT_EQ(r.completed[i].data, chacha20_reference(key_of(2), {}, 0, Bytes(64, std::uint8_t(i))))
        << i;
  }
  EXPECT_EQ(r.driver().stats().halts, 1u);
  EXPECT_EQ(r.driver().stats().resubmitted, 2u);
  EXPECT_EQ(r.engine.started(), 4u);
}

class HaltTest : public ::testing::TestWithParam<FakeCryptoFault> {};

TEST_P(HaltTest, DmaFaultHaltsTheEngineAndTheDriverRecoversLosingNothing) {
  CryptoRig r(crypto_config(ring(8)));
  r.engine.fail_job(2, GetParam());  // the third job started
  const CryptoSessionId s = r.kn.crypto().new_session(key_of(4));
  r.client([&] {
    for (unsigned i = 0; i < 12; ++i)
      r.kn.crypto().dispatch(r.request(s, Bytes(80, std::uint8_t(i)), {}, 0, i));
  });
  r.run();
  ASSERT_EQ(r.completed.size(), 12u);
  for (unsigned i = 0; i < 12; ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(r.completed[i].tag, i);
    if (i == 2) {
      EXPECT_EQ(r.completed[i].error, CryptoError::DmaFault);
    } else {
      EXPECT_EQ(r.completed[i].error, CryptoError::None);
      EXPECT_EQ(r.completed[i].data,
                chacha20_reference(key_of(4), {}, 0, Bytes(80, std::uint8_t(i))));
    }
  }
  EXPECT_EQ(r.driver().stats().halts, 1u);
  EXPECT_EQ(r.engine.srst_count(), 2u);  // boot and recovery
  // None ran twice: every job started once (the faulty one included).
  EXPECT_EQ(r.engine.started(), 12u);
  EXPECT_EQ(r.kn.crypto().stats().failed, 1u);
}

INSTANTIATE_TEST_SUITE_P(Faults, HaltTest,
                         ::testing::Values(FakeCryptoFault::DescriptorFetch, FakeCryptoFault::Data,
                                           FakeCryptoFault::StatusWrite),
                         [](const auto& info) {
                           switch (info.param) {
                             case FakeCryptoFault::DescriptorFetch:
                               return std::string("DescriptorFetch");
                             case FakeCryptoFault::Data:
                               return std::string("Data");
                             case FakeCryptoFault::StatusWrite:
                               return std::string("StatusWrite");
                           }
                           return std::string("?");
                         });

TEST(CryptoDriver, AnEngineThatFaultsEveryJobNeverHangsTheFramework) {
  CryptoRig r(crypto_config(ring(4)));
  for (unsigned i = 0; i < 8; ++i) r.engine.fail_job(i, FakeCryptoFault::Data);
  const CryptoSessionId s = r.kn.crypto().new_session(key_of(1));
  r.client([&] {
    for (unsigned i = 0; i < 8; ++i) r.kn.crypto().dispatch(r.request(s, Bytes(16, 0), {}, 0, i));
  });
  r.run();
  ASSERT_EQ(r.completed.size(), 8u);
  for (const Completed& c : r.completed) EXPECT_EQ(c.error, CryptoError::DmaFault);
  EXPECT_EQ(r.driver().stats().halts, 8u);
  EXPECT_EQ(r.engine.started(), 8u);
}

TEST(CryptoDriver, ThreadModeDeliversThroughCryptoret) {
  CryptoConfig c = ring(8);
  c.callback = CryptoCallbackMode::Thread;
  CryptoRig r(crypto_config(c));
  const CryptoSessionId s = r.kn.crypto().new_session(key_of(3));
  std::vector<std::string> ran_on;
  r.client([&] {
    for (unsigned i = 0; i < 3; ++i) {
      auto req = r.request(s, Bytes(48, std::uint8_t(i)), {}, 0, i);
      req->callback = [&](CryptoRequest& done) {
        ran_on.push_back(r.kn.sched().current().name);
        r.completed.push_back({done.id, done.tag, done.error, done.data});
      };
      r.kn.crypto().dispatch(std::move(req));
    }
  });
  r.run();
  ASSERT_EQ(r.completed.size(), 3u);
  EXPECT_EQ(ran_on, (std::vector<std::string>{"cryptoret", "cryptoret", "cryptoret"}));
  for (unsigned i = 0; i < 3; ++i)
    EXPECT_EQ(r.completed[i].data,
              chacha20_reference(key_of(3), {}, 0, Bytes(48, std::uint8_t(i))));
}

// ---- scenario validation ----

bool mentions(const std::vector<std::string>& errors, const std::string& text) {
  for (const std::string& e : errors)
    if (e.find(text) != std::string::npos) return true;
  return false;
}

TEST(CryptoConfigValidation, DefaultsAreValid) {
  EXPECT_TRUE(validate_config(crypto_config()).empty());
}

TEST(CryptoConfigValidation, RingEntriesArePowersOfTwoFrom2To1024) {
  for (unsigned n : {0u, 1u, 3u, 48u, 2048u}) {
    const auto e = validate_config(crypto_config(ring(n)));
    EXPECT_TRUE(mentions(
        e, "crypto: ring_entries " + std::to_string(n) + " is not a legal job ring length"))
        << n;
  }
  for (unsigned n : {2u, 64u, 1024u})
    EXPECT_TRUE(validate_config(crypto_config(ring(n, 64))).empty()) << n;
}

TEST(CryptoConfigValidation, MaxJobBytesFromOneBlockToTheEnginesLimit) {
  for (unsigned bytes : {0u, 63u, 16385u})
    EXPECT_TRUE(mentions(validate_config(crypto_config(ring(8, bytes))),
                         "max_job_bytes " + std::to_string(bytes)))
        << bytes;
  for (unsigned bytes : {64u, 16384u})
    EXPECT_TRUE(validate_config(crypto_config(ring(8, bytes))).empty()) << bytes;
}

TEST(CryptoConfigValidation, PriorityCpusCoalescingPlatformAndMemory) {
  CryptoConfig c = ring(8);
  c.priority = 0;
  c.cpus = {1};
  c.coalesce_count = 256;
  c.coalesce_timeout = 0x10000;
  auto e = validate_config(crypto_config(c));
  EXPECT_TRUE(mentions(e, "crypto: priority 0 outside 1..7"));
  EXPECT_TRUE(mentions(e, "crypto: enabled on cpu 1 but there are 1 cpus"));
  EXPECT_TRUE(mentions(e, "coalesce_count 256 does not fit COAL.COUNT"));
  EXPECT_TRUE(mentions(e, "coalesce_timeout 65536 does not fit COAL.TIMEOUT"));

  c = ring(8);
  c.coalesce_count = 4;  // no timeout: a burst's tail would never be signalled
  EXPECT_TRUE(
      mentions(validate_config(crypto_config(c)), "coalesce_count 4 without coalesce_timeout"));

  KernelConfig k = crypto_config(ring(1024, 16384));  // 1024 x (64 + 16384) bytes > 2 MiB
  EXPECT_TRUE(mentions(validate_config(k), "crypto: the job ring and its data slots need"));
  k = crypto_config();
  k.platform = test_platform(1);
  EXPECT_TRUE(mentions(validate_config(k), "crypto: the platform has no crypto device"));
  k = crypto_config();
  k.personality = {};
  EXPECT_TRUE(mentions(validate_config(k), "personality \"none\""));
  // Absent engine: nothing is checked.
  EXPECT_TRUE(validate_config(crypto_config(ring(3), false)).empty());
}

}  // namespace crypto_driver_test
}  // namespace irqlab::kernel::test
