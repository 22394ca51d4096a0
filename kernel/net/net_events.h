#pragma once
// The receive path's stages and drop causes, as PacketStage and PacketDrop events carry
// them (trace/trace.h; arg: the packet id, 1-based in ether_input order). Per-stage
// latency along the path (docs/results-schema.md) is read from these events.
#include <cstdint>

namespace irqlab::kernel {

enum class PacketStage : std::uint8_t {
  EtherInput = 0,   // ether_input took the frame (NIC bottom half)
  IpInput = 1,      // ip_input started on it (the first time)
  EspInput = 2,     // esp_input: SA found, crypto request built
  CryptoSubmit = 3, // crypto_dispatch returned
  EspCallback = 4,  // esp_input_cb, the continuation, started (tag checked in it)
  IpReinput = 5,    // ip_input started on the decrypted packet (re-queued)
  UdpInput = 6,     // udp_input found the socket
  SocketQueued = 7, // appended to the socket's receive queue, receiver woken
  UserRead = 8,     // the user process's receive returned it (SocketRead carries the bytes)
};
const char* packet_stage_name(PacketStage stage);

enum class NetDropCause : std::uint8_t {
  Short = 0,         // shorter than its headers say, or than the headers themselves
  NotForUs = 1,      // another MAC, IPv4 address, ethertype or IP protocol
  BadIpHeader = 2,   // version, header length or checksum wrong
  UnknownSa = 3,     // no SA for the SPI
  BadTag = 4,        // Poly1305 tag mismatch (nothing of it is delivered)
  BadPadding = 5,    // pad length or padding bytes wrong (RFC 4303 §2.4)
  CryptoError = 6,   // the engine reported an error for its job
  SocketFull = 7,    // the receive queue was full
  NoSocket = 8,      // no socket bound to the UDP port
};
const char* net_drop_cause_name(NetDropCause cause);

}  // namespace irqlab::kernel
