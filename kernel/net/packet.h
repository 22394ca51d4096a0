#pragma once
// A packet on the receive path: an owned byte buffer (the mbuf chain of a real stack, here
// one contiguous buffer) and the packet's id, 1-based in ether_input order, which every
// PacketStage / PacketDrop event and the crypto request's tag carry.
#include <cstdint>
#include <vector>

namespace irqlab::kernel {

struct Packet {
  std::uint32_t id = 0;
  std::vector<std::uint8_t> bytes;  // from the IPv4 header on, after ether_input
  bool decrypted = false;           // re-queued by esp_input_cb (ip_input's second pass)
};

}  // namespace irqlab::kernel
