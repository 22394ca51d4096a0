#pragma once
// Counters the kernel keeps for results. Harts run one at a time (cooperatively, on the
// simulator's thread), so plain integers suffice.
#include <cstdint>
#include <vector>

namespace irqlab::kernel {

struct CpuStats {
  std::uint64_t interrupts = 0;  // external-interrupt traps taken
  std::uint64_t spurious = 0;    // traps whose first claim returned 0
  std::uint64_t ticks = 0;       // timer ticks handled
};

struct SourceStats {
  std::uint64_t handled = 0;    // claims dispatched to a registered handler
  std::uint64_t unhandled = 0;  // claims with no handler (completed anyway)
};

struct KernelStats {
  std::vector<CpuStats> cpus;        // indexed by hart
  std::vector<SourceStats> sources;  // indexed by PLIC source ID (entry 0 unused)
};

}  // namespace irqlab::kernel
