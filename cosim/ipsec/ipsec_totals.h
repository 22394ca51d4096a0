#pragma once
// The IPsec path's results.json figures as running totals (docs/results-schema.md,
// `ipsec`): what ipsec/ipsec_path.h folds each packet and each leg into once it can no
// longer change, so a long run keeps these and the packets in flight, not a record per
// packet. Every figure is exact: histograms count each distinct value
// (metrics/histogram.h), and the per-packet means' sums are added in packet id order, the
// order the whole-run computation used, so the doubles come out bit for bit the same.
//
// Plain data, filled by IpsecPath on the simulator's one thread; read after finish().
#include <array>
#include <cstdint>

#include "ipsec/path_point.h"
#include "metrics/histogram.h"

namespace irqlab::cosim {

struct SwitchTally {
  std::uint64_t full = 0;       // FS
  std::uint64_t light = 0;      // LS
  std::uint64_t interrupt = 0;  // IC (trap entries)
  Cycle blocked = 0;            // cycles waited for locks
  SwitchTally& operator+=(const SwitchTally& o);
};

// The per-packet means of FS, LS, IC and blocked cycles over the packets the user read
// whose path is complete (research §6 counts a delivered packet; a dropped one's path ends
// at its drop), each packet taking its share of the legs it has (1 / the leg's packets).
// The sums; divide by `packets` for the means.
struct PerPacketSums {
  std::uint64_t packets = 0;
  double full = 0, light = 0, interrupt = 0, blocked = 0;
};

// A leg kind's T points after its T0 (research §5): T1, T2, T3 (the deferred work takes
// the packet), T4 (the woken receiver runs with it; crypto leg), T5 (U resumes), over the
// legs that served at least one packet; the switch tally over the closed ones.
struct LegTimes {
  std::uint64_t legs = 0, closed = 0;
  SwitchTally tally;
  CycleHistogram t1, t2, t3, t4, t5;
};

struct IpsecTotals {
  std::uint64_t packets = 0;         // the highest packet id seen
  std::uint64_t complete_paths = 0;  // packets whose both legs closed
  PerPacketSums per_packet;
  LegTimes nic, crypto;
  // Per path point: cycles from the frame at the MAC, over the packets the receiver read.
  std::array<CycleHistogram, kPathPoints> from_mac;
};

}  // namespace irqlab::cosim
