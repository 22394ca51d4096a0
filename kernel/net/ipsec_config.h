#pragma once
// What a scenario tells the network stack (kernel/net): the host's address, the security
// associations of ESP (RFC 4303 transport mode, ChaCha20-Poly1305 per RFC 7634), the
// receiving socket and user process, and the rekey thread. Checked by validate_config().
#include <array>
#include <cstdint>
#include <vector>

#include "machine/machine.h"

namespace irqlab::kernel {

// One inbound SA: SPI, 32-byte ChaCha20 key and 4-byte salt (the nonce is salt || IV).
struct SecurityAssociation {
  std::uint32_t spi = 0;
  std::array<std::uint8_t, 32> key{};
  std::array<std::uint8_t, 4> salt{};
};

struct IpsecConfig {
  bool present = false;                            // the scenario has an ipsec: block
  std::array<std::uint8_t, 4> local_ip{10, 0, 0, 2};  // our IPv4 address, network order
  std::uint16_t udp_port = 5001;                   // the receiver's socket is bound to it
  std::vector<SecurityAssociation> sas;            // inbound SAs (SADB), at least one
  unsigned socket_queue = 64;                      // socket receive queue, packets; full: dropped
  unsigned receiver_cpu = 0;                       // hart the receiving user process runs on
  // The busy user process U of research §6 (user mode whenever an interrupt arrives):
  // runs on busy_cpu; off: the CPU idles between packets.
  bool busy_user = true;
  unsigned busy_cpu = 0;
  // The rekey thread takes the SA lock as writer every rekey_period cycles and holds it
  // rekey_hold cycles (0 = no rekey thread).
  Cycle rekey_period = 0;
  Cycle rekey_hold = 0;
};

}  // namespace irqlab::kernel
