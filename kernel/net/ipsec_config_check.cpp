#include "net/ipsec_config_check.h"

#include <set>

#include "kernel_config.h"

namespace irqlab::kernel {

void check_ipsec(const KernelConfig& config, std::vector<std::string>& errors) {
  const IpsecConfig& ipsec = config.ipsec;
  const auto fail = [&errors](std::string message) {
    errors.push_back("ipsec: " + std::move(message));
  };
  if (!config.nic.present) fail("needs the nic: block, its packets come from the NIC");
  if (config.personality.name == "none")
    fail("ipintr is deferred work, which the personality \"none\" cannot run");
  if (ipsec.sas.empty()) fail("no security association (sa): every ESP packet would be dropped");
  std::set<std::uint32_t> spis;
  for (const SecurityAssociation& sa : ipsec.sas) {
    if (sa.spi == 0) fail("SPI 0 is reserved (RFC 4303 §2.1)");
    if (!spis.insert(sa.spi).second) fail("SPI " + std::to_string(sa.spi) + " is used by two SAs");
  }
  if (ipsec.socket_queue == 0) fail("socket_queue is 0: every datagram would be dropped");
  if (ipsec.receiver_cpu >= config.cpus)
    fail("receiver_cpu " + std::to_string(ipsec.receiver_cpu) + " is not below cpus (" +
         std::to_string(config.cpus) + ")");
  if (ipsec.busy_cpu >= config.cpus && (ipsec.busy_user || ipsec.rekey_period != 0))
    fail("busy_cpu " + std::to_string(ipsec.busy_cpu) + " is not below cpus (" +
         std::to_string(config.cpus) + ")");
  if (ipsec.rekey_period == 0 && ipsec.rekey_hold != 0)
    fail("rekey hold_cycles without period_cycles");
  if (ipsec.rekey_period != 0) {
    if (ipsec.rekey_hold >= ipsec.rekey_period)
      fail("rekey hold_cycles " + std::to_string(ipsec.rekey_hold) +
           " is not below period_cycles " + std::to_string(ipsec.rekey_period));
    if (config.tick.period == 0)
      fail("rekey needs the tick (kernel.tick.period): the rekey thread is woken by it");
  }
}

}  // namespace irqlab::kernel
