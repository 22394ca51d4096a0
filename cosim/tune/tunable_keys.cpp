#include "tune/tunable_keys.h"

namespace irqlab::cosim::tune {

const std::vector<TunableKey>& tunable_keys() {
  static const std::vector<TunableKey> keys{
      {"sources[].priority", TunableKind::Priority, "PLIC PRIO[source]"},
      {"sources[].cpus", TunableKind::Enable, "PLIC IE[hart] bit source"},
      {"kernel.tick_priority", TunableKind::Priority, "PLIC PRIO of the timer sources"},
      {"kernel.threshold_floor", TunableKind::ThresholdFloor,
       "PLIC THRESHOLD[hart] at boot, the floor under spl (one value for every hart)"},
      {"nic.priority", TunableKind::Priority, "PLIC PRIO of the NIC's source"},
      {"nic.cpus", TunableKind::Enable, "PLIC IE[hart] bit of the NIC's source"},
      {"nic.itr", TunableKind::NicTimer, "NIC ITR.INTERVAL"},
      {"nic.rdtr", TunableKind::NicTimer, "NIC RDTR.DELAY"},
      {"nic.radv", TunableKind::NicTimer, "NIC RADV.DELAY"},
      {"crypto.priority", TunableKind::Priority, "PLIC PRIO of the crypto engine's source"},
      {"crypto.cpus", TunableKind::Enable, "PLIC IE[hart] bit of the crypto engine's source"},
      {"crypto.coalesce_count", TunableKind::Coalescing, "crypto COAL.COUNT"},
      {"crypto.coalesce_timeout", TunableKind::Coalescing, "crypto COAL.TIMEOUT"},
  };
  return keys;
}

std::optional<TunableKey> find_tunable(std::string_view table_path) {
  for (const TunableKey& k : tunable_keys())
    if (k.path == table_path) return k;
  return std::nullopt;
}

}  // namespace irqlab::cosim::tune
