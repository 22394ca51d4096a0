#pragma once
// Where the devices sit and which interrupt sources they drive. Filled from the SoC
// description by the platform (cosim/soc_map), so kernel code holds no addresses.
//
// `devices` is the kernel's device tree, flattened: each entry names the driver that
// serves it (drivers/driver_registry.h) and the kernel attaches and boots the drivers in
// this order. The interrupt controller comes first: every other driver requests its
// sources from it. The PLIC's geometry stays in named fields because the core (the IRQ
// table, spl, the IPL tables, personalities) sizes itself from it.
#include <string>
#include <string_view>
#include <vector>

#include "machine/machine.h"

namespace irqlab::kernel {

struct PlatformDevice {
  std::string name;  // the driver's registry key: "plic", "timer", "ipi", ...
  Addr base = 0;
  // PLIC source of each of its interrupt lines, in the device's line order (for the
  // per-hart timer and IPI devices, line h is hart h's).
  std::vector<unsigned> sources;
};

struct PlatformMap {
  unsigned plic_sources = 0;  // number of source IDs, including the reserved ID 0
  unsigned plic_contexts = 0;
  unsigned plic_max_priority = 0;  // largest priority the PLIC's PRIO registers hold
  std::vector<PlatformDevice> devices;
  Addr ram_base = 0;  // main memory, where drivers place descriptor rings and buffers
  Addr ram_size = 0;

  // The device called `name`, or nullptr. Any context.
  const PlatformDevice* find(std::string_view name) const {
    for (const PlatformDevice& d : devices)
      if (d.name == name) return &d;
    return nullptr;
  }
  PlatformDevice* find(std::string_view name) {
    return const_cast<PlatformDevice*>(static_cast<const PlatformMap&>(*this).find(name));
  }
  // Its sources, empty when there is no such device. Any context.
  std::vector<unsigned> sources_of(std::string_view name) const {
    const PlatformDevice* d = find(name);
    return d == nullptr ? std::vector<unsigned>{} : d->sources;
  }
};

}  // namespace irqlab::kernel
