#include "rtl/rtl_configuration.h"

#include <array>

namespace irqlab::cosim {

namespace {

// Copies of this model's tables with internal linkage: soc_map.h's inline arrays differ
// between the main build and a variant, and only this unit may see the variant's.
constexpr auto kBuiltSocParameters = soc::kSocParameters;
constexpr auto kBuiltDeviceParameters = soc::kDeviceParameters;
constexpr auto kBuiltDevices = std::to_array(soc::kDevices);

}  // namespace

const BuiltRtl& built_rtl() {
  static const BuiltRtl built{kBuiltSocParameters, kBuiltDeviceParameters, soc::kPlicPriorityBits,
                              soc::kMaxPriority,   soc::kNicRxFifoBytes,   kBuiltDevices,
                              soc::nic_source,     soc::crypto_source};
  return built;
}

}  // namespace irqlab::cosim
