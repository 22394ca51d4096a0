#pragma once
// What the receiver should read for each frame the traffic source put on the wire: the
// reference the IPsec results check SocketRead payloads against, byte for byte. The
// traffic source that built the ESP frames (from known plaintexts) answers it; the IPsec
// path (ipsec/ipsec_path.h) only asks.
#include <cstdint>
#include <optional>
#include <span>

namespace irqlab::cosim {

class EspExpectations {
 public:
  virtual ~EspExpectations() = default;
  // The UDP payload the receiver must read for the frame offered `sequence`-th (1-based,
  // the wire's order), or nothing when that frame must not be delivered (a bad tag or a
  // malformed packet). The bytes stay valid as long as this object. Any context.
  virtual std::optional<std::span<const std::uint8_t>> payload(std::uint64_t sequence) const = 0;
};

}  // namespace irqlab::cosim
