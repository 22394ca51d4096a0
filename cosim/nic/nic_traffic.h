#pragma once
// The NIC's traffic figures, taken from the run's one event stream (kernel/trace/trace.h):
// the RTL's FrameOffered / FrameDropped / FrameTransmitted and the driver's
// PacketDelivered / PacketSent / NicCounter / NicError, plus the NIC source's handler starts.
//
// Latency of a frame: from its FrameOffered cycle (its last byte at the MAC) to its
// PacketDelivered cycle. Frames are delivered in the order the MAC received them, so the
// k-th delivery is the k-th offered frame that was not dropped. The match is sound
// although the RTL may run ahead of the harts: a frame is delivered only after its DMA,
// which the RTL performs after its offer and after any earlier frame's drop (one cycle
// after that frame's last beat), so those events are in the stream before the delivery.
// Each delivery is checked against its frame: the delivered bytes must be the frame as
// offered, less the FCS when the lengths say it was stripped; a delivery that is not is
// counted as mismatched (it never is when the NIC works).
//
// May be called wherever the Tracer is (the simulator's one thread).
#include <array>
#include <cstdint>
#include <deque>
#include <vector>

#include "drivers/nic/nic_counters.h"
#include "metrics/histogram.h"
#include "nic/nic_counter_values.h"
#include "trace/trace.h"

namespace irqlab::cosim {

class NicTraffic : public kernel::TraceSink {
 public:
  // `source`: the NIC's PLIC source (its handler starts are its interrupts).
  explicit NicTraffic(unsigned source) : source_(source) {}

  void record(const kernel::TraceEvent& event) override;

  std::uint64_t offered() const { return offered_; }
  std::uint64_t dropped_fifo() const { return dropped_[0]; }    // cause 0, MPC
  std::uint64_t dropped_length() const { return dropped_[1]; }  // cause 1, RLEC
  // Offered frames the MAC took (drops of looped-back frames, sequence 0, are not offered).
  std::uint64_t received() const { return offered_ - dropped_offered_; }
  std::uint64_t delivered() const { return delivered_; }
  std::uint64_t mismatched() const { return mismatched_; }
  // Received frames not delivered (yet) when the run ended.
  std::uint64_t undelivered() const { return pending_.size(); }
  std::uint64_t sent() const { return sent_; }
  std::uint64_t transmitted() const { return transmitted_; }
  std::uint64_t interrupts() const { return interrupts_; }
  // Sum of the values the driver read back from each statistics register.
  const NicCounterValues& driver_counters() const { return driver_counters_; }
  // Engine errors the driver reported, by kernel::NicErrorCause.
  const std::array<std::uint64_t, kernel::kNicErrorCauseCount>& errors() const { return errors_; }
  const CycleHistogram& latency() const { return latency_; }

 private:
  struct Offer {
    std::uint32_t sequence;
    kernel::Cycle cycle;
    std::vector<std::uint8_t> frame;
  };
  void deliver(const kernel::TraceEvent& event);

  unsigned source_;
  std::uint64_t offered_ = 0;
  std::array<std::uint64_t, 2> dropped_{};  // by cause, looped-back frames included
  std::uint64_t dropped_offered_ = 0;
  std::uint64_t delivered_ = 0;
  std::uint64_t mismatched_ = 0;
  std::uint64_t sent_ = 0;
  std::uint64_t transmitted_ = 0;
  std::uint64_t interrupts_ = 0;
  NicCounterValues driver_counters_{};
  std::array<std::uint64_t, kernel::kNicErrorCauseCount> errors_{};
  std::deque<Offer> pending_;  // offered, not dropped, not yet delivered; in offer order
  CycleHistogram latency_;
};

}  // namespace irqlab::cosim
