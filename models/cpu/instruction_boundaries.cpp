#include "cpu/instruction_boundaries.h"

#include <stdexcept>

namespace irqlab::models {

InstructionBoundaries::InstructionBoundaries(InstructionLengths lengths, std::uint64_t seed)
    : lengths_(lengths), rng_(seed) {
  if (lengths.min == 0 || lengths.max < lengths.min)
    throw std::invalid_argument("instruction lengths need 1 <= min <= max");
}

Cycle InstructionBoundaries::draw() {
  const Cycle span = lengths_.max - lengths_.min + 1;
  return span == 1 ? lengths_.min : lengths_.min + static_cast<Cycle>(rng_() % span);
}

Cycle InstructionBoundaries::at_or_after(Cycle cycle) {
  if (lengths_.min == lengths_.max) {
    const Cycle len = lengths_.min;
    if (cycle > last_) last_ += (cycle - last_ + len - 1) / len * len;
    return last_;
  }
  while (last_ < cycle) last_ += draw();
  return last_;
}

}  // namespace irqlab::models
