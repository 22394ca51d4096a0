#include "machine/bus_error.h"

#include <cstdio>

namespace irqlab::kernel {

namespace {

std::string describe(Addr address, bool write, const std::string& why) {
  char addr[24];
  std::snprintf(addr, sizeof addr, "0x%08llx", static_cast<unsigned long long>(address));
  return std::string("bus error: ") + (write ? "write" : "read") + " of " + addr + ": " + why;
}

}  // namespace

BusError::BusError(Addr address, bool write, const std::string& why)
    : std::runtime_error(describe(address, write, why)), address(address), write(write) {}

void MachineClient::bus_fault(const BusError& error) { throw error; }

std::string MachineClient::describe_context(ContextId) const { return {}; }

}  // namespace irqlab::kernel
