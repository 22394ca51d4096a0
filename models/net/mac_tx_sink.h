#pragma once
// The transmit side of the wire: collects the beats the NIC's MAC transmit pins hand over
// (net/ethernet.h, beat format) into frames, checks each frame's FCS and reports it
// (FrameTransmitted in the event stream). A bad FCS or a malformed beat sequence is
// reported with the frame, never dropped silently.
//
// The sink accepts a beat in every cycle (the stepper ties nic_mac_tx_ready_i to 1): the
// transmit wire's serialisation is not modelled, a frame is timed by its last beat.
//
// Belongs to the one simulation thread.
#include <cstdint>
#include <functional>
#include <span>

#include "net/ethernet.h"

namespace irqlab::models::net {

enum class TxFrameStatus : std::uint8_t {
  Ok,
  BadFcs,   // the last four bytes are not the CRC-32 of the rest (or the frame is shorter than an
            // FCS)
  BadKeep,  // a beat before the last had keep != 0xF, or a keep was not contiguous from byte 0
};

const char* tx_frame_status_name(TxFrameStatus status);  // "ok", "bad_fcs", "bad_keep"

struct TransmittedFrame {
  std::uint64_t sequence = 0;  // 1-based, in order of transmission
  Cycle cycle = 0;             // cycle of its last beat
  TxFrameStatus status = TxFrameStatus::Ok;
  std::span<const std::uint8_t>
      wire_bytes;  // as on the wire, FCS included; valid during the callback
};

class MacTxSink {
 public:
  using TransmittedCallback = std::function<void(const TransmittedFrame&)>;

  explicit MacTxSink(TransmittedCallback on_transmitted)
      : on_transmitted_(std::move(on_transmitted)) {}

  // A beat the pins hand over in `cycle` (valid and ready both high); cycles increase.
  // On the last beat of a frame, calls the callback.
  void accept(Cycle cycle, const MacBeat& beat);

  std::uint64_t frames() const { return frames_; }
  std::uint64_t bad_frames() const { return bad_frames_; }

 private:
  TransmittedCallback on_transmitted_;
  Frame collecting_;
  bool bad_keep_ = false;
  std::uint64_t frames_ = 0;
  std::uint64_t bad_frames_ = 0;
};

}  // namespace irqlab::models::net
