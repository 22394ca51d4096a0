// ether_input, ipintr, ip_input and udp_input (net_stack.h has the path and contexts).
#include <algorithm>

#include "kernel.h"
#include "net/net_stack.h"
#include "net/wire.h"

namespace irqlab::kernel {

void NetStack::ether_input(std::span<const std::uint8_t> frame) {
  const std::uint32_t id = next_id_++;
  ++stats_.frames;
  stage(id, PacketStage::EtherInput);
  kernel_.work(kernel_.costs().ether_input);
  if (frame.size() < wire::kEtherHeader) return drop(id, NetDropCause::Short);
  if (!std::equal(mac_.begin(), mac_.end(), frame.begin()) ||
      wire::be16(frame, wire::kEtherTypeAt) != wire::kEtherTypeIpv4)
    return drop(id, NetDropCause::NotForUs);
  ipintrq_.push_back({id, {frame.begin() + wire::kEtherHeader, frame.end()}, false});
  ipintr_->dispatch();
}

void NetStack::requeue(Packet packet) {
  ipintrq_.push_back(std::move(packet));
  ipintr_->schedule();
}

void NetStack::ipintr_handler() {
  while (!ipintrq_.empty()) {
    Packet packet = std::move(ipintrq_.front());
    ipintrq_.pop_front();
    ip_input(std::move(packet));
  }
}

void NetStack::ip_input(Packet packet) {
  const std::uint32_t id = packet.id;
  stage(id, packet.decrypted ? PacketStage::IpReinput : PacketStage::IpInput);
  kernel_.work(kernel_.costs().ip_input);
  std::vector<std::uint8_t>& b = packet.bytes;
  if (b.size() < wire::kIpMinHeader) return drop(id, NetDropCause::Short);
  const std::size_t header = std::size_t{b[0] & 0x0Fu} * 4;
  if (b[0] >> 4 != 4 || header < wire::kIpMinHeader) return drop(id, NetDropCause::BadIpHeader);
  if (b.size() < header) return drop(id, NetDropCause::Short);
  if (wire::internet_checksum({b.data(), header}) != 0) return drop(id, NetDropCause::BadIpHeader);
  const std::size_t total = wire::be16(b, wire::kIpTotalLengthAt);
  if (total < header) return drop(id, NetDropCause::BadIpHeader);
  if (b.size() < total) return drop(id, NetDropCause::Short);
  b.resize(total);  // Ethernet pads short frames
  if (!std::equal(config_.local_ip.begin(), config_.local_ip.end(),
                  b.begin() + wire::kIpDestinationAt))
    return drop(id, NetDropCause::NotForUs);
  switch (b[wire::kIpProtocolAt]) {
    case wire::kProtoEsp:
      return esp_input(std::move(packet), header);
    case wire::kProtoUdp:
      return udp_input(std::move(packet), header);
    default:
      return drop(id, NetDropCause::NotForUs);
  }
}

void NetStack::udp_input(Packet packet, std::size_t header) {
  const std::uint32_t id = packet.id;
  kernel_.work(kernel_.costs().udp_input);
  const std::span<const std::uint8_t> udp =
      std::span<const std::uint8_t>(packet.bytes).subspan(header);
  if (udp.size() < wire::kUdpHeader) return drop(id, NetDropCause::Short);
  const std::size_t length = wire::be16(udp, wire::kUdpLengthAt);
  if (length < wire::kUdpHeader || length > udp.size()) return drop(id, NetDropCause::Short);
  if (wire::be16(udp, wire::kUdpDestinationAt) != config_.udp_port)
    return drop(id, NetDropCause::NoSocket);
  stage(id, PacketStage::UdpInput);
  if (!socket_.enqueue({id, {udp.begin() + wire::kUdpHeader, udp.begin() + length}}))
    return drop(id, NetDropCause::SocketFull);
  ++stats_.queued;
  stage(id, PacketStage::SocketQueued);
}

}  // namespace irqlab::kernel
