#include "drivers/nic/nic_counters.h"

namespace irqlab::kernel {

const char* nic_counter_name(NicCounterId id) {
  switch (id) {
    case NicCounterId::Mpc: return "mpc";
    case NicCounterId::Rlec: return "rlec";
    case NicCounterId::Rnbc: return "rnbc";
    case NicCounterId::Gprc: return "gprc";
    case NicCounterId::Gptc: return "gptc";
    case NicCounterId::Gorc: return "gorc";
    case NicCounterId::Gotc: return "gotc";
  }
  return "?";
}

}  // namespace irqlab::kernel
