#pragma once
#include <stdexcept>
#include <string>

#include "machine/machine.h"

namespace irqlab::kernel {

struct BusError : std::runtime_error {
  BusError(Addr address, bool write, const std::string& why);
  Addr address;
  bool write;
};

}  // namespace irqlab::kernel
