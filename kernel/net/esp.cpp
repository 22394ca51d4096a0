// esp_input and its continuation esp_input_cb (net_stack.h has the path and contexts).
#include <algorithm>

#include "crypto/poly1305.h"
#include "kernel.h"
#include "net/net_stack.h"
#include "net/wire.h"

namespace irqlab::kernel {
namespace {

// The engine's job decrypts from block counter 0: its first 64 output bytes are block 0's
// keystream (bytes 0..31: the Poly1305 one-time key, RFC 8439 §2.6), the rest the
// plaintext (counter 1 onwards, as the sender encrypted it).
constexpr std::size_t kKeyBlock = 64;

constexpr std::size_t pad16(std::size_t n) { return (16 - n % 16) % 16; }

void put_le64(std::uint8_t* p, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<std::uint8_t>(v >> (8 * i));
}

}  // namespace

void NetStack::esp_input(Packet packet, std::size_t header) {
  const std::uint32_t id = packet.id;
  kernel_.work(kernel_.costs().esp_input);
  const std::span<const std::uint8_t> esp =
      std::span<const std::uint8_t>(packet.bytes).subspan(header);
  if (esp.size() < wire::kEspHeader + wire::kEspTrailer + wire::kEspIcv)
    return drop(id, NetDropCause::Short);
  const std::optional<SaEntry> sa = sadb_.lookup(wire::be32(esp, 0));
  if (!sa) return drop(id, NetDropCause::UnknownSa);

  auto request = std::make_unique<CryptoRequest>();
  request->session = sa->session;
  const auto ciphertext =
      esp.subspan(wire::kEspHeader, esp.size() - wire::kEspHeader - wire::kEspIcv);
  request->data.assign(kKeyBlock, 0);
  request->data.insert(request->data.end(), ciphertext.begin(), ciphertext.end());
  std::copy(sa->salt.begin(), sa->salt.end(), request->nonce.begin());
  std::copy_n(esp.begin() + wire::kEspIvAt, wire::kEspIv, request->nonce.begin() + sa->salt.size());
  request->counter = 0;
  request->tag = id;
  request->callback = [this](CryptoRequest& done) { esp_input_cb(done); };
  in_crypto_.emplace(id, std::move(packet));
  stage(id, PacketStage::EspInput);
  kernel_.crypto().dispatch(std::move(request));
  stage(id, PacketStage::CryptoSubmit);
}

void NetStack::esp_input_cb(CryptoRequest& request) {
  const std::uint32_t id = request.tag;
  stage(id, PacketStage::EspCallback);
  kernel_.work(kernel_.costs().esp_input_cb);
  const auto waiting = in_crypto_.find(id);
  Packet packet = std::move(waiting->second);
  in_crypto_.erase(waiting);
  if (request.error != CryptoError::None) return drop(id, NetDropCause::CryptoError);

  // The tag (RFC 8439 §2.8) before anything of the packet is used.
  std::vector<std::uint8_t>& b = packet.bytes;
  const std::size_t header = std::size_t{b[0] & 0x0Fu} * 4;
  const std::span<const std::uint8_t> esp = std::span<const std::uint8_t>(b).subspan(header);
  const std::size_t text = esp.size() - wire::kEspHeader - wire::kEspIcv;
  const std::array<std::uint8_t, 16> zeros{};
  std::array<std::uint8_t, 16> lengths{};
  put_le64(lengths.data(), wire::kEspAad);
  put_le64(lengths.data() + 8, text);
  Poly1305 mac(std::span<const std::uint8_t, 32>(request.data.data(), 32));
  mac.update(esp.first(wire::kEspAad));
  mac.update(std::span(zeros).first(pad16(wire::kEspAad)));
  mac.update(esp.subspan(wire::kEspHeader, text));
  mac.update(std::span(zeros).first(pad16(text)));
  mac.update(lengths);
  const Poly1305Tag tag = mac.finish();
  kernel_.work(
      kernel_.costs().poly1305_block *
      poly1305_blocks(wire::kEspAad + pad16(wire::kEspAad) + text + pad16(text) + lengths.size()));
  if (!tags_equal(tag, esp.last<wire::kEspIcv>())) return drop(id, NetDropCause::BadTag);

  // Padding (RFC 4303 §2.4): pad length and next header last, the pad bytes 1, 2, 3, ...
  const std::span<const std::uint8_t> plain =
      std::span<const std::uint8_t>(request.data).subspan(kKeyBlock);
  const std::size_t pad = plain[text - 2];
  const std::uint8_t next_header = plain[text - 1];
  if (pad + wire::kEspTrailer > text) return drop(id, NetDropCause::BadPadding);
  const std::size_t payload = text - wire::kEspTrailer - pad;
  for (std::size_t i = 0; i < pad; ++i)
    if (plain[payload + i] != i + 1) return drop(id, NetDropCause::BadPadding);
  ++stats_.decrypted;

  // Transport mode: the IPv4 header, then the payload; protocol, length and checksum redone.
  b.resize(header);
  b.insert(b.end(), plain.begin(), plain.begin() + static_cast<std::ptrdiff_t>(payload));
  b[wire::kIpProtocolAt] = next_header;
  wire::put_be16(b, wire::kIpTotalLengthAt, static_cast<std::uint16_t>(b.size()));
  wire::put_be16(b, wire::kIpChecksumAt, 0);
  wire::put_be16(b, wire::kIpChecksumAt, wire::internet_checksum({b.data(), header}));
  packet.decrypted = true;
  requeue(std::move(packet));
}

}  // namespace irqlab::kernel
