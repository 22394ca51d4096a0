#include "crypto/poly1305.h"

#include <algorithm>
#include <cstring>

namespace irqlab::kernel {
namespace {

constexpr std::uint32_t kLimbMask = (1u << 26) - 1;

std::uint32_t le32(const std::uint8_t* p) {
  return std::uint32_t{p[0]} | std::uint32_t{p[1]} << 8 | std::uint32_t{p[2]} << 16 |
         std::uint32_t{p[3]} << 24;
}

void put_le32(std::uint8_t* p, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<std::uint8_t>(v >> (8 * i));
}

// The 128-bit little-endian number at `p` as five 26-bit limbs (limb 4 gets 24 bits).
std::array<std::uint32_t, 5> limbs(const std::uint8_t* p) {
  return {le32(p) & kLimbMask, (le32(p + 3) >> 2) & kLimbMask, (le32(p + 6) >> 4) & kLimbMask,
          (le32(p + 9) >> 6) & kLimbMask, le32(p + 12) >> 8};
}

}  // namespace

Poly1305::Poly1305(std::span<const std::uint8_t, 32> key) {
  // r is clamped (RFC 8439 §2.5): the top 4 bits of bytes 3, 7, 11, 15 and the low 2 bits
  // of bytes 4, 8, 12 cleared.
  std::array<std::uint8_t, 16> r{};
  std::memcpy(r.data(), key.data(), 16);
  for (int i : {3, 7, 11, 15}) r[i] &= 0x0F;
  for (int i : {4, 8, 12}) r[i] &= 0xFC;
  r_ = limbs(r.data());
  for (int i = 0; i < 4; ++i) s_[i] = le32(key.data() + 16 + 4 * i);
}

void Poly1305::block(const std::uint8_t* bytes, bool full) {
  const std::array<std::uint32_t, 5> n = limbs(bytes);
  std::array<std::uint64_t, 5> h{};
  for (int i = 0; i < 5; ++i) h[i] = std::uint64_t{h_[i]} + n[i];
  if (full) h[4] += 1u << 24;  // the appended 0x01 byte at bit 128
  // h * r mod p: limb i of r times limb j of h lands at i + j; above limb 4 it wraps with
  // a factor 5, since 2^130 = 5 (mod p).
  const std::uint64_t r0 = r_[0], r1 = r_[1], r2 = r_[2], r3 = r_[3], r4 = r_[4];
  const std::uint64_t s1 = r1 * 5, s2 = r2 * 5, s3 = r3 * 5, s4 = r4 * 5;
  std::array<std::uint64_t, 5> d{
      h[0] * r0 + h[1] * s4 + h[2] * s3 + h[3] * s2 + h[4] * s1,
      h[0] * r1 + h[1] * r0 + h[2] * s4 + h[3] * s3 + h[4] * s2,
      h[0] * r2 + h[1] * r1 + h[2] * r0 + h[3] * s4 + h[4] * s3,
      h[0] * r3 + h[1] * r2 + h[2] * r1 + h[3] * r0 + h[4] * s4,
      h[0] * r4 + h[1] * r3 + h[2] * r2 + h[3] * r1 + h[4] * r0,
  };
  // Carry into 26-bit limbs; the carry out of limb 4 re-enters limb 0 times 5.
  std::uint64_t carry = 0;
  for (int i = 0; i < 5; ++i) {
    d[i] += carry;
    carry = d[i] >> 26;
    h_[i] = static_cast<std::uint32_t>(d[i] & kLimbMask);
  }
  std::uint64_t low = std::uint64_t{h_[0]} + carry * 5;
  h_[0] = static_cast<std::uint32_t>(low & kLimbMask);
  h_[1] += static_cast<std::uint32_t>(low >> 26);
}

void Poly1305::update(std::span<const std::uint8_t> data) {
  std::size_t at = 0;
  if (buffered_ != 0) {
    const std::size_t take = std::min(data.size(), buffer_.size() - buffered_);
    std::memcpy(buffer_.data() + buffered_, data.data(), take);
    buffered_ += take;
    at = take;
    if (buffered_ < buffer_.size()) return;
    block(buffer_.data(), true);
    buffered_ = 0;
  }
  for (; data.size() - at >= 16; at += 16) block(data.data() + at, true);
  // memcpy's source must not be null, even for no bytes (an empty span's data() may be).
  if (at < data.size()) std::memcpy(buffer_.data(), data.data() + at, data.size() - at);
  buffered_ = data.size() - at;
}

Poly1305Tag Poly1305::finish() {
  if (buffered_ != 0) {
    buffer_[buffered_] = 1;
    std::memset(buffer_.data() + buffered_ + 1, 0, buffer_.size() - buffered_ - 1);
    block(buffer_.data(), false);
  }
  // Full carry, then reduce once: h >= p exactly when h + 5 carries out of bit 130.
  std::array<std::uint32_t, 5> h = h_;
  for (int round = 0; round < 2; ++round) {
    for (int i = 0; i < 4; ++i) {
      h[i + 1] += h[i] >> 26;
      h[i] &= kLimbMask;
    }
    h[0] += (h[4] >> 26) * 5;
    h[4] &= kLimbMask;
  }
  std::array<std::uint32_t, 5> g{};
  std::uint32_t carry = 5;
  for (int i = 0; i < 5; ++i) {
    g[i] = h[i] + carry;
    carry = g[i] >> 26;
    g[i] &= kLimbMask;
  }
  const std::uint32_t use_g = 0u - carry;  // all ones when h >= p
  for (int i = 0; i < 5; ++i) h[i] = (h[i] & ~use_g) | (g[i] & use_g);
  // h mod 2^128 as four 32-bit words, plus s.
  const std::array<std::uint32_t, 4> w{h[0] | h[1] << 26, h[1] >> 6 | h[2] << 20,
                                       h[2] >> 12 | h[3] << 14, h[3] >> 18 | h[4] << 8};
  Poly1305Tag tag{};
  std::uint64_t sum = 0;
  for (int i = 0; i < 4; ++i) {
    sum += std::uint64_t{w[i]} + s_[i];
    put_le32(tag.data() + 4 * i, static_cast<std::uint32_t>(sum));
    sum >>= 32;
  }
  return tag;
}

Poly1305Tag poly1305(std::span<const std::uint8_t, 32> key, std::span<const std::uint8_t> message) {
  Poly1305 mac(key);
  mac.update(message);
  return mac.finish();
}

bool tags_equal(std::span<const std::uint8_t, 16> a, std::span<const std::uint8_t, 16> b) {
  std::uint8_t diff = 0;
  for (std::size_t i = 0; i < 16; ++i) diff |= static_cast<std::uint8_t>(a[i] ^ b[i]);
  return diff == 0;
}

}  // namespace irqlab::kernel
