#include "net/net_events.h"

namespace irqlab::kernel {

const char* packet_stage_name(PacketStage stage) {
  switch (stage) {
    case PacketStage::EtherInput:
      return "EtherInput";
    case PacketStage::IpInput:
      return "IpInput";
    case PacketStage::EspInput:
      return "EspInput";
    case PacketStage::CryptoSubmit:
      return "CryptoSubmit";
    case PacketStage::EspCallback:
      return "EspCallback";
    case PacketStage::IpReinput:
      return "IpReinput";
    case PacketStage::UdpInput:
      return "UdpInput";
    case PacketStage::SocketQueued:
      return "SocketQueued";
    case PacketStage::UserRead:
      return "UserRead";
  }
  return "?";
}

const char* net_drop_cause_name(NetDropCause cause) {
  switch (cause) {
    case NetDropCause::Short:
      return "Short";
    case NetDropCause::NotForUs:
      return "NotForUs";
    case NetDropCause::BadIpHeader:
      return "BadIpHeader";
    case NetDropCause::UnknownSa:
      return "UnknownSa";
    case NetDropCause::BadTag:
      return "BadTag";
    case NetDropCause::BadPadding:
      return "BadPadding";
    case NetDropCause::CryptoError:
      return "CryptoError";
    case NetDropCause::SocketFull:
      return "SocketFull";
    case NetDropCause::NoSocket:
      return "NoSocket";
  }
  return "?";
}

}  // namespace irqlab::kernel
