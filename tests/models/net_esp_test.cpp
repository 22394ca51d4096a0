// ESP packets (models/net/esp_packet.h) and ESP traffic (models/net/esp_traffic.h) against
// the specifications, never against the builder itself:
// - the AEAD against RFC 8439 §2.8.2's test vector;
// - every frame taken apart here by the layout of the crypto contract §3 (RFC 4303, RFC
//   7634) and decrypted independently: with OpenSSL's AEAD open (tag checked), and the
//   kernel's way (ChaCha20 from block counter 0 over 64 zero bytes and the ciphertext, then
//   Poly1305 per RFC 8439 §2.8 with the one-time key from the first 32 output bytes);
// - the traffic's SA rotation, sequence numbers, bad tags, malformed kinds and recorded
//   expectations as net/esp_traffic.h documents them;
// - a pcap of ESP frames replays unchanged, and tshark decodes its ESP headers.
#include <cstdio>
#include <gtest/gtest.h>
#include <memory>
#include <openssl/evp.h>
#include <optional>
#include <set>
#include <string>

#include "net/esp_packet.h"
#include "net/pcap_file.h"
#include "net/traffic.h"
#include "net_test_support.h"

namespace irqlab::models::net {
namespace net_esp_test {

using Bytes = std::vector<std::uint8_t>;

Bytes hex(const std::string& text) {
  Bytes out;
  for (std::size_t i = 0; i + 1 < text.size(); i += 2)
    out.push_back(static_cast<std::uint8_t>(std::stoi(text.substr(i, 2), nullptr, 16)));
  return out;
}

unsigned get16(const Bytes& b, std::size_t at) { return unsigned{b[at]} << 8 | b[at + 1]; }
std::uint32_t get32(const Bytes& b, std::size_t at) {
  return std::uint32_t{b[at]} << 24 | std::uint32_t{b[at + 1]} << 16 |
         std::uint32_t{b[at + 2]} << 8 | b[at + 3];
}

// RFC 1071: the one's-complement sum of the header including its checksum is 0xFFFF.
bool ipv4_checksum_ok(const Bytes& f) {
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i < 20; i += 2) sum += get16(f, 14 + i);
  while (sum > 0xFFFF) sum = (sum & 0xFFFF) + (sum >> 16);
  return sum == 0xFFFF;
}

// OpenSSL's AEAD open: the plaintext, or nullopt when the tag does not verify.
std::optional<Bytes> aead_open(const std::array<std::uint8_t, 32>& key, const Bytes& nonce,
                               const Bytes& aad, const Bytes& ciphertext, const Bytes& tag) {
  std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(),
                                                                      &EVP_CIPHER_CTX_free);
  EXPECT_EQ(
      EVP_DecryptInit_ex(ctx.get(), EVP_chacha20_poly1305(), nullptr, key.data(), nonce.data()), 1);
  int n = 0;
  EXPECT_EQ(EVP_DecryptUpdate(ctx.get(), nullptr, &n, aad.data(), static_cast<int>(aad.size())), 1);
  Bytes plain(ciphertext.size());
  EXPECT_EQ(EVP_DecryptUpdate(ctx.get(), plain.data(), &n, ciphertext.data(),
                              static_cast<int>(ciphertext.size())),
            1);
  Bytes tag_copy = tag;
  EXPECT_EQ(EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_SET_TAG, 16, tag_copy.data()), 1);
  int last = 0;
  if (EVP_DecryptFinal_ex(ctx.get(), plain.data() + n, &last) != 1) return std::nullopt;
  return plain;
}

// The kernel's decryption (contract §3): one ChaCha20 pass from counter 0 over 64 zero
// bytes and the ciphertext; the tag is Poly1305 (RFC 8439 §2.8) keyed with output 0..31.
struct KernelWay {
  Bytes plaintext;
  bool tag_ok = false;
};
KernelWay kernel_way(const std::array<std::uint8_t, 32>& key, const Bytes& nonce, const Bytes& aad,
                     const Bytes& ciphertext, const Bytes& tag) {
  Bytes data(64, 0);
  data.insert(data.end(), ciphertext.begin(), ciphertext.end());
  Bytes iv(4, 0);  // block counter 0, little-endian, then the nonce
  iv.insert(iv.end(), nonce.begin(), nonce.end());
  std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(),
                                                                      &EVP_CIPHER_CTX_free);
  EXPECT_EQ(EVP_EncryptInit_ex(ctx.get(), EVP_chacha20(), nullptr, key.data(), iv.data()), 1);
  Bytes out(data.size());
  int n = 0;
  EXPECT_EQ(
      EVP_EncryptUpdate(ctx.get(), out.data(), &n, data.data(), static_cast<int>(data.size())), 1);

  Bytes mac_data = aad;
  mac_data.resize((mac_data.size() + 15) / 16 * 16, 0);
  mac_data.insert(mac_data.end(), ciphertext.begin(), ciphertext.end());
  mac_data.resize((mac_data.size() + 15) / 16 * 16, 0);
  for (std::uint64_t length : {std::uint64_t{aad.size()}, std::uint64_t{ciphertext.size()}})
    for (unsigned i = 0; i < 8; ++i)
      mac_data.push_back(static_cast<std::uint8_t>(length >> (8 * i)));
  EVP_MAC* mac = EVP_MAC_fetch(nullptr, "POLY1305", nullptr);
  EXPECT_NE(mac, nullptr);
  EVP_MAC_CTX* mctx = EVP_MAC_CTX_new(mac);
  EXPECT_EQ(EVP_MAC_init(mctx, out.data(), 32, nullptr), 1);
  EXPECT_EQ(EVP_MAC_update(mctx, mac_data.data(), mac_data.size()), 1);
  Bytes computed(16);
  std::size_t written = 0;
  EXPECT_EQ(EVP_MAC_final(mctx, computed.data(), &written, computed.size()), 1);
  EVP_MAC_CTX_free(mctx);
  EVP_MAC_free(mac);
  return {Bytes(out.begin() + 64, out.end()), computed == tag};
}

// An ESP frame taken apart by the contract's layout.
struct ParsedEsp {
  Bytes frame;
  std::uint32_t spi = 0;
  std::uint32_t sequence = 0;
  Bytes aad, nonce, ciphertext, tag;
};
ParsedEsp parse(const Bytes& f, const std::array<std::uint8_t, 4>& salt) {
  ParsedEsp p;
  p.frame = f;
  const std::size_t esp = 34;
  p.spi = get32(f, esp);
  p.sequence = get32(f, esp + 4);
  p.aad.assign(f.begin() + esp, f.begin() + esp + 8);
  p.nonce.assign(salt.begin(), salt.end());
  p.nonce.insert(p.nonce.end(), f.begin() + esp + 8, f.begin() + esp + 16);
  p.ciphertext.assign(f.begin() + esp + 16, f.end() - 16);
  p.tag.assign(f.end() - 16, f.end());
  return p;
}

EspSa test_sa(std::uint32_t spi, std::uint8_t key_salt) {
  EspSa sa;
  sa.spi = spi;
  for (unsigned i = 0; i < 32; ++i) sa.key[i] = static_cast<std::uint8_t>(key_salt + 3 * i);
  sa.salt = {0xA0, key_salt, 0x5A, 0x01};
  return sa;
}

const MacAddress kStation = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};

TEST(EspPacket, AeadMatchesRfc8439Section282) {
  const Bytes key = hex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
  const Bytes nonce = hex("070000004041424344454647");
  const Bytes aad = hex("50515253c0c1c2c3c4c5c6c7");
  const std::string text =
      "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, "
      "sunscreen "
      "would be it.";
  const Bytes plaintext(text.begin(), text.end());
  const Bytes expected =
      hex("d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69"
          "da92728b"
          "1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b"
          "4831d7bc"
          "3ff4def08e4b7a9de576d26586cec64b6116"
          "1ae10b594f09e26a7e902ecbd0600691");
  const Bytes sealed = aead_chacha20_poly1305_seal(
      std::span<const std::uint8_t, 32>(key.data(), 32),
      std::span<const std::uint8_t, 12>(nonce.data(), 12), aad, plaintext);
  EXPECT_EQ(sealed, expected);
}

TEST(EspPacket, FrameFollowsTheContractAndDecryptsIndependently) {
  const EspSa sa = test_sa(0x0000'1234, 7);
  const EspFlow flow{kStation, {192, 168, 1, 9}, 4500};
  for (unsigned size : {1u, 2u, 3u, 4u, 5u, 61u, 200u, kMaxEspPayloadBytes}) {
    Bytes payload(size);
    for (unsigned i = 0; i < size; ++i) payload[i] = static_cast<std::uint8_t>(i * 13 + size);
    const std::uint32_t sequence = 0x0102'0304 + size;
    const Bytes f = esp_frame(flow, sa, sequence, payload);
    SCOPED_TRACE("payload " + std::to_string(size));
    EXPECT_EQ(f.size(), esp_frame_bytes(size));
    EXPECT_LE(f.size(), kMaxFrameBytes);
    EXPECT_GE(f.size(), kMinFrameBytes);
    EXPECT_EQ(Bytes(f.begin(), f.begin() + 6), Bytes(kStation.begin(), kStation.end()));
    EXPECT_EQ(get16(f, 12), 0x0800u);
    EXPECT_EQ(f[14], 0x45);                  // IPv4, 20-byte header
    EXPECT_EQ(get16(f, 16), f.size() - 14);  // total length: the whole rest of the frame
    EXPECT_EQ(get16(f, 20), 0x4000u);        // DF
    EXPECT_EQ(f[22], 64);                    // TTL
    EXPECT_EQ(f[23], 50);                    // ESP
    EXPECT_TRUE(ipv4_checksum_ok(f));
    EXPECT_EQ(Bytes(f.begin() + 30, f.begin() + 34), (Bytes{192, 168, 1, 9}));
    const ParsedEsp p = parse(f, sa.salt);
    EXPECT_EQ(p.spi, 0x1234u);
    EXPECT_EQ(p.sequence, sequence);
    EXPECT_EQ(get32(f, 42), 0u);  // IV: the sequence number as 64 bits, big-endian
    EXPECT_EQ(get32(f, 46), sequence);
    EXPECT_EQ(p.ciphertext.size() % 4, 0u);

    const std::optional<Bytes> plain = aead_open(sa.key, p.nonce, p.aad, p.ciphertext, p.tag);
    ASSERT_TRUE(plain.has_value());
    const KernelWay kernel = kernel_way(sa.key, p.nonce, p.aad, p.ciphertext, p.tag);
    EXPECT_TRUE(kernel.tag_ok);
    EXPECT_EQ(kernel.plaintext, *plain);
    // UDP header: from port 1024 to the flow's port, length, checksum 0.
    EXPECT_EQ(get16(*plain, 0), 1024u);
    EXPECT_EQ(get16(*plain, 2), 4500u);
    EXPECT_EQ(get16(*plain, 4), 8 + size);
    EXPECT_EQ(get16(*plain, 6), 0u);
    EXPECT_EQ(Bytes(plain->begin() + 8, plain->begin() + 8 + size), payload);
    // Trailer: padding 1, 2, ..., its length, next header UDP; the smallest padding that
    // makes the plaintext a multiple of 4 (RFC 4303 §2.4).
    const unsigned pad = plain->at(plain->size() - 2);
    EXPECT_EQ(plain->back(), 17);
    EXPECT_EQ(plain->size(), 8 + size + pad + 2);
    EXPECT_LT(pad, 4u);
    for (unsigned i = 0; i < pad; ++i) EXPECT_EQ(plain->at(8 + size + i), i + 1);
  }
}

TEST(EspPacket, ZeroedPaddingHasAWrongPaddingByteAndAValidTag) {
  const EspSa sa = test_sa(0x0000'4000, 1);
  const EspFlow flow{kStation, {10, 0, 0, 2}, 5001};
  for (unsigned size : {2u, 1u, kMaxEspPayloadBytes}) {  // padding 0 (made 4), 1, 3
    const Bytes f = esp_frame(flow, sa, 9, Bytes(size, 0xEE), EspPadding::Zeroed);
    EXPECT_LE(f.size(), kMaxFrameBytes);
    const ParsedEsp p = parse(f, sa.salt);
    const std::optional<Bytes> plain = aead_open(sa.key, p.nonce, p.aad, p.ciphertext, p.tag);
    ASSERT_TRUE(plain.has_value());
    const unsigned pad = plain->at(plain->size() - 2);
    EXPECT_GE(pad, 1u);
    EXPECT_EQ(plain->size(), 8 + size + pad + 2);
    EXPECT_EQ(plain->size() % 4, 0u);
    EXPECT_EQ(plain->at(8 + size), 0);  // must be 1
  }
}

TEST(EspPacket, APayloadTooLongForAFrameIsRefused) {
  const EspFlow flow{kStation, {10, 0, 0, 2}, 5001};
  EXPECT_THROW(esp_frame(flow, test_sa(300, 0), 1, Bytes(kMaxEspPayloadBytes + 1)),
               std::invalid_argument);
}

TrafficSpec esp_spec(std::uint64_t count) {
  TrafficSpec spec;
  spec.destination = kStation;
  spec.count = count;
  spec.rate_pps = 1'000'000;
  spec.payload = TrafficPayload::Esp;
  spec.esp.sas = {test_sa(0x1000, 1), test_sa(0x2000, 2), test_sa(0xFFFF'FFFF, 3)};
  spec.esp.local_ip = {10, 9, 8, 6};
  spec.esp.udp_port = 7000;
  spec.esp.payload_bytes = {1, 300};
  return spec;
}

// Decrypts frame `f` with whichever SA its SPI names (or the one the test says).
std::optional<Bytes> open_with(const Bytes& f, const EspSa& sa) {
  const ParsedEsp p = parse(f, sa.salt);
  return aead_open(sa.key, p.nonce, p.aad, p.ciphertext, p.tag);
}

TEST(EspTraffic, WellFormedPacketsRotateSasCountSequencesAndRecordTheirPlaintext) {
  const TrafficSpec spec = esp_spec(30);
  EspExpectations expected;
  const auto source = make_traffic(spec, 42, &expected);
  std::array<std::uint32_t, 3> sequences{};
  std::uint64_t n = 0;
  std::set<std::size_t> sizes;
  while (std::optional<TimedFrame> f = source->next()) {
    ++n;
    const std::size_t sa_index = (n - 1) % 3;
    const EspSa& sa = spec.esp.sas[sa_index];
    const ParsedEsp p = parse(f->bytes, sa.salt);
    EXPECT_EQ(p.spi, sa.spi) << n;
    EXPECT_EQ(p.sequence, ++sequences[sa_index]) << n;
    EXPECT_TRUE(ipv4_checksum_ok(f->bytes));
    EXPECT_EQ(Bytes(f->bytes.begin() + 30, f->bytes.begin() + 34), (Bytes{10, 9, 8, 6}));
    const std::optional<Bytes> plain = open_with(f->bytes, sa);
    ASSERT_TRUE(plain.has_value()) << n;
    EXPECT_EQ(get16(*plain, 2), 7000u);
    const EspExpectation* e = expected.find(n);
    ASSERT_NE(e, nullptr);
    EXPECT_FALSE(e->drop.has_value());
    EXPECT_EQ(e->spi, sa.spi);
    EXPECT_EQ(e->esp_sequence, p.sequence);
    EXPECT_GE(e->payload.size(), 1u);
    EXPECT_LE(e->payload.size(), 300u);
    EXPECT_EQ(Bytes(plain->begin() + 8, plain->begin() + 8 + e->payload.size()), e->payload);
    EXPECT_EQ(get16(*plain, 4), 8 + e->payload.size());
    sizes.insert(e->payload.size());
  }
  EXPECT_EQ(n, 30u);
  EXPECT_EQ(expected.frames(), 30u);
  EXPECT_EQ(expected.find(31), nullptr);
  EXPECT_EQ(expected.find(0), nullptr);
  EXPECT_GT(sizes.size(), 20u);  // drawn, not fixed

  // The same seed gives the same frames; another seed other payloads.
  const auto again = make_traffic(spec, 42);
  const auto other = make_traffic(spec, 43);
  const std::optional<TimedFrame> first = make_traffic(spec, 42)->next();
  EXPECT_EQ(again->next()->bytes, first->bytes);
  EXPECT_NE(other->next()->bytes, first->bytes);
}

TEST(EspTraffic, FixedPayloadSizeAndBackToBackTiming) {
  TrafficSpec spec = esp_spec(3);
  spec.rate_pps = 0;  // back to back: each frame after the one before plus the gap
  spec.esp.payload_bytes = {100, 100};
  const auto source = make_traffic(spec, 1);
  const std::uint64_t slot = (8 + esp_frame_bytes(100) + 4 + 12) * byte_time_ps(10);
  for (std::uint64_t i = 0; i < 3; ++i) {
    const std::optional<TimedFrame> f = source->next();
    ASSERT_TRUE(f.has_value());
    EXPECT_EQ(f->bytes.size(), esp_frame_bytes(100));
    EXPECT_EQ(f->earliest_ps, i * slot);
  }
}

TEST(EspTraffic, BadTagsAndEveryMalformedKindInTurn) {
  TrafficSpec spec = esp_spec(84);
  spec.esp.bad_tag_every = 4;
  spec.esp.malformed_every =
      7;  // frames 7, 14, ..., 84: each kind twice; 28, 56, 84 malformed, not bad-tag
  EspExpectations expected;
  const auto source = make_traffic(spec, 5, &expected);
  // Without defects, the same seed gives the same payloads and SA numbering.
  TrafficSpec clean_spec = esp_spec(84);
  EspExpectations clean;
  const auto clean_source = make_traffic(clean_spec, 5, &clean);
  using kernel::NetDropCause;
  const NetDropCause kinds[] = {NetDropCause::Short,       NetDropCause::UnknownSa,
                                NetDropCause::BadPadding,  NetDropCause::NotForUs,
                                NetDropCause::BadIpHeader, NetDropCause::NoSocket};
  std::uint64_t malformed = 0;
  for (std::uint64_t n = 1; n <= 84; ++n) {
    SCOPED_TRACE("frame " + std::to_string(n));
    const std::optional<TimedFrame> f = source->next();
    const std::optional<TimedFrame> c = clean_source->next();
    ASSERT_TRUE(f && c);
    const EspSa& sa = spec.esp.sas[(n - 1) % 3];
    const EspExpectation& e = *expected.find(n);
    EXPECT_EQ(e.payload, clean.find(n)->payload);
    EXPECT_EQ(e.esp_sequence, clean.find(n)->esp_sequence);
    if (n % 7 != 0 && n % 4 != 0) {
      EXPECT_EQ(f->bytes, c->bytes);
      EXPECT_FALSE(e.drop.has_value());
      continue;
    }
    if (n % 7 != 0) {  // bad tag: one bit of the ICV differs
      ASSERT_EQ(f->bytes.size(), c->bytes.size());
      std::size_t differing = 0;
      for (std::size_t i = 0; i < f->bytes.size(); ++i) differing += f->bytes[i] != c->bytes[i];
      EXPECT_EQ(differing, 1u);
      EXPECT_EQ(f->bytes[f->bytes.size() - 16] ^ c->bytes[c->bytes.size() - 16], 1);
      EXPECT_FALSE(open_with(f->bytes, sa).has_value());
      EXPECT_EQ(e.drop, NetDropCause::BadTag);
      continue;
    }
    const NetDropCause kind = kinds[malformed++ % 6];
    EXPECT_EQ(e.drop, kind);
    const Bytes& b = f->bytes;
    switch (kind) {
      case NetDropCause::Short:  // the ICV is missing: 16 bytes short of what IPv4 says
        EXPECT_EQ(b.size(), c->bytes.size() - 16);
        EXPECT_EQ(get16(b, 16), c->bytes.size() - 14);
        EXPECT_EQ(Bytes(b.begin(), b.end()), Bytes(c->bytes.begin(), c->bytes.end() - 16));
        break;
      case NetDropCause::UnknownSa: {
        EXPECT_EQ(get32(b, 34), 0xFFFF'FFFEu);  // 2^32 - 1 is an SA of the spec
        EXPECT_EQ(e.spi, 0xFFFF'FFFEu);
        EXPECT_TRUE(open_with(b, sa).has_value());  // otherwise well formed
        break;
      }
      case NetDropCause::BadPadding: {
        const std::optional<Bytes> plain = open_with(b, sa);
        ASSERT_TRUE(plain.has_value());  // the tag covers the bad padding
        EXPECT_EQ(plain->at(8 + e.payload.size()), 0);
        break;
      }
      case NetDropCause::NotForUs:
        EXPECT_EQ(Bytes(b.begin() + 30, b.begin() + 34), (Bytes{10, 9, 8, 7}));
        EXPECT_TRUE(ipv4_checksum_ok(b));
        break;
      case NetDropCause::BadIpHeader:
        EXPECT_FALSE(ipv4_checksum_ok(b));
        EXPECT_EQ(Bytes(b.begin() + 34, b.end()), Bytes(c->bytes.begin() + 34, c->bytes.end()));
        break;
      case NetDropCause::NoSocket: {
        const std::optional<Bytes> plain = open_with(b, sa);
        ASSERT_TRUE(plain.has_value());
        EXPECT_EQ(get16(*plain, 2), 7001u);
        break;
      }
      default:
        FAIL();
    }
  }
  EXPECT_EQ(malformed, 12u);
}

TEST(EspTraffic, BadSpecsAreRefused) {
  TrafficSpec spec = esp_spec(1);
  spec.esp.sas.clear();
  EXPECT_THROW(make_traffic(spec, 1), std::invalid_argument);
  spec = esp_spec(1);
  spec.esp.payload_bytes = {0, 10};
  EXPECT_THROW(make_traffic(spec, 1), std::invalid_argument);
  spec.esp.payload_bytes = {10, kMaxEspPayloadBytes + 1};
  EXPECT_THROW(make_traffic(spec, 1), std::invalid_argument);
  spec.esp.payload_bytes = {11, 10};
  EXPECT_THROW(make_traffic(spec, 1), std::invalid_argument);
  EspExpectations e;
  EXPECT_THROW(e.record(2, {}), std::logic_error);  // frames are recorded from 1, in order
}

std::string run(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  char buffer[256];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) out += buffer;
  pclose(pipe);
  return out;
}

TEST(EspTraffic, APcapOfEspFramesReplaysUnchangedAndTsharkDecodesTheirHeaders) {
  const TrafficSpec spec = esp_spec(6);
  const auto source = make_traffic(spec, 9);
  const std::filesystem::path file = test::scratch("esp.pcap");
  std::vector<Bytes> frames;
  std::string expected;
  {
    PcapWriter writer(file, 10'000);
    Cycle cycle = 0;
    while (std::optional<TimedFrame> f = source->next()) {
      writer.write(cycle += 500, f->bytes);
      frames.push_back(f->bytes);
      const ParsedEsp p = parse(f->bytes, spec.esp.sas[0].salt);
      char line[64];
      std::snprintf(line, sizeof line, "0x%08x\t%u\n", p.spi, p.sequence);
      expected += line;
    }
  }
  TrafficSpec replay;
  replay.pattern = TrafficPattern::Pcap;
  replay.pcap.file = file;
  const auto replayed = make_traffic(replay, 1);
  for (const Bytes& f : frames) EXPECT_EQ(replayed->next()->bytes, f);
  EXPECT_FALSE(replayed->next().has_value());

  if (!std::filesystem::exists(TSHARK_BINARY)) GTEST_SKIP() << "tshark not installed";
  EXPECT_EQ(run(std::string(TSHARK_BINARY) + " -r " + file.string() +
                " -T fields -e esp.spi -e esp.sequence 2>/dev/null"),
            expected);
}

}  // namespace net_esp_test
}  // namespace irqlab::models::net
