#pragma once
// The `ipsec` and `crypto` blocks of results.json (docs/results-schema.md) and their part
// of the console table, from the IPsec path (ipsec/ipsec_path.h) once finished.
#include <cstdio>
#include <nlohmann/json.hpp>

#include "ipsec/ipsec_path.h"

namespace irqlab::cosim {

struct IpsecReport {
  const IpsecPath* path = nullptr;  // finished
  std::uint64_t clock_period_ps = 0;
};

nlohmann::ordered_json ipsec_json(const IpsecReport& report);
nlohmann::ordered_json crypto_json(const IpsecReport& report);
void print_ipsec_summary(const IpsecReport& report, std::FILE* out);

}  // namespace irqlab::cosim
