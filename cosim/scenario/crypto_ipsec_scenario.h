#pragma once
// The crypto: and ipsec: blocks of a scenario (docs/scenario-format.md) into the kernel's
// CryptoConfig and IpsecConfig, and the ESP traffic that goes with them (traffic.esp):
// ranges from the key table, the rest (power-of-2 ring, callback names, hex keys and
// salts, the IPv4 address, unique SPIs, harts below platform.harts, the rekey thread's
// hold below its period, ESP packets that fit the crypto driver's jobs) checked here. Every
// error names file, line and key (ConfigError). Called by load_scenario only.
#include <array>
#include <cstdint>
#include <string_view>

#include "config/config_node.h"
#include "drivers/crypto/crypto_config.h"
#include "net/esp_traffic.h"
#include "net/ipsec_config.h"

namespace irqlab::cosim {

kernel::CryptoConfig read_crypto(const ConfigNode& node, unsigned harts);
kernel::IpsecConfig read_ipsec(const ConfigNode& node, unsigned harts);

// The packets of traffic.payload esp (`traffic`: the traffic: block) for the SAs, address
// and port of `ipsec` (present), each fitting one job of `crypto`'s driver.
models::net::EspTrafficSpec read_esp_traffic(const ConfigNode& traffic,
                                             const kernel::IpsecConfig& ipsec,
                                             const kernel::CryptoConfig& crypto);

// "a.b.c.d" (decimal, 0..255 each) in network order; fails on `node` otherwise.
std::array<std::uint8_t, 4> ipv4_address(const ConfigNode& node);

}  // namespace irqlab::cosim
