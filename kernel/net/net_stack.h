#pragma once
// The network stack's receive path: ESP in transport mode (RFC 4303) with
// ChaCha20-Poly1305 (RFC 7634, RFC 8439 §2.8) to a UDP socket read by a user process,
// the IPsec path of research/kernel-semantics.md §6. Made by the Kernel when the
// scenario has an ipsec: block (Kernel::net()).
//
// Path and contexts (each step spends its CostProfile field and emits PacketStage; a
// packet that fails a check is dropped with PacketDrop and its NetDropCause, counted in
// NetStats::drops, and nothing of it goes further):
//
//   ether_input    NIC driver's poll (its bottom half): our MAC (NicConfig::mac), type
//                  0x0800; strips the Ethernet header, gives the packet its id (1-based),
//                  queues it on ipintrq and hands off with ipintr.dispatch(): run at once
//                  where the personality dispatches directly (FreeBSD netisr direct),
//                  else scheduled.
//   ipintr         neutral deferred work {"ipintr", Net, may_block per the SA lock model
//                  (net/sadb.h), mpsafe}: drains ipintrq through ip_input.
//   ip_input       version 4, IHL, total length, header checksum, our address; protocol
//                  50 -> esp_input, 17 -> udp_input.
//   esp_input      SPI -> SA in the SADB (read under the SA lock, which may block where
//                  ipintr may); one CryptoRequest per packet: data = 64 zero bytes ||
//                  ciphertext, counter 0, nonce = salt || IV, tag = packet id; the packet
//                  waits in in_crypto_ until its callback; crypto dispatch.
//   esp_input_cb   the crypto framework's callback, in its callback mode's context (the
//                  completion handler, a Net deferred work or the cryptoret thread; it
//                  never blocks): engine error -> CryptoError; Poly1305 over AAD || pad ||
//                  ciphertext || pad || lengths with the one-time key (output bytes
//                  0..31), compared in constant time with the ICV -> BadTag; padding (RFC
//                  4303 §2.4: 1, 2, 3, ...) -> BadPadding; strips ESP, rewrites the IPv4
//                  header (protocol = next header, total length, checksum) and re-queues
//                  it with ipintr.schedule() (always deferred, as ipsec4_common_input_cb).
//   udp_input      destination port -> the socket (NoSocket otherwise), UDP length.
//   socket         bounded receive queue (SocketFull), wakes the receiver (net/socket.h).
//   receiver       a user LWP on receiver_cpu sleeping in receive: per datagram it spends
//                  socket_read, emits SocketRead (the payload) and PacketStage UserRead,
//                  and returns to user mode.
//
// Also, as the scenario asks: the busy user process U on busy_cpu (Kernel::user() in a
// loop, research §6's assumption that U is in user mode when an interrupt arrives), and
// the rekey thread (a kernel LWP bound to busy_cpu, woken by the first clock tick at or
// after each multiple of rekey_period, as a callout would; it holds the SA lock as writer
// for rekey_hold cycles).
//
// The queues (ipintrq, in_crypto_) are touched with no step boundary inside an operation,
// the equivalent of the splnet / queue-lock sections of a real stack; their own cycles
// are in the stage costs.
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <span>

#include "crypto/ocf.h"
#include "net/net_stats.h"
#include "net/packet.h"
#include "net/sadb.h"
#include "net/socket.h"
#include "personality/deferred.h"
#include "sync/sleepq.h"

namespace irqlab::kernel {

class Kernel;
struct Lwp;

class NetStack {
 public:
  // Host side, at the end of Kernel construction (drivers attached, personality made):
  // opens the SAs' crypto sessions, establishes ipintr, creates the LWPs.
  explicit NetStack(Kernel& kernel);
  NetStack(const NetStack&) = delete;
  NetStack& operator=(const NetStack&) = delete;

  // From the NIC driver's poll (bottom half), after PacketDelivered; `frame` without FCS,
  // valid during the call only.
  void ether_input(std::span<const std::uint8_t> frame);

  NetStats stats() const { return stats_; }
  const Sadb& sadb() const { return sadb_; }
  const Socket& socket() const { return socket_; }
  const DeferredWork& ipintr() const { return *ipintr_; }

 private:
  void ipintr_handler();         // ipintr's context
  void ip_input(Packet packet);  // ipintr's context
  void esp_input(Packet packet, std::size_t header);
  void esp_input_cb(CryptoRequest& request);  // the callback mode's context
  void udp_input(Packet packet, std::size_t header);
  void requeue(Packet packet);  // ipintrq + ipintr.schedule()

  void stage(std::uint32_t packet, PacketStage stage) const;
  void drop(std::uint32_t packet, NetDropCause cause);

  void receiver_loop();           // the receiver LWP's body
  void rekey_loop();              // the rekey thread's body
  void rekey_tick(unsigned cpu);  // tick hook, hard interrupt

  Kernel& kernel_;
  const IpsecConfig& config_;
  std::array<std::uint8_t, 6> mac_{};
  Sadb sadb_;
  Socket socket_;
  DeferredWork* ipintr_ = nullptr;
  std::deque<Packet> ipintrq_;
  std::map<std::uint32_t, Packet> in_crypto_;  // by packet id, from esp_input to its callback
  std::uint32_t next_id_ = 1;
  Lwp* rekey_thread_ = nullptr;
  SleepQueue rekey_sleep_;
  Cycle next_rekey_ = 0;
  NetStats stats_;
};

}  // namespace irqlab::kernel
