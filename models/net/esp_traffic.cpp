#include "net/esp_traffic.h"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <string>

#include "net/seeded_draw.h"

namespace irqlab::models::net {

namespace {

std::uint32_t spi_not_in(const std::vector<EspSa>& sas) {
  std::uint32_t spi = std::numeric_limits<std::uint32_t>::max();
  while (std::any_of(sas.begin(), sas.end(), [spi](const EspSa& sa) { return sa.spi == spi; }))
    --spi;
  return spi;
}

}  // namespace

EspFrameMaker::EspFrameMaker(const EspTrafficSpec& spec, const MacAddress& destination,
                             EspExpectations* expectations)
    : spec_(spec),
      flow_{destination, spec.local_ip, spec.udp_port},
      unknown_spi_(spi_not_in(spec.sas)),
      expectations_(expectations),
      last_sequence_(spec.sas.size(), 0) {
  if (spec.sas.empty()) throw std::invalid_argument("ESP traffic needs at least one SA");
  const EspPayloadSizes& s = spec.payload_bytes;
  if (s.min == 0 || s.min > s.max || s.max > kMaxEspPayloadBytes)
    throw std::invalid_argument(
        "ESP payload sizes " + std::to_string(s.min) + ".." + std::to_string(s.max) +
        ": expected 1 <= min <= max <= " + std::to_string(kMaxEspPayloadBytes));
}

std::vector<std::uint8_t> EspFrameMaker::draw_payload(std::mt19937_64& rng) const {
  const auto size =
      static_cast<std::size_t>(uniform_draw(rng, spec_.payload_bytes.min, spec_.payload_bytes.max));
  std::vector<std::uint8_t> payload(size);
  std::uint64_t bits = 0;
  for (std::size_t k = 0; k < size; ++k) {
    if (k % 8 == 0) bits = rng();
    payload[k] = static_cast<std::uint8_t>(bits >> (8 * (k % 8)));
  }
  return payload;
}

Frame EspFrameMaker::make(std::uint64_t frame_sequence, std::mt19937_64& rng) {
  std::vector<std::uint8_t> payload = draw_payload(rng);
  const std::size_t sa_index = next_sa_++ % spec_.sas.size();
  const EspSa& sa = spec_.sas[sa_index];
  if (last_sequence_[sa_index] == std::numeric_limits<std::uint32_t>::max())
    throw std::runtime_error("ESP traffic: SA " + std::to_string(sa.spi) +
                             " has used every 32-bit sequence number (RFC 4303 §3.3.3)");
  const std::uint32_t sequence = ++last_sequence_[sa_index];

  EspExpectation expected{sa.spi, sequence, std::nullopt, {}};
  Frame frame;
  if (spec_.malformed_every != 0 && frame_sequence % spec_.malformed_every == 0) {
    const EspMalformation kind = kMalformationOrder[malformed_made_++ % kMalformationOrder.size()];
    MalformedFrame bad = malformed(kind, sa, sequence, payload);
    frame = std::move(bad.frame);
    expected.drop = bad.cause;
    if (kind == EspMalformation::UnknownSpi) expected.spi = unknown_spi_;
  } else if (spec_.bad_tag_every != 0 && frame_sequence % spec_.bad_tag_every == 0) {
    frame = esp_frame(flow_, sa, sequence, payload);
    frame[frame.size() - kEspIcvBytes] ^= 1U;
    expected.drop = kernel::NetDropCause::BadTag;
  } else {
    frame = esp_frame(flow_, sa, sequence, payload);
  }
  expected.payload = std::move(payload);
  if (expectations_ != nullptr) expectations_->record(frame_sequence, std::move(expected));
  return frame;
}

EspFrameMaker::MalformedFrame EspFrameMaker::malformed(
    EspMalformation kind, const EspSa& sa, std::uint32_t sequence,
    const std::vector<std::uint8_t>& payload) const {
  using kernel::NetDropCause;
  switch (kind) {
    case EspMalformation::Short: {
      Frame f = esp_frame(flow_, sa, sequence, payload);
      f.resize(f.size() - kEspIcvBytes);  // at least 62 bytes remain: no Ethernet padding
      return {std::move(f), NetDropCause::Short};
    }
    case EspMalformation::UnknownSpi: {
      EspSa unknown = sa;
      unknown.spi = unknown_spi_;
      return {esp_frame(flow_, unknown, sequence, payload), NetDropCause::UnknownSa};
    }
    case EspMalformation::BadPadding:
      return {esp_frame(flow_, sa, sequence, payload, EspPadding::Zeroed),
              NetDropCause::BadPadding};
    case EspMalformation::NotForUs: {
      EspFlow elsewhere = flow_;
      elsewhere.destination_ip[3] ^= 1U;
      return {esp_frame(elsewhere, sa, sequence, payload), NetDropCause::NotForUs};
    }
    case EspMalformation::BadIpHeader: {
      Frame f = esp_frame(flow_, sa, sequence, payload);
      f[kEspFrameIpOffset + 11] ^= 1U;  // low byte of the header checksum
      return {std::move(f), NetDropCause::BadIpHeader};
    }
    case EspMalformation::NoSocket: {
      EspFlow other_port = flow_;
      other_port.destination_port =
          flow_.destination_port == 0xFFFF ? 0xFFFE : flow_.destination_port + 1;
      return {esp_frame(other_port, sa, sequence, payload), NetDropCause::NoSocket};
    }
  }
  throw std::logic_error("EspFrameMaker: unknown malformation");
}

}  // namespace irqlab::models::net
