#pragma once
// The receive side of the wire: frames from a TrafficSource, serialised at the line rate,
// presented as 32-bit beats on the NIC's MAC receive pins (net/ethernet.h, beat format).
//
// Timing, all in integer ps (no floating point, no accumulated rounding):
//   byte time  b = 8000 / line_rate_gbps ps (8000, 800, 320 for 1, 10, 25 Gbit/s);
//   a frame's transmission starts at S = max(its earliest start, the end of the previous
//     frame's FCS + 12 bytes of inter-frame gap): the wire is serial, so a frame whose
//     earliest start falls while the one before is still on the wire (or in its gap)
//     waits for it;
//   the preamble and SFD take 8 bytes, then the frame and its FCS (appended here);
//   beat k (wire bytes 4k .. 4k+3, fewer on the last) is complete when its last byte has
//     arrived, at S + (8 + min(4k + 4, L)) × b for a wire frame of L bytes, and is presented
//     in the first cycle c with c × clock_period_ps >= that time, for that one cycle.
// A 32-bit beat per cycle carries 32 / clock period bits per ps (3.2 Gbit/s at 100 MHz):
// when the line rate is higher, a beat whose cycle is not after the previous beat's is
// presented in the cycle after it instead, so the pins, not the wire, then limit the rate
// (the beats of later frames follow with the same delay; wire times stay as above).
//
// The RTL stepper drives nic_mac_rx_* from pins(cycle); mac_rx_ready_o is ignored (a wire
// cannot be back-pressured; the RTL counts what it drops). Between beats the pins show
// valid = 0 and data, keep and last 0.
//
// Belongs to the one simulation thread.
#include <cstdint>
#include <functional>
#include <optional>
#include <span>

#include "net/ethernet.h"
#include "net/traffic.h"

namespace irqlab::models::net {

// A frame whose last beat has just been presented (FrameOffered in the event stream).
struct OfferedFrame {
  std::uint64_t sequence = 0;                // 1-based, in order of offer
  Cycle cycle = 0;                           // cycle of its last beat
  std::uint64_t wire_start_ps = 0;           // start of its preamble
  std::span<const std::uint8_t> wire_bytes;  // the frame and its FCS; valid during the callback
};

class MacWire {
 public:
  using OfferedCallback = std::function<void(const OfferedFrame&)>;

  // `source` must outlive the wire. Throws std::invalid_argument for a line rate other than
  // 1, 10, 25 or a clock period of 0.
  MacWire(TrafficSource& source, unsigned line_rate_gbps, std::uint64_t clock_period_ps,
          OfferedCallback on_offered);

  // The first cycle after the last one asked for by pins() (from cycle 0 before the first
  // call) at which the pins differ from that cycle's; nullopt when they never change again.
  // May pull the next frame from the source.
  std::optional<Cycle> next_change();

  // The pins in `cycle`. Cycles asked for must not decrease and must not pass next_change()
  // (a skipped beat would be lost: std::logic_error). Calls the callback when the returned
  // beat is a frame's last, once per frame.
  MacBeat pins(Cycle cycle);

  std::uint64_t frames_offered() const { return offered_; }

 private:
  // Loads the next frame from the source into frame_ (false when there is none).
  bool load_next_frame();
  // Cycle of beat next_beat_ of frame_.
  Cycle cycle_of_next_beat() const;
  bool have_beat();

  TrafficSource& source_;
  std::uint64_t byte_ps_;
  std::uint64_t clock_period_ps_;
  OfferedCallback on_offered_;

  Frame wire_frame_;  // the frame being presented, with FCS
  bool frame_loaded_ = false;
  bool source_done_ = false;
  std::uint64_t wire_start_ps_ = 0;       // of wire_frame_
  std::uint64_t wire_free_ps_ = 0;        // the earliest start of the next frame (end of the gap)
  std::size_t next_beat_ = 0;             // index in wire_frame_ of the next beat to present
  std::optional<Cycle> last_beat_cycle_;  // of the last beat presented (any frame)
  std::optional<Cycle> asked_;            // last cycle pins() was asked for
  MacBeat shown_;                         // the pins in cycle asked_
  std::uint64_t offered_ = 0;
};

}  // namespace irqlab::models::net
