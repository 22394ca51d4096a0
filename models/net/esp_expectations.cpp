#include "net/esp_expectations.h"

#include <stdexcept>
#include <string>

namespace irqlab::models::net {

void EspExpectations::record(std::uint64_t frame_sequence, EspExpectation expectation) {
  if (frame_sequence != expected_.size() + 1)
    throw std::logic_error("ESP expectation for frame " + std::to_string(frame_sequence) +
                           " after frame " + std::to_string(expected_.size()));
  expected_.push_back(std::move(expectation));
}

const EspExpectation* EspExpectations::find(std::uint64_t frame_sequence) const {
  if (frame_sequence == 0 || frame_sequence > expected_.size()) return nullptr;
  return &expected_[frame_sequence - 1];
}

}  // namespace irqlab::models::net
