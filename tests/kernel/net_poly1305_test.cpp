// Software Poly1305 (kernel/crypto/poly1305.h) against RFC 8439 §2.5.2's vector and
// against the tags of OpenSSL's ChaCha20-Poly1305 AEAD (RFC 8439 §2.8), computed there
// independently of the code under test.
#include <gtest/gtest.h>
#include <random>

#include "crypto/poly1305.h"
#include "net_support.h"

namespace irqlab::kernel::test::net {
namespace net_poly1305_test {

TEST(Poly1305, Rfc8439Section252Vector) {
  const std::array<std::uint8_t, 32> key{0x85, 0xd6, 0xbe, 0x78, 0x57, 0x55, 0x6d, 0x33,
                                         0x7f, 0x44, 0x52, 0xfe, 0x42, 0xd5, 0x06, 0xa8,
                                         0x01, 0x03, 0x80, 0x8a, 0xfb, 0x0d, 0xb2, 0xfd,
                                         0x4a, 0xbf, 0xf6, 0xaf, 0x41, 0x49, 0xf5, 0x1b};
  const std::string_view text = "Cryptographic Forum Research Group";
  const Poly1305Tag expected{0xa8, 0x06, 0x1d, 0xc1, 0x30, 0x51, 0x36, 0xc6,
                             0xc2, 0x2b, 0x8b, 0xaf, 0x0c, 0x01, 0x27, 0xa9};
  const std::span<const std::uint8_t> message(reinterpret_cast<const std::uint8_t*>(text.data()),
                                              text.size());
  EXPECT_EQ(poly1305(key, message), expected);
  Poly1305 pieces(key);  // the same bytes fed in odd pieces
  pieces.update(message.first(5));
  pieces.update(message.subspan(5, 17));
  pieces.update(message.subspan(22));
  EXPECT_EQ(pieces.finish(), expected);
}

// The AEAD construction of RFC 8439 §2.8 with our Poly1305 and the one-time key from
// OpenSSL's ChaCha20 block 0 must give OpenSSL's AEAD tag, for every length 0..300.
TEST(Poly1305, MatchesOpenSslChaCha20Poly1305TagsForEveryLengthUpTo300) {
  std::mt19937_64 random(20260401);
  const auto fill = [&random](std::span<std::uint8_t> bytes) {
    for (std::uint8_t& b : bytes) b = static_cast<std::uint8_t>(random());
  };
  for (std::size_t length = 0; length <= 300; ++length) {
    SCOPED_TRACE(length);
    std::array<std::uint8_t, 32> key{};
    std::array<std::uint8_t, 12> nonce{};
    Bytes aad(random() % 24), plain(length);
    fill(key), fill(nonce), fill(aad), fill(plain);
    const Bytes sealed = aead_seal(key, nonce, aad, plain);
    std::array<std::uint8_t, 64> block0{};
    chacha20(key, nonce, 0, block0);
    const std::array<std::uint8_t, 16> zeros{};
    std::array<std::uint8_t, 16> lengths{};
    for (int i = 0; i < 8; ++i) {
      lengths[i] = static_cast<std::uint8_t>(std::uint64_t{aad.size()} >> (8 * i));
      lengths[8 + i] = static_cast<std::uint8_t>(std::uint64_t{length} >> (8 * i));
    }
    Poly1305 mac(std::span<const std::uint8_t, 32>(block0.data(), 32));
    mac.update(aad);
    mac.update(std::span(zeros).first((16 - aad.size() % 16) % 16));
    mac.update(std::span(sealed).first(length));
    mac.update(std::span(zeros).first((16 - length % 16) % 16));
    mac.update(lengths);
    const Poly1305Tag tag = mac.finish();
    EXPECT_TRUE(std::equal(tag.begin(), tag.end(), sealed.end() - 16));
  }
}

TEST(Poly1305, TagsEqualComparesEveryByte) {
  Poly1305Tag a{}, b{};
  for (std::size_t i = 0; i < 16; ++i) a[i] = b[i] = static_cast<std::uint8_t>(i * 11);
  EXPECT_TRUE(tags_equal(a, b));
  for (std::size_t i = 0; i < 16; ++i) {
    Poly1305Tag c = b;
    c[i] ^= 0x80;
    EXPECT_FALSE(tags_equal(a, c)) << i;
  }
}

TEST(Poly1305, BlocksCountsTheLastPartialBlock) {
  EXPECT_EQ(poly1305_blocks(0), 0u);
  EXPECT_EQ(poly1305_blocks(1), 1u);
  EXPECT_EQ(poly1305_blocks(16), 1u);
  EXPECT_EQ(poly1305_blocks(17), 2u);
}

}  // namespace net_poly1305_test
}  // namespace irqlab::kernel::test::net
