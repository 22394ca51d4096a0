// libFuzzer target: the ESP receive path (kernel/net: ether_input, ip_input, esp_input,
// esp_input_cb, udp_input) on the kernel tests' fake machine (tests/kernel), one packet
// per input, under the personality the input picks.
//
// Input: byte 0 chooses (bits 0-1) the personality, linux, freebsd, netbsd or bsd43, and
// (bit 2) what the rest is:
//   clear  the IPv4 payload of protocol 50 as it comes off the wire (SPI, sequence, IV,
//          ciphertext, ICV): the checks before the tag (length, SPI, tag itself);
//   set    a plaintext (UDP header, payload, padding, pad length, next header) that the
//          harness seals for SA 0x1001 with OpenSSL's ChaCha20-Poly1305 (RFC 7634), so a
//          packet passes the tag and the checks after it (padding, the inner header,
//          UDP) get the fuzzer's bytes.
// The harness wraps it in Ethernet and a valid IPv4 header to the stack's own address,
// injects it at cycle 10'000 and runs to cycle 200'000.
// Contract checked (net_stack.h): the packet ends exactly once, read by the receiver or
// dropped with a cause; a sealed UDP datagram for the socket's port with valid padding is
// read with the payload its UDP length says. A crash or a sanitizer report is a finding.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>

#include "net_support.h"

namespace irqlab::kernel::test::net {

const DriverRegistration<SwCryptoDriver> sw_crypto_driver("sw_crypto");
const FakeDeviceRegistration<FakeSwCrypto> sw_crypto_fake("sw_crypto");

namespace {

constexpr Cycle kInjectAt = 10'000, kRunUntil = 200'000;
constexpr std::size_t kMaxEsp = 1400;  // Ethernet + IPv4 + ESP within the NIC's 2048-byte buffer
constexpr std::uint8_t kSealed = 0x04;

[[noreturn]] void finding(const char* what) {
  std::fprintf(stderr, "esp_fuzzer: %s\n", what);
  std::abort();
}

// SPI, sequence 1, IV 1, then `plain` sealed with `sa` (as esp_frame() of net_support.h
// does for a generated plaintext).
Bytes sealed_esp(const SecurityAssociation& sa, std::span<const std::uint8_t> plain) {
  Bytes esp(16);
  put32(esp, 0, sa.spi);
  put32(esp, 4, 1);
  put32(esp, 8, 0);
  put32(esp, 12, 1);
  std::array<std::uint8_t, 12> nonce{};
  std::copy(sa.salt.begin(), sa.salt.end(), nonce.begin());
  std::copy(esp.begin() + 8, esp.begin() + 16, nonce.begin() + 4);
  const Bytes sealed = aead_seal(sa.key, nonce, std::span(esp).first(8), plain);
  esp.insert(esp.end(), sealed.begin(), sealed.end());
  return esp;
}

// Ethernet from 02:00:00:00:00:01 to the stack's MAC, IPv4 10.0.0.1 -> 10.0.0.2 protocol
// 50 with a valid checksum, then `esp`.
Bytes frame_around(std::span<const std::uint8_t> esp) {
  Bytes ip(20);
  ip[0] = 0x45;
  put16(ip, 2, static_cast<std::uint16_t>(20 + esp.size()));
  ip[8] = 64;
  ip[9] = 50;
  ip[12] = 10, ip[15] = 1;
  std::copy(kOurIp.begin(), kOurIp.end(), ip.begin() + 16);
  put16(ip, 10, checksum(ip));
  Bytes frame(kOurMac.begin(), kOurMac.end());
  for (std::uint8_t b : {0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00}) frame.push_back(b);
  frame.insert(frame.end(), ip.begin(), ip.end());
  frame.insert(frame.end(), esp.begin(), esp.end());
  return frame;
}

// The payload the receiver must read for a sealed plaintext that is a valid UDP datagram
// to the socket's port (RFC 4303 padding 1, 2, 3, ..., next header 17, RFC 768 length
// within the datagram); nullopt when the plaintext is not one. Written from the RFCs,
// independently of kernel/net.
std::optional<Bytes> expected_read(std::span<const std::uint8_t> plain) {
  if (plain.size() < 2) return std::nullopt;
  const std::size_t pad = plain[plain.size() - 2];
  if (plain[plain.size() - 1] != 17 || pad + 2 > plain.size()) return std::nullopt;
  const std::size_t datagram = plain.size() - 2 - pad;
  for (std::size_t i = 0; i < pad; ++i)
    if (plain[datagram + i] != i + 1) return std::nullopt;
  if (datagram < 8) return std::nullopt;
  const std::size_t length = std::size_t{plain[4]} << 8 | plain[5];
  const std::uint16_t port = static_cast<std::uint16_t>(plain[2] << 8 | plain[3]);
  if (port != kPort || length < 8 || length > datagram) return std::nullopt;
  return Bytes(plain.begin() + 8, plain.begin() + static_cast<std::ptrdiff_t>(length));
}

}  // namespace
}  // namespace irqlab::kernel::test::net

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace irqlab::kernel;
  using namespace irqlab::kernel::test::net;
  if (size < 1) return 0;
  const std::uint8_t choice = data[0];
  const std::span<const std::uint8_t> rest(data + 1, std::min(size - 1, kMaxEsp));
  const KernelConfig k = net_config(kPersonalities[choice & 0x03]);
  const bool sealed = (choice & kSealed) != 0;
  const Bytes esp = sealed ? sealed_esp(k.ipsec.sas[0], rest) : Bytes(rest.begin(), rest.end());
  if (esp.size() > kMaxEsp + 32) return 0;  // sealed: IV and tag on top of kMaxEsp

  NetRig r(k);
  r.nic.inject(kInjectAt, frame_around(esp));
  r.rig.machine.run_until(kRunUntil);

  const std::size_t reads = r.log.reads.size();
  const std::size_t drops = r.log.drops.contains(1) ? r.log.drops.at(1).size() : 0;
  if (reads + drops != 1) finding("the packet did not end exactly once (read or dropped)");
  if (reads == 1 && r.log.reads[0].packet != 1) finding("a read of a packet never sent");
  if (sealed) {
    // A nested ESP packet (next header 50) or a datagram for another port is not a read.
    if (const std::optional<Bytes> expected = expected_read(rest)) {
      if (reads != 1) finding("a valid sealed datagram was dropped");
      if (r.log.reads[0].payload != *expected)
        finding("the read payload differs from the datagram");
    }
  }
  return 0;
}
