#pragma once
// Helpers of the network stack tests (net_*_test.cpp): ESP packets built with OpenSSL's
// ChaCha20-Poly1305 AEAD (the independent reference, RFC 7634 / RFC 8439 §2.8), a
// test-only synchronous crypto driver doing ChaCha20 with OpenSSL, and a rig with the
// fake NIC.
#include <array>
#include <cstdint>
#include <gtest/gtest.h>
#include <map>
#include <openssl/evp.h>
#include <optional>
#include <span>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "crypto/ocf.h"
#include "drivers/driver_registry.h"
#include "fake_devices/fake_nic.h"
#include "machine/bus_error.h"
#include "net/net_stack.h"
#include "personality/freebsd/freebsd.h"
#include "personality/linux/linux.h"
#include "personality_support.h"

namespace irqlab::kernel::test::net {

using Bytes = std::vector<std::uint8_t>;

constexpr Addr kNicBase = 0x10020000;
constexpr unsigned kNicSource = 5;
constexpr Addr kSwCryptoBase = 0x10040000;
constexpr Addr kRamBase = 0x80000000, kRamSize = 4 << 20;
constexpr std::array<std::uint8_t, 6> kOurMac{0x52, 0x54, 0x00,
                                              0x12, 0x34, 0x56};  // NicConfig's default
constexpr std::array<std::uint8_t, 4> kOurIp{10, 0, 0, 2};
constexpr std::uint16_t kPort = 5001;

// ---- OpenSSL ----------------------------------------------------------------------

// ChaCha20 (RFC 8439 §2.4) of `data` in place: OpenSSL's IV is the block counter
// (little-endian) followed by the 12-byte nonce.
inline void chacha20(const std::array<std::uint8_t, 32>& key,
                     const std::array<std::uint8_t, 12>& nonce, std::uint32_t counter,
                     std::span<std::uint8_t> data) {
  std::array<std::uint8_t, 16> iv{};
  for (int i = 0; i < 4; ++i) iv[i] = static_cast<std::uint8_t>(counter >> (8 * i));
  std::copy(nonce.begin(), nonce.end(), iv.begin() + 4);
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  int n = 0;
  bool ok =
      EVP_EncryptInit_ex(ctx, EVP_chacha20(), nullptr, key.data(), iv.data()) == 1 &&
      EVP_EncryptUpdate(ctx, data.data(), &n, data.data(), static_cast<int>(data.size())) == 1;
  EVP_CIPHER_CTX_free(ctx);
  if (!ok) throw std::runtime_error("OpenSSL ChaCha20 failed");
}

// AEAD_CHACHA20_POLY1305 seal (RFC 8439 §2.8): ciphertext || 16-byte tag.
inline Bytes aead_seal(const std::array<std::uint8_t, 32>& key,
                       const std::array<std::uint8_t, 12>& nonce, std::span<const std::uint8_t> aad,
                       std::span<const std::uint8_t> plaintext) {
  Bytes out(plaintext.size() + 16);
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  int n = 0;
  bool ok = EVP_EncryptInit_ex(ctx, EVP_chacha20_poly1305(), nullptr, nullptr, nullptr) == 1 &&
            EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_IVLEN, 12, nullptr) == 1 &&
            EVP_EncryptInit_ex(ctx, nullptr, nullptr, key.data(), nonce.data()) == 1 &&
            EVP_EncryptUpdate(ctx, nullptr, &n, aad.data(), static_cast<int>(aad.size())) == 1 &&
            (plaintext.empty() || EVP_EncryptUpdate(ctx, out.data(), &n, plaintext.data(),
                                                    static_cast<int>(plaintext.size())) == 1) &&
            EVP_EncryptFinal_ex(ctx, out.data() + plaintext.size(), &n) == 1 &&
            EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, 16, out.data() + plaintext.size()) == 1;
  EVP_CIPHER_CTX_free(ctx);
  if (!ok) throw std::runtime_error("OpenSSL ChaCha20-Poly1305 failed");
  return out;
}

// ---- ESP packets (crypto_contract.md §3) ------------------------------------------

inline SecurityAssociation test_sa(std::uint32_t spi) {
  SecurityAssociation sa;
  sa.spi = spi;
  for (std::size_t i = 0; i < sa.key.size(); ++i)
    sa.key[i] = static_cast<std::uint8_t>(spi * 7 + i * 13 + 1);
  sa.salt = {static_cast<std::uint8_t>(spi), 0xA5, 0x5A, 0x3C};
  return sa;
}

// What to spoil in a packet, for the bad-input tests.
struct Spoil {
  bool tag = false;          // flip a bit of the ICV
  bool padding = false;      // a padding byte off by one (the packet has 4 extra pad bytes)
  bool ip_checksum = false;  // IPv4 header checksum off by one
  std::optional<std::uint32_t> spi{};  // send with this SPI (sealed with the SA's key anyway)
  std::size_t truncate_esp = 0;        // if non-zero: the ESP part cut to this many bytes
};

inline void put16(Bytes& b, std::size_t at, std::uint16_t v) {
  b[at] = static_cast<std::uint8_t>(v >> 8);
  b[at + 1] = static_cast<std::uint8_t>(v);
}
inline void put32(Bytes& b, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) b[at + i] = static_cast<std::uint8_t>(v >> (24 - 8 * i));
}

// RFC 1071 checksum, written here from the RFC for the test's own headers.
inline std::uint16_t checksum(std::span<const std::uint8_t> h) {
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i + 1 < h.size(); i += 2) sum += std::uint32_t{h[i]} << 8 | h[i + 1];
  while (sum >> 16) sum = (sum & 0xFFFF) + (sum >> 16);
  return static_cast<std::uint16_t>(~sum);
}

// Ethernet | IPv4 | ESP(SPI, seq, IV = seq as 64-bit BE, ChaCha20-Poly1305 of UDP(payload)
// + padding 1, 2, ... + pad length + next header 17) | ICV.
inline Bytes esp_frame(const SecurityAssociation& sa, std::uint32_t seq,
                       std::span<const std::uint8_t> payload, const Spoil& spoil = {}) {
  Bytes plain(8);
  put16(plain, 0, 4000);
  put16(plain, 2, kPort);
  put16(plain, 4, static_cast<std::uint16_t>(8 + payload.size()));
  plain.insert(plain.end(), payload.begin(), payload.end());
  std::size_t pad = (4 - (plain.size() + 2) % 4) % 4;
  if (spoil.padding) pad += 4;
  for (std::size_t i = 1; i <= pad; ++i) plain.push_back(static_cast<std::uint8_t>(i));
  if (spoil.padding) plain[plain.size() - 2] ^= 0x40;
  plain.push_back(static_cast<std::uint8_t>(pad));
  plain.push_back(17);

  Bytes esp(16);
  put32(esp, 0, spoil.spi.value_or(sa.spi));
  put32(esp, 4, seq);
  put32(esp, 8, 0);
  put32(esp, 12, seq);
  std::array<std::uint8_t, 12> nonce{};
  std::copy(sa.salt.begin(), sa.salt.end(), nonce.begin());
  std::copy(esp.begin() + 8, esp.begin() + 16, nonce.begin() + 4);
  const Bytes sealed = aead_seal(sa.key, nonce, std::span(esp).first(8), plain);
  esp.insert(esp.end(), sealed.begin(), sealed.end());
  if (spoil.tag) esp.back() ^= 0x01;
  if (spoil.truncate_esp != 0) esp.resize(spoil.truncate_esp);

  Bytes ip(20);
  ip[0] = 0x45;
  put16(ip, 2, static_cast<std::uint16_t>(20 + esp.size()));
  put16(ip, 4, static_cast<std::uint16_t>(seq));
  put16(ip, 6, 0x4000);  // DF
  ip[8] = 64;
  ip[9] = 50;
  ip[12] = 10, ip[13] = 0, ip[14] = 0, ip[15] = 1;
  std::copy(kOurIp.begin(), kOurIp.end(), ip.begin() + 16);
  put16(ip, 10, static_cast<std::uint16_t>(checksum(ip) + (spoil.ip_checksum ? 1 : 0)));

  Bytes frame(kOurMac.begin(), kOurMac.end());
  for (std::uint8_t b : {0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00}) frame.push_back(b);
  frame.insert(frame.end(), ip.begin(), ip.end());
  frame.insert(frame.end(), esp.begin(), esp.end());
  return frame;
}

// ---- a test-only synchronous crypto driver ----------------------------------------

// Device "sw_crypto": no registers; its driver registers with the crypto framework at
// attach() and runs each request at once with OpenSSL's ChaCha20, completing it from
// process() as a synchronous (software) OCF driver does.
class SwCryptoDriver final : public Driver, public CryptoDriver {
 public:
  SwCryptoDriver(Kernel& kernel, const PlatformDevice& device) : Driver(kernel, device) {}
  void attach() override { kernel_.crypto().register_driver(*this); }
  void boot_cpu(unsigned) override {}
  void new_session(CryptoSessionId id, const CryptoKey& key) override { keys_[id] = key; }
  bool process(CryptoRequest& request) override {
    chacha20(keys_.at(request.session), request.nonce, request.counter, request.data);
    ++processed;
    kernel_.crypto().done(request);
    return true;
  }
  unsigned processed = 0;

 private:
  std::map<CryptoSessionId, CryptoKey> keys_;
};

class FakeSwCrypto final : public FakeDevice {
 public:
  FakeSwCrypto(const PlatformDevice&, const PlatformMap&, unsigned) {}
  Addr window() const override { return 4; }
  std::uint32_t access(const FakeAccess& a) override {
    throw BusError(a.addr, a.write, "sw_crypto has no registers");
  }
};

// ---- configuration and rig --------------------------------------------------------

inline PersonalityConfig personality(std::string_view name) {
  if (name == "linux") return lnx::selected();
  if (name == "freebsd") return freebsd::selected();
  if (name == "netbsd") return netbsd::selected();
  return bsd43::selected();
}

inline const std::vector<std::string_view> kPersonalities{"linux", "freebsd", "netbsd", "bsd43"};

inline KernelConfig net_config(std::string_view name) {
  KernelConfig k = test_config(1);
  k.platform.devices.push_back({"nic", kNicBase, {kNicSource}});
  k.platform.devices.push_back({"sw_crypto", kSwCryptoBase, {}});
  k.platform.ram_base = kRamBase;
  k.platform.ram_size = kRamSize;
  k.personality = personality(name);
  k.nic.present = true;
  k.nic.buffer_size = 2048;
  k.costs.nic_rx_frame = 50;
  k.costs.nic_refill = 6;
  k.costs.nic_tx_clean = 5;
  k.costs.crypto_dispatch = 30;
  k.costs.crypto_done = 25;
  k.costs.cryptoret_item = 15;
  k.costs.ether_input = 40;
  k.costs.ip_input = 60;
  k.costs.esp_input = 90;
  k.costs.esp_input_cb = 70;
  k.costs.poly1305_block = 8;
  k.costs.udp_input = 35;
  k.costs.socket_enqueue = 45;
  k.costs.socket_read = 55;
  k.ipsec.present = true;
  k.ipsec.local_ip = kOurIp;
  k.ipsec.udp_port = kPort;
  k.ipsec.sas = {test_sa(0x1001), test_sa(0x2002)};
  // The fake machine takes interrupts only between steps, and a step of the busy user
  // process U is long (NetStack's kBusyUserStep), so the tests let the CPU idle instead
  // (the CPU model cuts U's steps at the interrupt's cycle; a test below runs U).
  k.ipsec.busy_user = false;
  return k;
}

// What the stack reported on the stream, per packet id.
class NetLog : public TraceSink {
 public:
  void record(const TraceEvent& e) override {
    if (e.kind == TraceKind::SocketRead)
      reads.push_back({e.arg, Bytes(e.data.begin(), e.data.end())});
    if (e.kind == TraceKind::PacketDrop) drops[e.arg].push_back(static_cast<NetDropCause>(e.arg2));
    if (e.kind == TraceKind::PacketStage)
      stages[e.arg].push_back({static_cast<PacketStage>(e.arg2), e.cycle});
  }
  struct Read {
    std::uint32_t packet;
    Bytes payload;
  };
  struct Stage {
    PacketStage stage;
    Cycle cycle;
  };
  std::vector<Read> reads;
  std::map<std::uint32_t, std::vector<NetDropCause>> drops;
  std::map<std::uint32_t, std::vector<Stage>> stages;
};

struct NetRig {
  explicit NetRig(const KernelConfig& k) : rig(k), nic(rig.machine.device<FakeNic>("nic")) {
    nic.connect_memory(rig.machine.ram(), kRamBase);
    nic.set_fifo_frames(64);
    rig.tracer.attach(&log);
  }
  ~NetRig() { rig.tracer.detach(&log); }
  NetStack& net() { return rig.kernel->net(); }
  Rig rig;
  FakeNic& nic;
  NetLog log;
};

}  // namespace irqlab::kernel::test::net
