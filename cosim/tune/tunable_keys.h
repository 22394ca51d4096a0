#pragma once
// The tuner's search space: the scenario keys that set a software-visible register of
// the SoC (a PLIC priority, enable bit or threshold floor, a NIC moderation timer, the
// crypto engine's coalescing), so the configuration a tuner chooses is one firmware can write.
// Each entry names its key in the key table (scenario_keys.h) and the register it sets. RTL
// parameters (FIFO depth, priority bits) are not scenario keys: tune/rtl_space.h reads
// them, and each configuration gets its own Verilated model (tune/rtl_variant_cache.h).
//
// Any context after static initialisation (pure tables).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace irqlab::cosim::tune {

enum class TunableKind {
  Priority,        // a PLIC source's PRIO register
  Enable,          // a source's bit in each hart context's IE register (a list of harts)
  NicTimer,        // NIC ITR, RDTR or RADV
  Coalescing,      // the crypto engine's COAL fields
  ThresholdFloor,  // every hart context's THRESHOLD at boot, which spl keeps as a floor
};

struct TunableKey {
  std::string path;  // the key table's path: sources[].priority, nic.itr, ...
  TunableKind kind;
  std::string register_name;  // the register it sets, as docs/rtl.md names it
};

// Every tunable key, in the order `irqlab list` shows them.
const std::vector<TunableKey>& tunable_keys();
// The entry for `table_path`, or none when that key is not tunable.
std::optional<TunableKey> find_tunable(std::string_view table_path);

}  // namespace irqlab::cosim::tune
