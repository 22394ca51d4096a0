#pragma once
// The device side of a DMA master's TL-UL port (bridge/tlul.h), as the RTL domain serves
// it while it steps the RTL. SystemC- and Verilator-free: the memory is behind DmaTarget,
// which the co-simulation implements with TLM (bridge/dma_bridge.h).
//
// Protocol and timing, one transaction outstanding:
// - a_ready is high in every cycle in which no transaction is outstanding;
// - the rising edge that ends cycle c with a_valid && a_ready accepts the request; the
//   access takes effect in memory at that edge (DmaTarget::access is called right after
//   it), which fixes its order against the harts' accesses (bridge/coherent_ram.h);
// - the target reports the access's latency L in cycles (the interconnect's request and
//   response cycles plus the memory's, what a hart's access costs); D is valid from cycle
//   c + L, so the edge that retires it (d_ready is high) comes L cycles after the edge that
//   accepted A. L is at least 1: a response is never in the cycle of its request;
// - D holds until an edge with d_ready retires it; a_ready rises again in the next cycle.
// A beat outside the subset (bridge/tlul.h decode_request: opcode, mask, unaligned) is
// answered with d_error one cycle later, without a memory access; a PutPartialData reaches
// the target with its mask.
#include <cstdint>
#include <optional>

#include "bridge/tlul.h"
#include "machine/machine.h"

namespace irqlab::cosim {

using kernel::Cycle;

class DmaTarget {
 public:
  struct Completion {
    TlResponse response;
    Cycle latency = 1;  // cycles from the accepting edge to the retiring edge
  };
  virtual ~DmaTarget() = default;
  // Performs `request` in memory now; called by the RTL domain right after the accepting
  // edge, from whichever context steps the RTL. Must not wait.
  virtual Completion access(const TlRequest& request) = 0;
};

class DmaPort {
 public:
  // What the host drives, sampled before an edge.
  struct HostPins {
    bool a_valid = false;
    TlAPins a;
    bool d_ready = false;
  };
  // What the device drives in a cycle.
  struct DevicePins {
    bool a_ready = true;
    bool d_valid = false;
    TlResponse d;
    bool operator==(const DevicePins&) const = default;
  };

  explicit DmaPort(DmaTarget& target) : target_(target) {}

  // The pins in `cycle` (at or after the last edge taken).
  DevicePins pins(Cycle cycle) const;
  // The rising edge that ends `cycle`, with the host's pins sampled in it.
  void edge(Cycle cycle, const HostPins& host);
  // The first cycle after `cycle` whose pins differ from those in `cycle`, if one is known
  // (a response that becomes valid); the RTL may not skip past it.
  std::optional<Cycle> next_change(Cycle cycle) const;
  bool outstanding() const { return outstanding_.has_value(); }

 private:
  struct Outstanding {
    Cycle valid_from;
    TlResponse response;
  };
  DmaTarget& target_;
  std::optional<Outstanding> outstanding_;
};

}  // namespace irqlab::cosim
