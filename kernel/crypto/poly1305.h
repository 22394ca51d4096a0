#pragma once
// Poly1305 one-time authenticator (RFC 8439 §2.5), in software: the IPsec receive path
// checks the ChaCha20-Poly1305 tag (RFC 8439 §2.8, RFC 7634) with it in esp_input_cb,
// after the crypto engine produced the one-time key (ChaCha20 block 0).
//
// The accumulator and r are held as five 26-bit limbs, so every product of the
// multiplication modulo p = 2^130 - 5 fits a 64-bit integer (limb < 2^26, 5 * limb <
// 2^29, five such sums < 2^58). Plain computation, no kernel state: any context may call
// it; the caller charges the cycles (CostProfile::poly1305_block per 16-byte block).
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace irqlab::kernel {

using Poly1305Key = std::array<std::uint8_t, 32>;  // r (bytes 0..15, clamped) || s (16..31)
using Poly1305Tag = std::array<std::uint8_t, 16>;

// Incremental MAC: update() any number of times, then finish() once.
class Poly1305 {
 public:
  explicit Poly1305(std::span<const std::uint8_t, 32> key);
  void update(std::span<const std::uint8_t> data);
  Poly1305Tag finish();

 private:
  // Adds one 16-byte block (`full`: with the 2^128 bit; a short final block carries its
  // own 0x01 byte instead) and multiplies by r.
  void block(const std::uint8_t* bytes, bool full);

  std::array<std::uint32_t, 5> r_{};
  std::array<std::uint32_t, 5> h_{};
  std::array<std::uint32_t, 4> s_{};
  std::array<std::uint8_t, 16> buffer_{};
  std::size_t buffered_ = 0;
};

// One-shot MAC of `message` (RFC 8439 §2.5.1).
Poly1305Tag poly1305(std::span<const std::uint8_t, 32> key, std::span<const std::uint8_t> message);

// The number of 16-byte blocks Poly1305 processes for `bytes` bytes of input (the last
// partial block counts as one): what the caller charges poly1305_block for.
constexpr std::size_t poly1305_blocks(std::size_t bytes) { return (bytes + 15) / 16; }

// Compares two tags in time independent of their contents (no early exit).
bool tags_equal(std::span<const std::uint8_t, 16> a, std::span<const std::uint8_t, 16> b);

}  // namespace irqlab::kernel
