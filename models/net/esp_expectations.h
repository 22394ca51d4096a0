#pragma once
// What should become of each ESP frame the traffic source offers (net/esp_traffic.h): the
// UDP payload the receiving user process must read, byte for byte, or the cause for which
// the kernel must drop it (kernel/net/net_events.h). Frames are keyed by their sequence
// number on the wire (OfferedFrame::sequence, FrameOffered's arg: 1-based in offer order,
// every frame of the source). The results code compares the run's SocketRead and PacketDrop
// events with it. A frame expected to be delivered may still be lost for reasons the wire
// does not decide (the NIC's overflow, SocketFull, CryptoError under load); those are the
// results' to account.
//
// Memory: only the frames whose outcome is not settled yet are held. The results code
// forgets a frame once it has been read, dropped by the kernel or dropped by the NIC, so a
// long run holds the frames in flight, not every frame it offered (docs/reliability.md,
// Soak).
//
// Belongs to the one simulation thread; the source records while the run offers frames.
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "net/net_events.h"

namespace irqlab::models::net {

struct EspExpectation {
  std::uint32_t spi = 0;                     // as on the wire (an unknown one for UnknownSa)
  std::uint32_t esp_sequence = 0;            // the ESP sequence number in the frame
  std::optional<kernel::NetDropCause> drop;  // nullopt: delivered to the socket
  std::vector<std::uint8_t> payload;         // the UDP payload (also of a dropped packet)
};

class EspExpectations {
 public:
  // Records frame `frame_sequence`'s outcome; frames are recorded in order from 1
  // (std::logic_error otherwise).
  void record(std::uint64_t frame_sequence, EspExpectation expectation);
  // The outcome of frame `frame_sequence`; nullptr when it was not (yet) offered or has
  // been forgotten.
  const EspExpectation* find(std::uint64_t frame_sequence) const;
  // Frees frame `frame_sequence`'s record (its outcome is settled); no-op if not held.
  void forget(std::uint64_t frame_sequence) { unsettled_.erase(frame_sequence); }
  // How many frames were recorded, forgotten ones included.
  std::uint64_t frames() const { return recorded_; }
  // The records still held, by frame sequence: what is in flight.
  const std::map<std::uint64_t, EspExpectation>& unsettled() const { return unsettled_; }

 private:
  std::map<std::uint64_t, EspExpectation> unsettled_;  // frame sequence -> its outcome
  std::uint64_t recorded_ = 0;
};

}  // namespace irqlab::models::net
