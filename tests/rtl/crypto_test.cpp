// The crypto engine (rtl/crypto/) on its own, with the memory of crypto_harness.h.
// Expected values come from RFC 8439 (its test vectors), OpenSSL libcrypto (EVP_chacha20:
// its 16-byte IV is the 4-byte little-endian block counter followed by the 12-byte nonce),
// and the cycle formulas and coalescing rules of docs/rtl.md "Crypto engine", recomputed
// here from the job geometry and the observed job_done_o cycles; never from the RTL.
#include <algorithm>
#include <array>
#include <cstdint>
#include <gtest/gtest.h>
#include <iostream>
#include <limits>
#include <openssl/evp.h>
#include <random>
#include <string>
#include <vector>

#include "crypto_harness.h"
#include "soc_map.h"

namespace crypto_test {

using irqlab::rtltest::CryptoBench;
using irqlab::rtltest::kMemoryBase;
namespace crypto = irqlab::regs::crypto;
namespace soc = irqlab::cosim::soc;
using Bytes = std::vector<std::uint8_t>;

constexpr std::uint32_t kRing = kMemoryBase;                // descriptors
constexpr std::uint32_t kKeys = kMemoryBase + 0x1000;       // one 64-byte key slot per job
constexpr std::uint32_t kBuffers = kMemoryBase + 0x1'0000;  // 8 KiB of data per job slot
constexpr std::uint32_t kSlotBytes = 0x2000;
constexpr std::uint32_t kOutside = 0x1000'0000;  // no memory there: d_error
constexpr std::uint32_t kStatusDone = 0x001;
constexpr std::uint32_t kOpcodeChaCha20 = 1;
constexpr std::uint32_t kIrqOnDone = 1u << 8;
constexpr std::uint32_t kEn = 1u << crypto::kCtrlEnShift;
constexpr std::uint32_t kSrst = 1u << crypto::kCtrlSrstShift;
constexpr std::uint32_t kDone = 1u << crypto::kIntrStateDoneShift;
constexpr std::uint32_t kErr = 1u << crypto::kIntrStateErrShift;
constexpr std::uint32_t kBusy = 1u << crypto::kStatusBusyShift;
constexpr std::uint32_t kHaltErr = 1u << crypto::kStatusHaltErrShift;

std::uint32_t status_word(unsigned error) { return kStatusDone | (error << 8); }

Bytes hex(const std::string& text) {
  Bytes out;
  for (std::size_t i = 0; i + 1 < text.size(); i += 2)
    out.push_back(static_cast<std::uint8_t>(std::stoul(text.substr(i, 2), nullptr, 16)));
  return out;
}

struct Job {
  std::uint32_t ctl = kOpcodeChaCha20 | kIrqOnDone;
  std::uint32_t length = 64;
  std::uint32_t src = kBuffers;
  std::uint32_t dst = kBuffers + 0x1000;
  std::uint32_t key_addr = kKeys;  // bits 1:0 ignored by the engine
  std::array<std::uint8_t, 32> key{};
  std::array<std::uint32_t, 3> nonce{};
  std::uint32_t counter = 0;
  std::uint64_t cookie = 0x0123'4567'89AB'CDEF;
};

// ChaCha20 of `in` per OpenSSL, block counter 32-bit and wrapping to 0 (RFC 8439 and the
// engine; OpenSSL would carry into the nonce, so the data is split at the wrap).
Bytes openssl_chacha20(const Job& job, const Bytes& in) {
  Bytes out(in.size());
  std::size_t done = 0;
  std::uint32_t counter = job.counter;
  while (done < in.size()) {
    const std::uint64_t blocks_to_wrap = (std::uint64_t{1} << 32) - counter;
    const std::size_t n =
        static_cast<std::size_t>(std::min<std::uint64_t>(in.size() - done, blocks_to_wrap * 64));
    std::array<std::uint8_t, 16> iv{};
    for (unsigned i = 0; i < 4; ++i) iv[i] = static_cast<std::uint8_t>(counter >> (8 * i));
    for (unsigned w = 0; w < 3; ++w)
      for (unsigned i = 0; i < 4; ++i)
        iv[4 + 4 * w + i] = static_cast<std::uint8_t>(job.nonce[w] >> (8 * i));
    EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
    int len = 0;
    EXPECT_EQ(EVP_EncryptInit_ex(ctx, EVP_chacha20(), nullptr, job.key.data(), iv.data()), 1);
    EXPECT_EQ(
        EVP_EncryptUpdate(ctx, out.data() + done, &len, in.data() + done, static_cast<int>(n)), 1);
    EVP_CIPHER_CTX_free(ctx);
    done += n;
    counter = static_cast<std::uint32_t>(counter + blocks_to_wrap);
  }
  return out;
}

// Descriptor `index` of the ring at kRing; STATUS preset to a value the engine must replace.
void put_descriptor(CryptoBench& b, unsigned index, const Job& job) {
  const std::uint32_t d = kRing + 64 * index;
  const std::uint32_t words[16] = {job.ctl,
                                   job.length,
                                   job.src,
                                   0,
                                   job.dst,
                                   0,
                                   job.key_addr,
                                   0,
                                   job.nonce[0],
                                   job.nonce[1],
                                   job.nonce[2],
                                   job.counter,
                                   0xDEAD'BEEF,
                                   0,
                                   static_cast<std::uint32_t>(job.cookie),
                                   static_cast<std::uint32_t>(job.cookie >> 32)};
  for (unsigned w = 0; w < 16; ++w) b.mem_write32(d + 4 * w, words[w]);
  if (job.key_addr != kOutside) b.mem_write(job.key_addr & ~3u, job.key);
}

// The ring at kRing with `entries` slots, head = tail = 0, engine enabled.
void setup_ring(CryptoBench& b, unsigned entries) {
  b.write(crypto::kJrBaseLo, kRing);
  b.write(crypto::kJrSize, entries);
  b.write(crypto::kCtrl, kEn);
}

// Docs, Timing: a transaction costs L + 1 cycles; block b with R source and W destination
// words lasts 2 + max(R(L+1), 20) + W(L+1); a job 25(L+1) + the sum over its blocks.
unsigned words_covering(std::uint32_t address, unsigned bytes) {
  return (address % 4 + bytes + 3) / 4;
}
std::uint64_t block_cycles(unsigned latency, unsigned r, unsigned w) {
  return 2 + std::max<std::uint64_t>(std::uint64_t{r} * (latency + 1), 20) +
         std::uint64_t{w} * (latency + 1);
}
std::uint64_t job_cycles(unsigned latency, const Job& job) {
  std::uint64_t total = 25 * (latency + 1);
  for (std::uint32_t at = 0; at < job.length; at += 64) {
    const unsigned n = std::min<std::uint32_t>(64, job.length - at);
    total += block_cycles(latency, words_covering(job.src, n), words_covering(job.dst, n));
  }
  return total;
}

// Docs, Completion coalescing: the cycles in which DONE is raised, from the counted
// completions' cycles (ascending), N = max(COUNT, 1), timeout T.
std::vector<std::uint64_t> coalesced_done_cycles(const std::vector<std::uint64_t>& counted,
                                                 unsigned count, unsigned timeout) {
  const unsigned n = std::max(count, 1u);
  std::vector<std::uint64_t> out;
  unsigned since = 0;
  // The timer's deadline, kNoDeadline while it is not running (a plain value: GCC 12 at -O3
  // reports a std::optional here as maybe used uninitialized).
  constexpr std::uint64_t kNoDeadline = std::numeric_limits<std::uint64_t>::max();
  std::uint64_t deadline = kNoDeadline;
  for (std::uint64_t c : counted) {
    if (deadline != kNoDeadline && deadline < c) {
      out.push_back(deadline);
      since = 0;
      deadline = kNoDeadline;
    }
    if (deadline == c) {  // the completion is part of the timer's DONE
      out.push_back(c);
      since = 0;
      deadline = kNoDeadline;
      continue;
    }
    if (++since >= n) {
      out.push_back(c);
      since = 0;
      deadline = kNoDeadline;
    } else if (deadline == kNoDeadline && timeout != 0) {
      deadline = c + timeout;
    }
  }
  if (deadline != kNoDeadline) out.push_back(deadline);
  return out;
}

Job vector_job(const std::string& nonce_hex, std::uint32_t counter, std::uint32_t length) {
  Job job;
  for (unsigned i = 0; i < 32; ++i) job.key[i] = static_cast<std::uint8_t>(i);
  const Bytes nonce = hex(nonce_hex);
  for (unsigned w = 0; w < 3; ++w)
    job.nonce[w] = std::uint32_t{nonce[4 * w]} | std::uint32_t{nonce[4 * w + 1]} << 8 |
                   std::uint32_t{nonce[4 * w + 2]} << 16 | std::uint32_t{nonce[4 * w + 3]} << 24;
  job.counter = counter;
  job.length = length;
  return job;
}

// Runs one job at ring index 0 of a 4-entry ring over `plain` at job.src; returns job.dst's bytes.
Bytes run_one(CryptoBench& b, const Job& job, const Bytes& plain) {
  setup_ring(b, 4);
  b.mem_write(job.src, plain);
  put_descriptor(b, 0, job);
  b.write(crypto::kJrTail, 1);
  b.settle();
  EXPECT_EQ(b.mem_read32(kRing + 0x30), kStatusDone);
  return b.mem_read(job.dst, job.length);
}

// ---------------------------------------------------------------------------------------

TEST(Crypto, RegistersReadBackAndOthersError) {
  CryptoBench b;
  EXPECT_EQ(b.read(crypto::kId), 0x4343'3230u);  // "CC20"
  EXPECT_EQ(b.read(crypto::kStatus), 0u);
  b.write(crypto::kJrBaseLo, 0x8765'43FF);
  EXPECT_EQ(b.read(crypto::kJrBaseLo), 0x8765'43C0u);  // 64-byte aligned
  b.write(crypto::kJrBaseHi, 0x1234'5678);
  EXPECT_EQ(b.read(crypto::kJrBaseHi), 0x1234'5678u);
  b.write(crypto::kJrSize, 0xFFFF'F801);
  EXPECT_EQ(b.read(crypto::kJrSize), 0x001u);
  b.write(crypto::kJrTail, 0xFFFF'FFFF);
  EXPECT_EQ(b.read(crypto::kJrTail), 0x7FFu);
  b.write(crypto::kJrHead, 5);  // read-only: ignored
  EXPECT_FALSE(b.last_error());
  EXPECT_EQ(b.read(crypto::kJrHead), 0u);
  b.write(crypto::kCoal, 0xABCD'1234);
  EXPECT_EQ(b.read(crypto::kCoal), 0xABCD'0034u);
  b.write(crypto::kIntrEnable, 0xFFFF'FFFF);
  EXPECT_EQ(b.read(crypto::kIntrEnable), 3u);
  b.write(crypto::kIntrTest, kErr);
  EXPECT_EQ(b.read(crypto::kIntrTest), 0u);
  EXPECT_EQ(b.read(crypto::kIntrState), kErr);
  EXPECT_TRUE(b.dut.intr_o);
  b.write(crypto::kIntrState, kErr);
  EXPECT_EQ(b.read(crypto::kIntrState), 0u);
  EXPECT_FALSE(b.dut.intr_o);
  b.write(crypto::kCtrl, kEn | kSrst);
  EXPECT_EQ(b.read(crypto::kCtrl), kEn);  // SRST reads 0
  EXPECT_EQ(b.read(crypto::kJrTail), 0u);
  for (std::uint64_t offset : {0x00Cu, 0x024u, 0x03Cu, 0x04Cu, 0x054u, 0xFFCu, 0x002u}) {
    b.read(offset);
    EXPECT_TRUE(b.last_error()) << std::hex << offset;
  }
}

// RFC 8439 §2.3.2: key 00..1f, nonce 000000090000004a00000000, counter 1; over 64 zero
// bytes the output is the serialized block.
TEST(Crypto, Rfc8439BlockFunction) {
  CryptoBench b;
  const Job job = vector_job("000000090000004a00000000", 1, 64);
  const Bytes out = run_one(b, job, Bytes(64, 0));
  EXPECT_EQ(out, hex("10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4e"
                     "d2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4e"));
}

// RFC 8439 A.1 test vector #1: all-zero key and nonce, counter 0.
TEST(Crypto, Rfc8439A1Vector1) {
  CryptoBench b;
  Job job;
  job.counter = 0;
  const Bytes out = run_one(b, job, Bytes(64, 0));
  EXPECT_EQ(out, hex("76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7"
                     "da41597c5157488d7724e03fb8d84a376a43b8f41518a11cc387b669b2ee6586"));
}

// RFC 8439 §2.4.2: the 114-byte "sunscreen" plaintext, nonce 000000000000004a00000000, counter 1.
TEST(Crypto, Rfc8439Encryption) {
  CryptoBench b;
  const std::string text =
      "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the "
      "future, sunscreen would be it.";
  ASSERT_EQ(text.size(), 114u);
  const Job job = vector_job("000000000000004a00000000", 1, 114);
  const Bytes out = run_one(b, job, Bytes(text.begin(), text.end()));
  EXPECT_EQ(out, hex("6e2e359a2568f98041ba0728dd0d6981e97e7aec1d4360c20a27afccfd9fae0b"
                     "f91b65c5524733ab8f593dabcd62b3571639d624e65152ab8f530c359f0861d8"
                     "07ca0dbf500d6a6156a38e088a22b65e52bc514d16ccf806818ce91ab7793736"
                     "5af90bbf74a35be6b40b8eedf2785e42874d"));
}

// The block counter wraps modulo 2^32 inside a job (RFC 8439's 32-bit counter).
TEST(Crypto, CounterWrapsModulo2To32) {
  CryptoBench b;
  Job job = vector_job("000000090000004a00000000", 0xFFFF'FFFF, 150);
  Bytes plain(150);
  for (unsigned i = 0; i < plain.size(); ++i) plain[i] = static_cast<std::uint8_t>(3 * i + 1);
  EXPECT_EQ(run_one(b, job, plain), openssl_chacha20(job, plain));
}

// Random jobs against OpenSSL, byte for byte over the whole memory: lengths 1..2048, random
// key (its address with random bits 1:0), nonce and counter, unaligned source and
// destination, in place or not, several jobs per doorbell on an 8-entry ring that wraps,
// memory latency 1..6 and, in some batches, a_ready stalls. Every job's duration matches
// the formula when a_ready does not stall, and back-to-back jobs start the cycle after the
// previous one's job_done_o.
TEST(Crypto, RandomJobsMatchOpenSslByteForByte) {
  CryptoBench b;
  std::mt19937 rng(20260430);
  auto rnd = [&](std::uint32_t lo, std::uint32_t hi) {
    return std::uniform_int_distribution<std::uint32_t>(lo, hi)(rng);
  };
  constexpr unsigned kEntries = 8;
  setup_ring(b, kEntries);
  unsigned tail = 0;
  unsigned jobs_run = 0;
  std::uint64_t bytes_run = 0;
  while (jobs_run < 220) {
    const unsigned batch = rnd(1, kEntries - 1);
    b.memory_latency = rnd(1, 6);
    const bool stalls = rnd(0, 3) == 0;
    // Fresh random data (and canaries) in every slot.
    for (unsigned s = 0; s < batch; ++s)
      for (std::uint32_t a = 0; a < kSlotBytes; ++a)
        b.mem(kBuffers + s * kSlotBytes + a) = static_cast<std::uint8_t>(rng());
    std::vector<Job> jobs;
    for (unsigned s = 0; s < batch; ++s) {
      Job job;
      const std::uint32_t slot = kBuffers + s * kSlotBytes;
      job.ctl = kOpcodeChaCha20 | (rnd(0, 1) ? kIrqOnDone : 0) | (rnd(0, 0x7F'FFFF) << 9);
      job.length = rnd(0, 3) == 0 ? rnd(1, 80) : rnd(1, 2048);
      job.src = slot + rnd(0, 63);
      job.dst = rnd(0, 3) == 0 ? job.src : slot + 0x1000 + rnd(0, 63);
      job.key_addr = kKeys + 64 * s + rnd(0, 3);
      for (auto& k : job.key) k = static_cast<std::uint8_t>(rng());
      for (auto& n : job.nonce) n = static_cast<std::uint32_t>(rng());
      job.counter = rnd(0, 0xFFFF'FFFFu - 40);
      job.cookie = (std::uint64_t{rnd(0, 0xFFFF'FFFFu)} << 32) | rnd(0, 0xFFFF'FFFFu);
      put_descriptor(b, (tail + s) % kEntries, job);
      jobs.push_back(job);
    }
    // The expected memory: each job in order on the memory as it was, status words DONE.
    std::vector<std::uint8_t> expected = b.memory();
    for (unsigned s = 0; s < batch; ++s) {
      const Job& job = jobs[s];
      const Bytes plain(expected.begin() + (job.src - kMemoryBase),
                        expected.begin() + (job.src - kMemoryBase + job.length));
      const Bytes cipher = openssl_chacha20(job, plain);
      std::copy(cipher.begin(), cipher.end(), expected.begin() + (job.dst - kMemoryBase));
      const std::uint32_t status = kRing + 64 * ((tail + s) % kEntries) + 0x30 - kMemoryBase;
      for (unsigned i = 0; i < 4; ++i)
        expected[status + i] = static_cast<std::uint8_t>(kStatusDone >> (8 * i));
    }
    const std::size_t first = b.job_dones().size();
    tail = (tail + batch) % kEntries;
    b.write(crypto::kJrTail, tail);
    if (stalls) {
      b.run_until([&] {
        b.a_ready = rnd(0, 2) != 0;
        return b.job_dones().size() == first + batch;
      });
      b.a_ready = true;
    }
    b.settle();
    ASSERT_EQ(b.job_dones().size(), first + batch);
    ASSERT_EQ(b.job_starts().size(), first + batch);
    EXPECT_EQ(b.read(crypto::kJrHead), tail);
    const auto mismatch = std::mismatch(expected.begin(), expected.end(), b.memory().begin());
    ASSERT_TRUE(mismatch.first == expected.end())
        << "batch of " << batch << ": first wrong byte at 0x" << std::hex
        << kMemoryBase + (mismatch.first - expected.begin());
    for (unsigned s = 0; s < batch; ++s) {
      const std::uint64_t start = b.job_starts()[first + s], done = b.job_dones()[first + s];
      if (!stalls) {
        EXPECT_EQ(done - start, job_cycles(b.memory_latency, jobs[s])) << "job " << s;
        if (s + 1 < batch) {
          EXPECT_EQ(b.job_starts()[first + s + 1], done + 1);
        }
      }
      bytes_run += jobs[s].length;
    }
    jobs_run += batch;
  }
  std::cout << "[ crypto   ] " << jobs_run << " random jobs, " << bytes_run << " bytes\n";
}

// Cycles per 64-byte block and per job at the co-simulation's L = 4, and the formula at
// other latencies and alignments.
TEST(Crypto, CyclesPerBlockAndJob) {
  struct Case {
    unsigned latency;
    std::uint32_t length, src_offset, dst_offset;
  };
  const Case cases[] = {{4, 64, 0, 0},  {4, 128, 0, 0}, {4, 2048, 0, 0}, {4, 1, 3, 1},
                        {4, 100, 1, 3}, {1, 64, 0, 0},  {1, 7, 2, 2},    {2, 300, 3, 0},
                        {7, 64, 0, 2},  {3, 1500, 2, 1}};
  for (const Case& c : cases) {
    CryptoBench b;
    b.memory_latency = c.latency;
    Job job;
    job.length = c.length;
    job.src = kBuffers + c.src_offset;
    job.dst = kBuffers + 0x1000 + c.dst_offset;
    run_one(b, job, Bytes(c.length, 0x5A));
    ASSERT_EQ(b.job_starts().size(), 1u);
    ASSERT_EQ(b.job_dones().size(), 1u);
    const std::uint64_t measured = b.job_dones()[0] - b.job_starts()[0];
    EXPECT_EQ(measured, job_cycles(c.latency, job)) << "L " << c.latency << " length " << c.length;
    if (c.latency == 4 && c.src_offset == 0 && c.dst_offset == 0)
      std::cout << "[ crypto   ] L=4, aligned: " << c.length << "-byte job " << measured
                << " cycles from job_start_o to job_done_o\n";
  }
  std::cout << "[ crypto   ] L=4: a 64-byte aligned block costs " << block_cycles(4, 16, 16)
            << " cycles (2 + 16*5 + 16*5)\n";
}

// STATUS.BUSY and quiescent_o: quiescent when idle, never while a job runs.
TEST(Crypto, QuiescentOnlyWhenIdle) {
  CryptoBench b;
  EXPECT_TRUE(b.dut.quiescent_o);
  setup_ring(b, 4);
  EXPECT_TRUE(b.dut.quiescent_o);
  Job job;
  job.length = 200;
  put_descriptor(b, 0, job);
  b.write(crypto::kJrTail, 1);
  ASSERT_EQ(b.job_starts().size(), 1u);
  EXPECT_EQ(b.read(crypto::kStatus), kBusy);
  while (b.job_dones().empty()) {
    EXPECT_FALSE(b.dut.quiescent_o) << "cycle " << b.cycle();
    b.step();
  }
  b.settle();
  EXPECT_EQ(b.read(crypto::kStatus), 0u);
  EXPECT_TRUE(b.dut.quiescent_o);
  // An illegal ring (tail at or above the size, size 0 or above 1024) starts nothing.
  b.write(crypto::kJrTail, 5);
  b.write(crypto::kJrSize, 0);
  b.write(crypto::kJrTail, 2);
  b.write(crypto::kJrSize, 1025);
  b.step(10);
  EXPECT_TRUE(b.dut.quiescent_o);
  EXPECT_EQ(b.job_starts().size(), 1u);
}

// DONE by count: COUNT = 3, no timer; jobs without IRQ_ON_DONE do not count. DONE is raised
// in the job_done_o cycle of every third counted completion; intr_o rises two cycles later.
TEST(Crypto, CoalescingByCountIsExact) {
  CryptoBench b;
  b.auto_clear_done = true;
  setup_ring(b, 16);
  b.write(crypto::kCoal, 3);
  b.write(crypto::kIntrEnable, kDone);
  const bool irq[] = {true, true, false, true, true, false, true, true, true};
  for (unsigned i = 0; i < 9; ++i) {
    Job job;
    job.ctl = kOpcodeChaCha20 | (irq[i] ? kIrqOnDone : 0);
    job.src = kBuffers + i * kSlotBytes;
    job.dst = job.src + 0x1000;
    put_descriptor(b, i, job);
  }
  b.write(crypto::kJrTail, 9);
  b.settle();
  ASSERT_EQ(b.job_dones().size(), 9u);
  std::vector<std::uint64_t> counted;
  for (unsigned i = 0; i < 9; ++i)
    if (irq[i]) counted.push_back(b.job_dones()[i]);
  const auto expected = coalesced_done_cycles(counted, 3, 0);
  ASSERT_EQ(expected, (std::vector<std::uint64_t>{b.job_dones()[3], b.job_dones()[7]}));
  std::vector<std::uint64_t> raised;
  for (std::uint64_t rise : b.intr_rises()) raised.push_back(rise - 2);
  EXPECT_EQ(raised, expected);
}

// DONE by timeout: COUNT = 4, TIMEOUT T. Jobs arrive alone, in pairs and in a run of five,
// so DONE comes from the timer and from the count; a timer that expires in the very cycle
// of a completion (T = the spacing of back-to-back jobs) includes it.
TEST(Crypto, CoalescingByTimeoutIsExact) {
  for (unsigned timeout : {1u, 150u, 288u, 287u, 1000u}) {
    SCOPED_TRACE(timeout);
    CryptoBench b;
    b.auto_clear_done = true;
    setup_ring(b, 32);
    b.write(crypto::kCoal, (timeout << 16) | 4);
    b.write(crypto::kIntrEnable, kDone);
    unsigned tail = 0;
    for (unsigned group : {1u, 2u, 5u, 1u, 3u}) {
      for (unsigned i = 0; i < group; ++i) {
        Job job;
        job.src = kBuffers + (tail % 8) * kSlotBytes;
        job.dst = job.src + 0x1000;
        put_descriptor(b, tail++, job);
      }
      b.write(crypto::kJrTail, tail);
      b.settle();
      b.step(1500);
    }
    ASSERT_EQ(b.job_dones().size(), tail);
    const auto expected = coalesced_done_cycles(b.job_dones(), 4, timeout);
    std::vector<std::uint64_t> raised;
    for (std::uint64_t rise : b.intr_rises()) raised.push_back(rise - 2);
    EXPECT_EQ(raised, expected);
  }
}

// BAD_OPCODE and BAD_LENGTH: STATUS written with the error, ERR raised, the head advances,
// no data touched, the next job runs; a rejected job takes 17(L+1) cycles.
TEST(Crypto, BadOpcodeAndLengthAreReportedAndSkipped) {
  CryptoBench b;
  setup_ring(b, 8);
  b.write(crypto::kIntrEnable, kErr);
  Job good;
  Job bad_opcode = good;
  bad_opcode.ctl = 2 | kIrqOnDone;
  Job zero = good;
  zero.length = 0;
  Job too_long = good;
  too_long.length = static_cast<std::uint32_t>(soc::kCryptoMaxJobBytes) + 1;
  const Job jobs[] = {bad_opcode, zero, too_long, good};
  for (unsigned i = 0; i < 4; ++i) put_descriptor(b, i, jobs[i]);
  const Bytes plain(64, 0x11);
  b.mem_write(good.src, plain);
  const Bytes dst_before = b.mem_read(good.dst, 64);
  b.write(crypto::kJrTail, 3);
  b.settle();
  EXPECT_EQ(b.mem_read32(kRing + 0x30), status_word(1));
  EXPECT_EQ(b.mem_read32(kRing + 64 + 0x30), status_word(2));
  EXPECT_EQ(b.mem_read32(kRing + 128 + 0x30), status_word(2));
  EXPECT_EQ(b.mem_read(good.dst, 64), dst_before);
  EXPECT_EQ(b.read(crypto::kIntrState), kErr);
  EXPECT_TRUE(b.dut.intr_o);
  EXPECT_EQ(b.read(crypto::kStatus), 0u);  // not halted
  EXPECT_EQ(b.read(crypto::kJrHead), 3u);
  ASSERT_EQ(b.job_dones().size(), 3u);
  for (unsigned i = 0; i < 3; ++i) EXPECT_EQ(b.job_dones()[i] - b.job_starts()[i], 17u * 5);
  // Every word the engine wrote was a STATUS word: nothing else touched.
  for (const auto& beat : b.dma())
    if (beat.opcode != 4) {
      EXPECT_EQ((beat.address - kRing) % 64, 0x30u);
    }
  b.write(crypto::kJrTail, 4);
  b.settle();
  EXPECT_EQ(b.mem_read32(kRing + 192 + 0x30), kStatusDone);
  EXPECT_EQ(b.mem_read(good.dst, 64), openssl_chacha20(good, plain));
}

// The longest legal job, MaxJobBytes, runs.
TEST(Crypto, MaxJobBytesIsAccepted) {
  CryptoBench b;
  b.memory_latency = 1;
  Job job;
  job.length = static_cast<std::uint32_t>(soc::kCryptoMaxJobBytes);
  job.src = kBuffers;
  job.dst = kBuffers + 0x8000 + 1;
  Bytes plain(job.length);
  for (std::size_t i = 0; i < plain.size(); ++i) plain[i] = static_cast<std::uint8_t>(i * 7);
  EXPECT_EQ(run_one(b, job, plain), openssl_chacha20(job, plain));
}

// A DMA fault halts the engine: after a key, source or destination fault STATUS says
// DMA_FAULT; a descriptor or status-write fault halts without (another) status write.
// ERR is raised, HALT_ERR is set, JR_HEAD stays, the next queued job does not start; SRST
// clears HALT_ERR, JR_HEAD and JR_TAIL but keeps INTR_STATE, and the engine works again.
enum class FaultAt { Descriptor, Key, Source, Destination, Status };

void check_fault(FaultAt where) {
  CryptoBench b;
  setup_ring(b, 4);
  b.write(crypto::kIntrEnable, kErr);
  Job job;
  job.length = 256;
  const Bytes plain(256, 0x77);
  b.mem_write(job.src, plain);
  const Bytes dst_before = b.mem_read(job.dst, 256);
  if (where == FaultAt::Key) job.key_addr = kOutside;
  if (where == FaultAt::Source) job.src = kOutside + 1;
  if (where == FaultAt::Destination) b.inject_fault(job.dst + 128);
  if (where == FaultAt::Status) b.inject_fault(kRing + 0x30);
  put_descriptor(b, 0, job);
  put_descriptor(b, 1, Job{});
  if (where == FaultAt::Descriptor) b.write(crypto::kJrBaseLo, kOutside);
  b.write(crypto::kJrTail, 2);
  b.settle();
  EXPECT_EQ(b.read(crypto::kStatus), kHaltErr);
  EXPECT_EQ(b.read(crypto::kIntrState), kErr);
  EXPECT_TRUE(b.dut.intr_o);
  EXPECT_EQ(b.read(crypto::kJrHead), 0u);
  EXPECT_EQ(b.job_starts().size(), 1u);
  const bool status_written =
      where == FaultAt::Key || where == FaultAt::Source || where == FaultAt::Destination;
  EXPECT_EQ(b.job_dones().size(), status_written ? 1u : 0u);
  if (status_written) {
    EXPECT_EQ(b.mem_read32(kRing + 0x30), status_word(3));
  } else {
    EXPECT_EQ(b.mem_read32(kRing + 0x30), 0xDEAD'BEEFu);
  }
  const Bytes dst = b.mem_read(job.dst, 256);
  if (where == FaultAt::Destination) {
    // Blocks 0 and 1 were written, the faulting word and everything after it were not.
    const Bytes cipher = openssl_chacha20(job, plain);
    EXPECT_TRUE(std::equal(dst.begin(), dst.begin() + 128, cipher.begin()));
    EXPECT_TRUE(std::equal(dst.begin() + 128, dst.end(), dst_before.begin() + 128));
  } else if (where != FaultAt::Status) {
    EXPECT_EQ(dst, dst_before);
  }
  // Stays halted.
  b.step(200);
  EXPECT_EQ(b.job_starts().size(), 1u);
  // Soft reset, then a job at index 0 runs.
  b.write(crypto::kCtrl, kEn | kSrst);
  EXPECT_EQ(b.read(crypto::kStatus), 0u);
  EXPECT_EQ(b.read(crypto::kJrHead), 0u);
  EXPECT_EQ(b.read(crypto::kJrTail), 0u);
  EXPECT_EQ(b.read(crypto::kIntrState), kErr);  // kept
  b.write(crypto::kJrBaseLo, kRing);
  b.clear_faults();
  Job again;
  again.length = 100;
  const Bytes plain2(100, 0x42);
  b.mem_write(again.src, plain2);
  b.mem_write32(kRing + 0x30, 0);
  put_descriptor(b, 0, again);
  b.write(crypto::kIntrState, kErr);
  b.write(crypto::kJrTail, 1);
  b.settle();
  EXPECT_EQ(b.mem_read32(kRing + 0x30), kStatusDone);
  EXPECT_EQ(b.mem_read(again.dst, 100), openssl_chacha20(again, plain2));
  EXPECT_EQ(b.read(crypto::kIntrState), kDone);  // IRQ_ON_DONE, COUNT 0: every completion
  EXPECT_EQ(b.read(crypto::kJrHead), 1u);
}

TEST(Crypto, DescriptorFaultHalts) { check_fault(FaultAt::Descriptor); }
TEST(Crypto, KeyFaultWritesDmaFaultAndHalts) { check_fault(FaultAt::Key); }
TEST(Crypto, SourceFaultWritesDmaFaultAndHalts) { check_fault(FaultAt::Source); }
TEST(Crypto, DestinationFaultWritesDmaFaultAndHalts) { check_fault(FaultAt::Destination); }
TEST(Crypto, StatusWriteFaultHalts) { check_fault(FaultAt::Status); }

// SRST in the middle of a job: the engine stops at the edge of the write, the response on
// the wire is awaited and dropped, and the next job runs normally.
TEST(Crypto, SoftResetAbortsARunningJob) {
  for (unsigned delay : {3u, 40u, 500u, 1203u}) {
    SCOPED_TRACE(delay);
    CryptoBench b;
    setup_ring(b, 4);
    Job job;
    job.length = 2048;
    put_descriptor(b, 0, job);
    b.write(crypto::kJrTail, 1);
    b.step(delay);
    b.write(crypto::kCtrl, kEn | kSrst);
    EXPECT_EQ(b.read(crypto::kStatus), 0u);
    EXPECT_EQ(b.read(crypto::kJrHead), 0u);
    b.settle();
    EXPECT_TRUE(b.job_dones().empty());
    Job next;
    next.length = 70;
    next.src = kBuffers + 3;
    const Bytes plain(70, 0x99);
    b.mem_write(next.src, plain);
    put_descriptor(b, 0, next);
    b.write(crypto::kJrTail, 1);
    b.settle();
    EXPECT_EQ(b.mem_read32(kRing + 0x30), kStatusDone);
    EXPECT_EQ(b.mem_read(next.dst, 70), openssl_chacha20(next, plain));
  }
}

// CTRL.EN = 0 stops taking jobs (the running one finishes); EN = 1 resumes.
TEST(Crypto, DisabledEngineTakesNoJob) {
  CryptoBench b;
  b.write(crypto::kJrBaseLo, kRing);
  b.write(crypto::kJrSize, 4);
  put_descriptor(b, 0, Job{});
  b.write(crypto::kJrTail, 1);
  b.step(100);
  EXPECT_TRUE(b.job_starts().empty());
  EXPECT_TRUE(b.dut.quiescent_o);
  b.write(crypto::kCtrl, kEn);
  b.settle();
  EXPECT_EQ(b.job_dones().size(), 1u);
  EXPECT_EQ(b.read(crypto::kJrHead), 1u);
}

// The RTL's own checks run in every test above; this one shows they fire: a D response
// while no transaction is outstanding violates the one-outstanding protocol.
TEST(Crypto, AssertionFiresOnSpuriousDmaResponse) {
  CryptoBench b(/*catch_assertions=*/true);
  b.step(3);
  EXPECT_FALSE(b.assertion_fired());
  b.spurious_response();
  b.step();
  EXPECT_TRUE(b.assertion_fired());
}

}  // namespace crypto_test
