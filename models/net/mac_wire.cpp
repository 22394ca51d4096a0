#include "net/mac_wire.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace irqlab::models::net {

MacWire::MacWire(TrafficSource& source, unsigned line_rate_gbps, std::uint64_t clock_period_ps,
                 OfferedCallback on_offered)
    : source_(source),
      byte_ps_(byte_time_ps(line_rate_gbps)),
      clock_period_ps_(clock_period_ps),
      on_offered_(std::move(on_offered)) {
  if (clock_period_ps_ == 0) throw std::invalid_argument("MacWire: clock period of 0 ps");
}

bool MacWire::load_next_frame() {
  std::optional<TimedFrame> next = source_.next();
  if (!next) {
    source_done_ = true;
    return false;
  }
  wire_frame_ = with_fcs(next->bytes);
  wire_start_ps_ = std::max(next->earliest_ps, wire_free_ps_);
  wire_free_ps_ = wire_start_ps_ + (kPreambleBytes + wire_frame_.size() + kIfgBytes) * byte_ps_;
  next_beat_ = 0;
  frame_loaded_ = true;
  return true;
}

bool MacWire::have_beat() {
  if (frame_loaded_) return true;
  if (source_done_) return false;
  return load_next_frame();
}

Cycle MacWire::cycle_of_next_beat() const {
  const std::size_t bytes_done = std::min(next_beat_ * kBeatBytes + kBeatBytes, wire_frame_.size());
  const std::uint64_t complete_ps = wire_start_ps_ + (kPreambleBytes + bytes_done) * byte_ps_;
  const Cycle first = (complete_ps + clock_period_ps_ - 1) / clock_period_ps_;
  return last_beat_cycle_ ? std::max(first, *last_beat_cycle_ + 1) : first;
}

std::optional<Cycle> MacWire::next_change() {
  const bool showing = shown_.valid;
  if (have_beat()) {
    const Cycle beat = cycle_of_next_beat();
    // A beat shown in cycle asked_ ends in the cycle after unless the next one follows at once.
    if (showing && beat > *asked_ + 1) return *asked_ + 1;
    return beat;
  }
  if (showing) return *asked_ + 1;
  return std::nullopt;
}

MacBeat MacWire::pins(Cycle cycle) {
  if (asked_ && cycle == *asked_) return shown_;
  if (asked_ && cycle < *asked_)
    throw std::logic_error("MacWire::pins: cycle " + std::to_string(cycle) + " is before cycle " +
                           std::to_string(*asked_) + " asked for already");
  shown_ = MacBeat{};
  asked_ = cycle;
  if (!have_beat()) return shown_;
  const Cycle beat = cycle_of_next_beat();
  if (beat < cycle)
    throw std::logic_error("MacWire::pins: cycle " + std::to_string(cycle) +
                           " skips the beat due in cycle " + std::to_string(beat) +
                           " (step no further than next_change())");
  if (beat > cycle) return shown_;
  shown_ = beat_of(wire_frame_, next_beat_);
  ++next_beat_;
  last_beat_cycle_ = cycle;
  if (shown_.last) {
    frame_loaded_ = false;
    ++offered_;
    if (on_offered_) on_offered_(OfferedFrame{offered_, cycle, wire_start_ps_, wire_frame_});
  }
  return shown_;
}

}  // namespace irqlab::models::net
