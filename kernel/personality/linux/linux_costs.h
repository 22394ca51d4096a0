#pragma once
// The Linux personality's own cost fields. A cost profile carries them by name
// (CostProfile::personality, filled by the scenario loader from the fields this
// personality registers); the Linux code reads them once, when its objects are built.
// A profile that does not set one (a kernel test's own profile) costs it 0 cycles.
#include <span>
#include <string_view>

#include "cost/cost_profile.h"

namespace irqlab::kernel::lnx {

struct LinuxCosts {
  Cycle work_queue = 0;     // queue_work: PENDING test-and-set, pick the pool, list insert
  Cycle work_process = 0;   // a worker takes a work item (process_one_work bookkeeping)
  Cycle worker_create = 0;  // the work-queue manager creates a kworker (kthread setup)
  Cycle softirq_pass = 0;   // handle_softirqs: one pass (snapshot and clear the mask, walk it)
};

struct LinuxCostField {
  std::string_view name;
  Cycle LinuxCosts::*member;
  std::string_view meaning;
};

// Every field of LinuxCosts with its name in a cost profile.
std::span<const LinuxCostField> cost_fields();
// The Linux costs `profile` sets (0 for a field it does not set).
LinuxCosts linux_costs(const CostProfile& profile);

}  // namespace irqlab::kernel::lnx
