#pragma once
// The RTL half of the tune space (docs/tune.md, "RTL parameters"): keys `rtl.<name>`
// naming a parameter rtl/soc/soc.yaml's `tunable:` section declares (a device module's
// parameter such as nic.RxFifoBytes, plic.priority_bits, or a one-line device's source ID
// such as nic.source_id) with the range the RTL supports. Each combination of their values
// is an RTL configuration: a Verilated model of its own (rtl_variant_cache.h), the outer
// loop of the search. Source IDs form a wiring: a combination that gives two devices one
// ID is not a configuration, and a source ID another line keeps is refused.
//
// Main thread (the scenario loader and the tune command); reads the description file.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/config_node.h"

namespace irqlab::cosim::tune {

inline constexpr std::string_view kRtlKeyPrefix = "rtl.";

// An RTL parameter the description lets the tuner vary.
struct RtlLimits {
  std::string name;  // nic.RxFifoBytes, plic.priority_bits, nic.source_id
  std::uint64_t min = 0;
  std::uint64_t max = 0;
  bool power_of_two = false;
  std::string desc;
};

// One RTL dimension of a tune space.
struct RtlParameter {
  std::string key;   // as written: rtl.nic.RxFifoBytes
  std::string name;  // the description's: nic.RxFifoBytes
  std::vector<std::uint64_t> values;
  std::string where;  // file:line of the entry
};

// Parameter name -> value, in the space's order.
using RtlConfiguration = std::vector<std::pair<std::string, std::uint64_t>>;

// The description's tunable RTL parameters (rtl/soc/soc.yaml of the source tree irqlab
// was built from). Throws ConfigError naming the file when it cannot be read.
const std::vector<RtlLimits>& tunable_rtl_parameters();

bool names_rtl_parameter(std::string_view key);

// Reads a tune.space entry whose key starts with rtl.: values or an inclusive range
// (step 1, or a doubling with `power_of_two` parameters), each checked against the
// description's range. Throws ConfigError naming file, line and key.
RtlParameter read_rtl_parameter(const ConfigNode& entry);

// True for `<device>.source_id`: the PLIC source a one-line device's interrupt drives.
bool is_source_id(std::string_view name);

// Refuses (ConfigError naming the entry's file, line and key) a source ID that a line
// outside the space keeps (a timer, an IPI, an external line, or a device whose source
// ID the space does not vary) and a space in which every wiring gives two devices one ID.
void check_source_wiring(const std::vector<RtlParameter>& parameters);

// Every combination of the parameters' values, the first parameter changing slowest,
// without those that give two devices one source ID; one empty configuration when there
// are no RTL parameters.
std::vector<RtlConfiguration> rtl_configurations(const std::vector<RtlParameter>& parameters);

// The PLIC source `device`'s interrupt drives under `c`: its source_id there, or the
// running binary's.
unsigned wired_source(const RtlConfiguration& c, std::string_view device);

// The value the running binary's model was built with (rtl/rtl_configuration.h).
std::uint64_t built_value(const std::string& name);
// True when every value is the one the running binary was built with.
bool is_built_configuration(const RtlConfiguration& c);

// {"nic.RxFifoBytes": 4096, ...}, as tools/rtl_variant.py takes it.
std::string configuration_json(const RtlConfiguration& c);
// "rtl.nic.RxFifoBytes=4096, ..." for tables ("built-in" when empty).
std::string describe_configuration(const RtlConfiguration& c);

}  // namespace irqlab::cosim::tune
