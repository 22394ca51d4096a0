// The crypto engine served by the RTL domain (cosim/rtl/crypto_port.h): the real Verilated
// SoC, its register port driven directly, the engine's DMA answered by a plain memory
// behind DmaTarget. No SystemC process, no kernel. A job ring in that memory, programmed
// as docs/rtl.md (Crypto engine) says: the engine's output must equal OpenSSL's ChaCha20
// (RFC 8439) of the same key, nonce and counter, and its job pulses come out as
// CryptoJobStart / CryptoJobDone with the job's ring index, whether quiescent stretches
// are skipped or not.
#include <array>
#include <gtest/gtest.h>
#include <map>
#include <openssl/evp.h>
#include <vector>

#include "drivers/regs/crypto_regs.h"
#include "rtl/rtl_domain.h"
#include "rtl_register_access.h"
#include "soc_map.h"

namespace irqlab::cosim {
namespace crypto_dma_test {

namespace reg = regs::crypto;
using Bytes = std::vector<std::uint8_t>;

constexpr std::uint64_t kPeriodPs = 10'000;
constexpr std::uint32_t kMemBase = 0x8000'0000;
constexpr std::uint32_t kMemBytes = 0x4000;
constexpr std::uint32_t kRing = kMemBase;  // 4 descriptors of 64 bytes
constexpr std::uint32_t kKey = kMemBase + 0x400;
constexpr std::uint32_t kSrc = kMemBase + 0x1000;
constexpr std::uint32_t kDst = kMemBase + 0x2000;
constexpr unsigned kLatency = 3;  // cycles from a DMA access's accept to its response

std::uint32_t crypto_base() {
  for (const soc::Device& d : soc::kDevices)
    if (std::string_view(d.name) == "crypto") return static_cast<std::uint32_t>(d.base);
  throw std::logic_error("no crypto device in the SoC");
}

// Little-endian word memory at kMemBase; anything else answers d_error.
struct Memory : DmaTarget {
  Bytes bytes = Bytes(kMemBytes, 0);
  Completion access(const TlRequest& request) override {
    if (request.address < kMemBase || request.address + 4 > kMemBase + kMemBytes)
      return {{true, 0}, kLatency};
    std::uint8_t* p = &bytes[request.address - kMemBase];
    if (!request.write)
      return {{false, static_cast<std::uint32_t>(p[0] | p[1] << 8 | p[2] << 16 | p[3] << 24)},
              kLatency};
    for (unsigned i = 0; i < 4; ++i) p[i] = static_cast<std::uint8_t>(request.data >> (8 * i));
    return {{false, 0}, kLatency};
  }
  void word(std::uint32_t address, std::uint32_t value) {
    for (unsigned i = 0; i < 4; ++i)
      bytes[address - kMemBase + i] = static_cast<std::uint8_t>(value >> (8 * i));
  }
  std::uint32_t word(std::uint32_t address) const {
    const std::uint8_t* p = &bytes[address - kMemBase];
    return static_cast<std::uint32_t>(p[0] | p[1] << 8 | p[2] << 16 | p[3] << 24);
  }
};

struct Events : kernel::TraceSink {
  std::vector<kernel::TraceEvent> seen;
  void record(const kernel::TraceEvent& e) override {
    if (e.kind == kernel::TraceKind::CryptoJobStart || e.kind == kernel::TraceKind::CryptoJobDone)
      seen.push_back(e);
  }
};

// ChaCha20 of `data` (RFC 8439) by OpenSSL: IV = counter (little-endian) || nonce.
Bytes chacha20(const std::array<std::uint8_t, 32>& key, const std::array<std::uint8_t, 12>& nonce,
               std::uint32_t counter, const Bytes& data) {
  std::array<std::uint8_t, 16> iv{};
  for (unsigned i = 0; i < 4; ++i) iv[i] = static_cast<std::uint8_t>(counter >> (8 * i));
  std::copy(nonce.begin(), nonce.end(), iv.begin() + 4);
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  Bytes out(data.size());
  int n = 0;
  EVP_EncryptInit_ex(ctx, EVP_chacha20(), nullptr, key.data(), iv.data());
  EVP_EncryptUpdate(ctx, out.data(), &n, data.data(), static_cast<int>(data.size()));
  EVP_CIPHER_CTX_free(ctx);
  return out;
}

struct Bench {
  RtlDomain rtl;
  Memory memory;
  Events events;
  kernel::Tracer tracer;
  explicit Bench(bool skip) : rtl(kPeriodPs, std::nullopt, skip) {
    rtl.attach_crypto(memory);
    tracer.attach(&events);
    rtl.emit_into(tracer);
  }
  // One register access through the TL-UL port, as the bus bridge runs it.
  std::uint32_t access(bool write, std::uint64_t offset, std::uint32_t data = 0) {
    return rtl_register_access(rtl, write, crypto_base() + static_cast<std::uint32_t>(offset),
                               data);
  }
};

// Runs two ChaCha20 jobs through a 4-entry ring and checks output, status and events.
void run_two_jobs(bool skip) {
  Bench b(skip);
  std::array<std::uint8_t, 32> key{};
  for (unsigned i = 0; i < 32; ++i) key[i] = static_cast<std::uint8_t>(0xA0 + 7 * i);
  const std::array<std::uint8_t, 12> nonce{0, 0, 0, 9, 0, 0, 0, 0x4A, 0, 0, 0, 0};
  for (unsigned i = 0; i < 32; i += 4)
    b.memory.word(kKey + i, static_cast<std::uint32_t>(key[i] | key[i + 1] << 8 | key[i + 2] << 16 |
                                                       key[i + 3] << 24));
  Bytes source(192);
  for (std::size_t i = 0; i < source.size(); ++i) source[i] = static_cast<std::uint8_t>(i * 13 + 5);
  std::copy(source.begin(), source.end(), b.memory.bytes.begin() + (kSrc - kMemBase));
  const std::array<std::pair<std::uint32_t, std::uint32_t>, 2> jobs{
      {{128, 1}, {64, 7}}};  // length, counter
  for (unsigned j = 0; j < jobs.size(); ++j) {
    const std::uint32_t d = kRing + 64 * j;
    b.memory.word(d + 0x00, 1U | 1U << 8);  // ChaCha20, IRQ_ON_DONE
    b.memory.word(d + 0x04, jobs[j].first);
    b.memory.word(d + 0x08, kSrc);
    b.memory.word(d + 0x10, kDst + 0x400 * j);
    b.memory.word(d + 0x18, kKey);
    for (unsigned w = 0; w < 3; ++w)
      b.memory.word(d + 0x20 + 4 * w,
                    static_cast<std::uint32_t>(nonce[4 * w] | nonce[4 * w + 1] << 8 |
                                               nonce[4 * w + 2] << 16 | nonce[4 * w + 3] << 24));
    b.memory.word(d + 0x2C, jobs[j].second);
  }
  b.access(true, reg::kJrBaseLo, kRing);
  b.access(true, reg::kJrSize, 4);
  b.access(true, reg::kIntrEnable, 3);
  b.access(true, reg::kCtrl, 1);
  b.access(true, reg::kJrTail, 2);
  b.rtl.run_until(b.rtl.cycle() + 20'000, 0);

  for (unsigned j = 0; j < jobs.size(); ++j) {
    const Bytes in(source.begin(), source.begin() + jobs[j].first);
    const Bytes expected = chacha20(key, nonce, jobs[j].second, in);
    const auto out = b.memory.bytes.begin() + (kDst + 0x400 * j - kMemBase);
    EXPECT_EQ(Bytes(out, out + jobs[j].first), expected) << "job " << j;
    EXPECT_EQ(b.memory.word(kRing + 64 * j + 0x30), 1U) << "STATUS: done, no error";
  }
  EXPECT_EQ(b.access(false, reg::kJrHead), 2U);
  ASSERT_EQ(b.events.seen.size(), 4U);
  using kernel::TraceKind;
  EXPECT_EQ(b.events.seen[0].kind, TraceKind::CryptoJobStart);
  EXPECT_EQ(b.events.seen[0].arg, 0U);
  EXPECT_EQ(b.events.seen[1].kind, TraceKind::CryptoJobDone);
  EXPECT_EQ(b.events.seen[1].arg, 0U);
  EXPECT_EQ(b.events.seen[2].kind, TraceKind::CryptoJobStart);
  EXPECT_EQ(b.events.seen[2].arg, 1U);
  EXPECT_EQ(b.events.seen[3].kind, TraceKind::CryptoJobDone);
  EXPECT_EQ(b.events.seen[3].arg, 1U);
  EXPECT_LT(b.events.seen[0].cycle, b.events.seen[1].cycle);
  EXPECT_LE(b.events.seen[1].cycle, b.events.seen[2].cycle);
}

TEST(CryptoDma, JobsThroughTheRingMatchOpensslAndEmitTheirPulses) { run_two_jobs(true); }

TEST(CryptoDma, SkippingQuiescentCyclesChangesNothing) { run_two_jobs(false); }

}  // namespace crypto_dma_test
}  // namespace irqlab::cosim
