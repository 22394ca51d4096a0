#pragma once
// Where a running hart can take an interrupt: at instruction boundaries.
//
// Kernel work is cost-annotated (consume(n)); this lays instructions over those cycles so
// that a pending interrupt is taken at the first boundary at or after the cycle its line is
// high, as a core does. Every piece of work starts at a boundary. Lengths are fixed
// (min == max; 1, the default, makes every cycle a boundary) or drawn uniformly from
// [min, max] by a per-hart generator seeded from the scenario seed, so boundaries are
// deterministic and do not depend on how the platform was simulated.
#include <cstdint>
#include <random>

#include "machine/machine.h"

namespace irqlab::models {

using kernel::Cycle;

struct InstructionLengths {
  Cycle min = 1;
  Cycle max = 1;
};

class InstructionBoundaries {
 public:
  InstructionBoundaries(InstructionLengths lengths, std::uint64_t seed);

  // A piece of work starts at `start`, which is a boundary.
  void begin(Cycle start) { last_ = start; }
  // The first boundary at or after `cycle` (not before the start of the work).
  Cycle at_or_after(Cycle cycle);

 private:
  Cycle draw();

  InstructionLengths lengths_;
  std::mt19937_64 rng_;
  Cycle last_ = 0;
};

}  // namespace irqlab::models
