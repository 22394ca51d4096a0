#include "mem/bump_allocator.h"

#include <stdexcept>
#include <string>

namespace irqlab::kernel {

Addr BumpAllocator::allocate(Addr size, Addr align) {
  if (align == 0 || (align & (align - 1)) != 0)
    throw std::invalid_argument("BumpAllocator: alignment " + std::to_string(align) + " is not a power of two");
  const Addr start = (next_ + align - 1) & ~(align - 1);
  if (start < next_ || start > end_ || size > end_ - start)
    throw std::length_error("BumpAllocator: " + std::to_string(size) + " bytes (aligned to " +
                            std::to_string(align) + ") do not fit: " +
                            std::to_string(end_ > next_ ? end_ - next_ : 0) + " bytes of main memory left");
  next_ = start + size;
  return start;
}

}  // namespace irqlab::kernel
