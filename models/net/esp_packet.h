#pragma once
// ESP packets on the wire (crypto contract §3): Ethernet II | IPv4 (20 bytes, no options,
// DF, TTL 64, protocol 50, valid checksum) | ESP (RFC 4303 transport mode): SPI, sequence
// number, IV (8 bytes: the sequence number as a 64-bit big-endian value) | ciphertext |
// ICV (16 bytes). The plaintext is a UDP datagram (checksum 0) followed by padding
// 1, 2, 3, ... (RFC 4303 §2.4), the pad length and next header 17, padded to a multiple of
// 4 bytes. Encryption is ChaCha20-Poly1305 (RFC 7634): nonce = salt (4) || IV (8),
// AAD = SPI || sequence number (8 bytes, no extended sequence numbers), the AEAD of
// RFC 8439 §2.8 computed by OpenSSL libcrypto (EVP_chacha20_poly1305).
//
// The sender is 02:00:00:00:00:01, 10.0.0.1, UDP port 1024, as for the plain UDP frames
// (net/traffic.h). Plain C++ and OpenSSL; callable from any thread.
#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "net/ethernet.h"

namespace irqlab::models::net {

using Ipv4Address = std::array<std::uint8_t, 4>;  // network order

// One security association as the sender holds it (kernel::SecurityAssociation's fields).
struct EspSa {
  std::uint32_t spi = 0;
  std::array<std::uint8_t, 32> key{};
  std::array<std::uint8_t, 4> salt{};
};

// Where the packets go: the receiver's station address, IPv4 address and UDP port.
struct EspFlow {
  MacAddress destination_mac{};
  Ipv4Address destination_ip{10, 0, 0, 2};
  std::uint16_t destination_port = 5001;
};

// How the plaintext's padding is written: as RFC 4303 §2.4 asks, or with the padding
// bytes zeroed (a malformed packet: at least one padding byte, so the first, which must
// be 1, is wrong; the pad length stays consistent).
enum class EspPadding : std::uint8_t { Valid, Zeroed };

inline constexpr unsigned kEspHeaderBytes = 16;  // SPI, sequence number, IV
inline constexpr unsigned kEspIcvBytes = 16;     // the Poly1305 tag
inline constexpr unsigned kEspTrailerBytes = 2;  // pad length, next header
inline constexpr unsigned kEspUdpHeaderBytes = 8;
// The kernel's one engine job per packet: 64 zero bytes (the Poly1305 key block) before
// the ciphertext (contract §3).
inline constexpr unsigned kEspJobPrefixBytes = 64;
// The longest UDP payload whose ESP frame fits kMaxFrameBytes with either padding (1438
// bytes fit with valid padding, which is then empty, but not zeroed, which needs a byte:
// 4 more). The shortest frame always exceeds kMinFrameBytes: no Ethernet padding.
inline constexpr unsigned kMaxEspPayloadBytes = 1437;

// Length of the ciphertext (the padded plaintext) of a UDP payload of `payload_bytes`,
// with `padding`.
unsigned esp_ciphertext_bytes(unsigned payload_bytes, EspPadding padding = EspPadding::Valid);
// Length of the frame (without FCS) of such a packet.
unsigned esp_frame_bytes(unsigned payload_bytes, EspPadding padding = EspPadding::Valid);

// ChaCha20-Poly1305 AEAD encryption (RFC 8439 §2.8): the ciphertext followed by the 16-byte
// tag. Throws std::runtime_error if libcrypto fails.
std::vector<std::uint8_t> aead_chacha20_poly1305_seal(std::span<const std::uint8_t, 32> key,
                                                      std::span<const std::uint8_t, 12> nonce,
                                                      std::span<const std::uint8_t> aad,
                                                      std::span<const std::uint8_t> plaintext);

// The frame of the ESP packet `sequence` of `sa` carrying `udp_payload` (at most
// kMaxEspPayloadBytes) to `flow`.
Frame esp_frame(const EspFlow& flow, const EspSa& sa, std::uint32_t sequence,
                std::span<const std::uint8_t> udp_payload, EspPadding padding = EspPadding::Valid);

// Offsets in an ESP frame, for those that take one apart.
inline constexpr std::size_t kEspFrameIpOffset = 14;
inline constexpr std::size_t kEspFrameEspOffset = kEspFrameIpOffset + 20;

}  // namespace irqlab::models::net
