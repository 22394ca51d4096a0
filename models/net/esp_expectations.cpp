#include "net/esp_expectations.h"

#include <stdexcept>
#include <string>

namespace irqlab::models::net {

void EspExpectations::record(std::uint64_t frame_sequence, EspExpectation expectation) {
  if (frame_sequence != recorded_ + 1)
    throw std::logic_error("ESP expectation for frame " + std::to_string(frame_sequence) +
                           " after frame " + std::to_string(recorded_));
  ++recorded_;
  unsettled_.emplace_hint(unsettled_.end(), frame_sequence, std::move(expectation));
}

const EspExpectation* EspExpectations::find(std::uint64_t frame_sequence) const {
  const auto it = unsettled_.find(frame_sequence);
  return it == unsettled_.end() ? nullptr : &it->second;
}

}  // namespace irqlab::models::net
