#include "net/mac_tx_sink.h"

namespace irqlab::models::net {

namespace {

// keep = 1, 3, 7 or F: bytes contiguous from byte 0.
bool contiguous_keep(std::uint8_t keep) {
  return keep == 0x1 || keep == 0x3 || keep == 0x7 || keep == 0xF;
}

}  // namespace

const char* tx_frame_status_name(TxFrameStatus status) {
  switch (status) {
    case TxFrameStatus::Ok:
      return "ok";
    case TxFrameStatus::BadFcs:
      return "bad_fcs";
    case TxFrameStatus::BadKeep:
      return "bad_keep";
  }
  return "?";
}

void MacTxSink::accept(Cycle cycle, const MacBeat& beat) {
  if (!contiguous_keep(beat.keep) || (!beat.last && beat.keep != 0xF)) bad_keep_ = true;
  for (unsigned i = 0; i < kBeatBytes; ++i)
    if ((beat.keep >> i) & 1u)
      collecting_.push_back(static_cast<std::uint8_t>(beat.data >> (8 * i)));
  if (!beat.last) return;
  TxFrameStatus status = TxFrameStatus::Ok;
  if (bad_keep_)
    status = TxFrameStatus::BadKeep;
  else if (!fcs_matches(collecting_))
    status = TxFrameStatus::BadFcs;
  ++frames_;
  if (status != TxFrameStatus::Ok) ++bad_frames_;
  if (on_transmitted_) on_transmitted_(TransmittedFrame{frames_, cycle, status, collecting_});
  collecting_.clear();
  bad_keep_ = false;
}

}  // namespace irqlab::models::net
