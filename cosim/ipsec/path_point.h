#pragma once
// The points of an ESP packet's receive path (ipsec/ipsec_path.h), in path order, and
// their names in results.json. Usable from any context.
#include <cstddef>
#include <cstdint>

#include "trace/trace.h"

namespace irqlab::cosim {

using kernel::Cycle;

// The points of a packet's path, in path order.
enum class PathPoint : std::uint8_t {
  FrameOffered,  // its last byte at the MAC
  NicT0,         // the NIC's request at the PLIC
  NicT1,         // trap entry
  NicT2,         // the NIC handler starts
  EtherInput,
  IpInput,
  EspInput,
  CryptoSubmit,
  JobStart,  // the engine fetches its descriptor (RTL)
  JobDone,   // the engine retired its status write-back (RTL)
  CryptoT0,  // the engine's request at the PLIC
  CryptoT1,
  CryptoT2,
  CryptoDone,
  CryptoCallback,  // the continuation is called
  EspCallback,     // esp_input_cb runs (tag check)
  IpReinput,
  UdpInput,
  SocketQueued,
  UserRead,  // the receiver's read returned it
};
inline constexpr std::size_t kPathPoints = static_cast<std::size_t>(PathPoint::UserRead) + 1;
const char* path_point_name(PathPoint point);

}  // namespace irqlab::cosim
