#pragma once
// Interrupt priority levels as data: a personality names its levels (NetBSD's IPL_*,
// 4.3BSD's spl*) and says, for each, whether it is a soft level and which PLIC
// threshold masks the hardware while a CPU is at it. Level numbers are indices into the
// table, lowest first; level 0 is the base level (spl0 / IPL_NONE).
//
// Hardware masking is the PLIC threshold of the hart's context: at a level with
// threshold t, sources of priority <= t stay pending. So a scenario gives each device a
// PLIC priority and a personality's table decides at which level it is masked. The
// factories below use one convention: the hardware levels, highest first, mask
// priorities up to max, max-1, max-2, ...; soft levels and level 0 mask nothing.
// Each personality's own table lives in its folder (kernel/personality/<name>/).
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

namespace irqlab::kernel {

struct IplLevel {
  std::string name;
  bool soft = false;       // a software interrupt level (pending bits, no hardware masking)
  unsigned threshold = 0;  // PLIC threshold while the CPU is at this level
  bool operator==(const IplLevel&) const = default;
};

using IplTable = std::vector<IplLevel>;

// NONE, HIGH: what a kernel without a personality's table runs with.
IplTable minimal_ipl_table(unsigned plic_max_priority);
// A table of `levels` (name, soft), lowest first, thresholds by the convention above;
// personalities build theirs with it (kernel/personality/<name>/).
IplTable build_ipl_table(std::initializer_list<std::pair<const char*, bool>> levels,
                         unsigned plic_max_priority);

// Problems with a table, one sentence each (empty table: none, it means minimal).
std::vector<std::string> validate_ipl_table(const IplTable& table, unsigned plic_max_priority);

}  // namespace irqlab::kernel
