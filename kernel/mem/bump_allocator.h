#pragma once
// Main memory for device DMA (descriptor rings, packet buffers): a bump allocator over
// PlatformMap's [ram_base, ram_base + ram_size). Drivers take their memory once, at
// attach, and never give it back, so nothing more than a moving cursor is needed.
#include "machine/machine.h"

namespace irqlab::kernel {

class BumpAllocator {
 public:
  BumpAllocator(Addr base, Addr size) : base_(base), end_(base + size), next_(base) {}

  // Host side (Driver::attach()): `size` bytes aligned to `align` (a power of two).
  // Throws std::invalid_argument on a bad alignment, std::length_error when memory is
  // exhausted (naming what was asked for and what is left).
  Addr allocate(Addr size, Addr align);

  Addr used() const { return next_ - base_; }

 private:
  Addr base_;
  Addr end_;
  Addr next_;
};

}  // namespace irqlab::kernel
