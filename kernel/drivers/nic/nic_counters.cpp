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

const char* nic_error_cause_name(NicErrorCause cause) {
  switch (cause) {
    case NicErrorCause::RxDma:
      return "rx_dma";
    case NicErrorCause::TxDma:
      return "tx_dma";
  }
  return "?";
}

}  // namespace irqlab::kernel
