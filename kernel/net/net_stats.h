#pragma once
// What the network stack did (NetStack::stats(), any context may read it).
#include <array>
#include <cstdint>

#include "net/net_events.h"

namespace irqlab::kernel {

inline constexpr std::size_t kNetDropCauses = static_cast<std::size_t>(NetDropCause::NoSocket) + 1;

struct NetStats {
  std::uint64_t frames = 0;     // frames ether_input took (packet ids handed out)
  std::uint64_t decrypted = 0;  // packets whose tag and padding passed, re-queued to IP
  std::uint64_t queued = 0;     // datagrams appended to the socket's receive queue
  std::uint64_t read = 0;       // datagrams the receiver read (SocketRead)
  std::uint64_t rekeys = 0;     // writer sections of the rekey thread
  std::array<std::uint64_t, kNetDropCauses> drops{};  // by NetDropCause
  std::uint64_t dropped(NetDropCause cause) const { return drops[static_cast<std::size_t>(cause)]; }
};

}  // namespace irqlab::kernel
