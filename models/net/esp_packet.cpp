#include "net/esp_packet.h"

#include <algorithm>
#include <memory>
#include <openssl/evp.h>
#include <stdexcept>
#include <string>

#include "net/frame_fields.h"

namespace irqlab::models::net {

namespace {

constexpr std::uint8_t kProtocolEsp = 50;
constexpr std::uint8_t kProtocolUdp = 17;
constexpr std::uint16_t kSourcePort = 1024;
constexpr MacAddress kSourceMac = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01};  // locally administered
constexpr Ipv4Address kSourceIp = {10, 0, 0, 1};

// Padding bytes RFC 4303 §2.4 needs so that plaintext + trailer is a multiple of 4; a
// zeroed padding needs at least one byte to be wrong.
unsigned pad_bytes(unsigned payload_bytes, EspPadding padding) {
  const unsigned unpadded = kEspUdpHeaderBytes + payload_bytes + kEspTrailerBytes;
  const unsigned pad = (4 - unpadded % 4) % 4;
  return padding == EspPadding::Zeroed && pad == 0 ? 4 : pad;
}

void check_openssl(int ok, const char* call) {
  if (ok != 1) throw std::runtime_error(std::string("OpenSSL ") + call + " failed");
}

}  // namespace

unsigned esp_ciphertext_bytes(unsigned payload_bytes, EspPadding padding) {
  return kEspUdpHeaderBytes + payload_bytes + pad_bytes(payload_bytes, padding) + kEspTrailerBytes;
}

unsigned esp_frame_bytes(unsigned payload_bytes, EspPadding padding) {
  return kEspFrameEspOffset + kEspHeaderBytes + esp_ciphertext_bytes(payload_bytes, padding) +
         kEspIcvBytes;
}

std::vector<std::uint8_t> aead_chacha20_poly1305_seal(std::span<const std::uint8_t, 32> key,
                                                      std::span<const std::uint8_t, 12> nonce,
                                                      std::span<const std::uint8_t> aad,
                                                      std::span<const std::uint8_t> plaintext) {
  const std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(),
                                                                            &EVP_CIPHER_CTX_free);
  if (!ctx) throw std::runtime_error("OpenSSL EVP_CIPHER_CTX_new failed");
  check_openssl(
      EVP_EncryptInit_ex(ctx.get(), EVP_chacha20_poly1305(), nullptr, key.data(), nonce.data()),
      "EVP_EncryptInit_ex");
  int length = 0;
  check_openssl(
      EVP_EncryptUpdate(ctx.get(), nullptr, &length, aad.data(), static_cast<int>(aad.size())),
      "EVP_EncryptUpdate (AAD)");
  std::vector<std::uint8_t> sealed(plaintext.size() + kEspIcvBytes);
  check_openssl(EVP_EncryptUpdate(ctx.get(), sealed.data(), &length, plaintext.data(),
                                  static_cast<int>(plaintext.size())),
                "EVP_EncryptUpdate");
  int final_length = 0;
  check_openssl(EVP_EncryptFinal_ex(ctx.get(), sealed.data() + length, &final_length),
                "EVP_EncryptFinal_ex");
  if (static_cast<std::size_t>(length + final_length) != plaintext.size())
    throw std::runtime_error("OpenSSL ChaCha20-Poly1305: unexpected ciphertext length");
  check_openssl(EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_GET_TAG, kEspIcvBytes,
                                    sealed.data() + plaintext.size()),
                "EVP_CTRL_AEAD_GET_TAG");
  return sealed;
}

Frame esp_frame(const EspFlow& flow, const EspSa& sa, std::uint32_t sequence,
                std::span<const std::uint8_t> udp_payload, EspPadding padding) {
  if (udp_payload.size() > kMaxEspPayloadBytes)
    throw std::invalid_argument("ESP payload of " + std::to_string(udp_payload.size()) +
                                " bytes: at most " + std::to_string(kMaxEspPayloadBytes) +
                                " fit a frame");
  const auto payload_bytes = static_cast<unsigned>(udp_payload.size());

  // The plaintext: UDP header and payload, padding, pad length, next header.
  std::vector<std::uint8_t> plaintext(esp_ciphertext_bytes(payload_bytes, padding), 0);
  put_be16(plaintext, 0, kSourcePort);
  put_be16(plaintext, 2, flow.destination_port);
  put_be16(plaintext, 4, kEspUdpHeaderBytes + payload_bytes);  // checksum (6, 7) stays 0
  std::copy(udp_payload.begin(), udp_payload.end(), plaintext.begin() + kEspUdpHeaderBytes);
  const unsigned pad = pad_bytes(payload_bytes, padding);
  const std::size_t pad_at = kEspUdpHeaderBytes + payload_bytes;
  if (padding == EspPadding::Valid)
    for (unsigned i = 0; i < pad; ++i) plaintext[pad_at + i] = static_cast<std::uint8_t>(i + 1);
  plaintext[pad_at + pad] = static_cast<std::uint8_t>(pad);
  plaintext[pad_at + pad + 1] = kProtocolUdp;

  // ESP header (SPI, sequence, IV); AAD = its first 8 bytes; nonce = salt || IV.
  std::vector<std::uint8_t> header(kEspHeaderBytes, 0);
  put_be32(header, 0, sa.spi);
  put_be32(header, 4, sequence);
  put_be32(header, 12, sequence);  // IV: the sequence number as a 64-bit big-endian value
  std::array<std::uint8_t, 12> nonce{};
  std::copy(sa.salt.begin(), sa.salt.end(), nonce.begin());
  std::copy(header.begin() + 8, header.end(), nonce.begin() + 4);
  const std::vector<std::uint8_t> sealed =
      aead_chacha20_poly1305_seal(sa.key, nonce, std::span(header).first(8), plaintext);

  Frame f(kEspFrameEspOffset + header.size() + sealed.size(), 0);
  std::copy(flow.destination_mac.begin(), flow.destination_mac.end(), f.begin());
  std::copy(kSourceMac.begin(), kSourceMac.end(), f.begin() + 6);
  put_be16(f, 12, 0x0800);  // IPv4
  const std::size_t ip = kEspFrameIpOffset;
  f[ip] = 0x45;  // version 4, header length 5 words
  put_be16(f, ip + 2, kIpv4HeaderBytes + kEspHeaderBytes + static_cast<unsigned>(sealed.size()));
  put_be16(f, ip + 4, sequence & 0xFFFF);  // identification
  put_be16(f, ip + 6, 0x4000);             // DF, fragment offset 0
  f[ip + 8] = 64;                          // TTL
  f[ip + 9] = kProtocolEsp;
  std::copy(kSourceIp.begin(), kSourceIp.end(), f.begin() + ip + 12);
  std::copy(flow.destination_ip.begin(), flow.destination_ip.end(), f.begin() + ip + 16);
  set_ipv4_header_checksum(f, ip);
  std::copy(header.begin(), header.end(), f.begin() + kEspFrameEspOffset);
  std::copy(sealed.begin(), sealed.end(), f.begin() + kEspFrameEspOffset + kEspHeaderBytes);
  return f;
}

}  // namespace irqlab::models::net
