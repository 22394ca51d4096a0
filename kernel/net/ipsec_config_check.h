#pragma once
// validate_config()'s checks of the ipsec: block (net/ipsec_config.h).
#include <string>
#include <vector>

namespace irqlab::kernel {

struct KernelConfig;

// Appends one sentence per problem of config.ipsec to `errors`. Host side.
void check_ipsec(const KernelConfig& config, std::vector<std::string>& errors);

}  // namespace irqlab::kernel
