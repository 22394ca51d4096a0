#pragma once
// The security association database (SADB) of inbound ESP SAs, and the lock that guards
// it against the rekey thread. How the lock works follows the context ipintr runs in
// under each personality (docs/kernel-rules.md), chosen once by sa_lock_model():
//
//   RwLock  netbsd, freebsd: an RwLock (sync/rwlock.h) taken as reader by esp_input and as
//           writer by the rekey thread. ipintr runs on an LWP that may block on it: a
//           NetBSD softint (N-SI-10: softints may block on adaptive mutexes and rwlocks)
//           or a FreeBSD swi / ithread (F-12: threaded handlers may block on ordinary
//           mutexes). ipintr is established with may_block = true.
//   Spl     bsd43: ipintr is the netisr, in interrupt context at SOFTNET (B-3, B-4), where
//           blocking panics, so there is no sleeping lock: the reader runs at splnet and
//           the rekey thread raises to SOFTNET for its hold, which holds netintr off until
//           its splx (B-2, B-6). Exact on one CPU, which is how 4.3BSD ran.
//   Rcu     linux: ipintr runs in NET_RX softirq, which may not sleep (L-SI-13); Linux
//           looks SAs up under RCU (xfrm_state_lookup) and its readers never wait for
//           the writer, so the reader takes nothing and the rekey thread's hold is only
//           its own CPU time.
// Under Spl and Rcu ipintr is established with may_block = false.
//
// The rekey thread's writer section models the SADB update's lock hold time only: the
// keys and sessions stay, so the traffic's SA is still valid afterwards.
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "crypto/ocf.h"
#include "machine/machine.h"
#include "net/ipsec_config.h"
#include "sync/rwlock.h"

namespace irqlab::kernel {

class Kernel;

enum class SaLockModel : std::uint8_t { RwLock, Spl, Rcu };
SaLockModel sa_lock_model(std::string_view personality);

// What esp_input needs of an SA.
struct SaEntry {
  std::uint32_t spi = 0;
  CryptoSessionId session = 0;
  std::array<std::uint8_t, 4> salt{};
};

class Sadb {
 public:
  // Host side (Kernel construction, after the drivers attached): opens one crypto session
  // per SA with its key.
  Sadb(Kernel& kernel, const IpsecConfig& config, SaLockModel model);

  // esp_input, ipintr's context: the SA for `spi` (nullopt: unknown), read under the SA
  // lock as reader. May block on the lock under RwLock.
  std::optional<SaEntry> lookup(std::uint32_t spi);
  // The rekey thread (thread context): the writer section, holding the SA lock `hold`
  // cycles.
  void rekey(Cycle hold);

  SaLockModel model() const { return model_; }
  // The rwlock under the RwLock model, else nullptr.
  const RwLock* lock() const { return lock_.get(); }

 private:
  Kernel& kernel_;
  SaLockModel model_;
  std::unique_ptr<RwLock> lock_;
  unsigned softnet_ = 0;  // the IPL table's SOFTNET level (Spl model)
  std::vector<SaEntry> entries_;
};

}  // namespace irqlab::kernel
