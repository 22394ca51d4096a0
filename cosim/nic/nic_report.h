#pragma once
// The `nic` block of results.json (docs/results-schema.md) and its line in the console
// table: the NIC's traffic figures (nic/nic_traffic.h) beside its statistics counters, as
// the driver read them back and as they still stood, unread, in the RTL at the end.
#include <cstdio>
#include <nlohmann/json.hpp>

#include "nic/nic_traffic.h"

namespace irqlab::cosim {

struct NicReport {
  const NicTraffic* traffic = nullptr;
  NicCounterValues rtl_unread{};  // read hierarchically at the end, without clearing
  std::uint64_t clock_period_ps = 0;
  kernel::Cycle simulated_cycles = 0;
};

nlohmann::ordered_json nic_json(const NicReport& report);
void print_nic_summary(const NicReport& report, std::FILE* out);

}  // namespace irqlab::cosim
