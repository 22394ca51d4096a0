#include "nic/nic_traffic.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace irqlab::cosim {

namespace {
constexpr std::size_t kFcsBytes = 4;
}  // namespace

void NicTraffic::record(const kernel::TraceEvent& event) {
  using kernel::TraceKind;
  switch (event.kind) {
    case TraceKind::FrameOffered:
      ++offered_;
      pending_.push_back({event.arg, event.cycle, {event.data.begin(), event.data.end()}});
      break;
    case TraceKind::FrameDropped: {
      if (event.arg2 >= dropped_.size())
        throw std::logic_error("unknown NIC drop cause " + std::to_string(event.arg2));
      ++dropped_[event.arg2];
      if (event.arg == 0) break;  // a frame looped back by the NIC, never offered by the wire
      const auto it = std::find_if(pending_.begin(), pending_.end(),
                                   [&](const Offer& o) { return o.sequence == event.arg; });
      if (it == pending_.end())
        throw std::logic_error("NIC dropped frame " + std::to_string(event.arg) +
                               ", never offered");
      pending_.erase(it);
      ++dropped_offered_;
      break;
    }
    case TraceKind::PacketDelivered:
      deliver(event);
      break;
    case TraceKind::PacketSent:
      ++sent_;
      break;
    case TraceKind::FrameTransmitted:
      ++transmitted_;
      break;
    case TraceKind::NicCounter:
      if (event.arg < driver_counters_.size()) driver_counters_[event.arg] += event.arg2;
      break;
    case TraceKind::NicError:
      if (event.arg < errors_.size()) ++errors_[event.arg];
      break;
    case TraceKind::HandlerStart:
      if (event.arg == source_) ++interrupts_;
      break;
    default:
      break;
  }
}

void NicTraffic::deliver(const kernel::TraceEvent& event) {
  ++delivered_;
  if (pending_.empty()) {  // delivered without a received frame: nothing to match
    ++mismatched_;
    return;
  }
  const Offer offer = std::move(pending_.front());
  pending_.pop_front();
  if (event.cycle < offer.cycle) {  // delivered before its frame arrived: not this frame
    ++mismatched_;
    return;
  }
  latency_.add(event.cycle - offer.cycle);
  const std::size_t n = event.data.size();
  const bool same_length = n == offer.frame.size() || n + kFcsBytes == offer.frame.size();
  if (!same_length || !std::equal(event.data.begin(), event.data.end(), offer.frame.begin()))
    ++mismatched_;
}

}  // namespace irqlab::cosim
