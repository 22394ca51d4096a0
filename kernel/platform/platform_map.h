#pragma once
// Where the devices sit and which interrupt sources they drive. Filled from the SoC
// description by the platform (cosim/soc_map), so kernel code holds no addresses.
#include <vector>

#include "machine/machine.h"

namespace irqlab::kernel {

struct PlatformMap {
  Addr plic_base = 0;
  unsigned plic_sources = 0;  // number of source IDs, including the reserved ID 0
  unsigned plic_contexts = 0;
  unsigned plic_max_priority = 0;  // largest priority the PLIC's PRIO registers hold
  Addr timer_base = 0;
  std::vector<unsigned> timer_source;  // PLIC source of each hart's timer compare
  // Inter-processor interrupt device (one level line per hart; see drivers/ipi_driver.h).
  // ipi_base 0 = no device, which only a single-hart kernel may run without.
  Addr ipi_base = 0;
  std::vector<unsigned> ipi_source;  // PLIC source of each hart's IPI line
};

}  // namespace irqlab::kernel
