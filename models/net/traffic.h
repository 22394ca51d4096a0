#pragma once
// Received traffic: the frames offered to the NIC's receive MAC, each with the earliest
// time its transmission (preamble first) may start on the wire. The wire model
// (net/mac_wire.h) serialises them at the line rate.
//
// Patterns (TrafficSpec::pattern):
//   constant  frame i may start at start + floor(i × 10^12 / rate_pps) ps (exact integer
//             arithmetic, no accumulated rounding); rate_pps 0 = back to back at line rate,
//             i.e. each frame at the end of the one before plus the inter-frame gap;
//   poisson   gaps between starts drawn from an exponential distribution of mean
//             10^12 / rate_pps ps (inverse CDF of a 53-bit uniform, as the interrupt
//             stimulus does), floored to whole ps and summed from start (the first
//             frame is one gap after start);
//   bursts    burst b starts at start + b × burst_period_ps and holds burst_frames frames
//             spaced as the constant pattern at rate_pps (0 = back to back);
//   pcap      the records of a pcap file, in file order: at start + (t - t_first) ×
//             time_scale (timestamps; a record earlier than the one before it starts with
//             it) or back to back at line rate (back_to_back). Records shorter than
//             the minimum frame are padded with zeros to 60 bytes, as a sending MAC does.
// Generation stops after `count` frames (0: no limit) and before the first frame whose
// earliest start is at or after start + duration_ps (when set).
//
// Generated frames (all but pcap) carry payload `udp` (the default) or `esp`. With esp,
// each is an ESP packet of a known plaintext (net/esp_traffic.h, which says what it draws
// and the outcome it records per frame into EspExpectations); its length follows from the
// drawn payload, so frame_bytes does not apply. With udp, frames are Ethernet II / IPv4 /
// UDP from 02:00:00:00:00:01, 10.0.0.1:1024 to the station address `destination`,
// 10.0.0.2:9 (discard), with a valid
// IPv4 header checksum and no UDP checksum (0, allowed in IPv4). The UDP payload starts
// with the frame's sequence number (first frame 1, 32 bits, big-endian); byte k of the
// payload after it is (sequence + k) mod 256. Sizes are fixed or drawn uniformly from
// [min, max] (without FCS) by rejection sampling on the raw generator output.
//
// Randomness: one mt19937_64 (output fully specified by the C++ standard) seeded from the
// scenario seed, drawn in a fixed order (per frame: its Poisson gap, then its size when
// sizes are a range, or with esp its payload as net/esp_traffic.h says), so the same seed
// gives the same frames on every platform; no std distribution is used (their output
// differs between standard libraries). The one step the standard does not pin down is
// std::log1p of the Poisson draw, shared with the interrupt stimulus (a C library whose
// log1p differs in the last bit could move a gap by 1 ps).
//
// A TrafficSource belongs to the one simulation thread.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>

#include "net/esp_expectations.h"
#include "net/esp_traffic.h"
#include "net/ethernet.h"

namespace irqlab::models::net {

enum class TrafficPattern : std::uint8_t { Constant, Poisson, Bursts, Pcap };
enum class TrafficPayload : std::uint8_t { Udp, Esp };
enum class PcapTiming : std::uint8_t { Timestamps, BackToBack };

struct FrameSizes {
  unsigned min = kMinFrameBytes;  // without FCS, kMinFrameBytes..kMaxFrameBytes
  unsigned max = kMinFrameBytes;
};

struct PcapReplay {
  std::filesystem::path file;
  PcapTiming timing = PcapTiming::Timestamps;
  double time_scale = 1.0;  // multiplies the gaps between timestamps
};

struct TrafficSpec {
  bool present = false;          // the scenario has a traffic: block
  unsigned line_rate_gbps = 10;  // 1, 10 or 25
  TrafficPattern pattern = TrafficPattern::Constant;
  std::uint64_t start_ps = 0;
  std::uint64_t rate_pps = 0;  // frames per second; 0 = line rate (constant, bursts)
  std::uint64_t burst_frames = 1;
  std::uint64_t burst_period_ps = 0;
  FrameSizes frame_bytes;                        // payload udp
  TrafficPayload payload = TrafficPayload::Udp;  // generated patterns
  EspTrafficSpec esp;                            // payload esp
  PcapReplay pcap;
  std::uint64_t count = 0;                   // 0: no limit
  std::optional<std::uint64_t> duration_ps;  // from start_ps
  MacAddress destination =
      mac_from_register_order(0x0000'5634'1200'5452);  // NicConfig::mac's default
};

struct TimedFrame {
  std::uint64_t earliest_ps = 0;  // earliest start of its preamble on the wire
  Frame bytes;                    // without FCS
};

class TrafficSource {
 public:
  virtual ~TrafficSource() = default;
  // The next frame, in order of earliest start (non-decreasing); nullopt once there is none.
  virtual std::optional<TimedFrame> next() = 0;
};

// A source for `spec`, lazily generated: memory does not grow with the number of frames
// (except what `esp_expectations` keeps, one entry per ESP frame, when not null).
// Pcap replay opens the file here (PcapError on a bad file) and throws PcapError from
// next() on a bad record; check_traffic() finds those before a run. `esp_expectations`
// must outlive the source.
std::unique_ptr<TrafficSource> make_traffic(const TrafficSpec& spec, std::uint64_t seed,
                                            EspExpectations* esp_expectations = nullptr);

// Reads a pcap replay's file through once and throws PcapError naming the file and record
// at the first bad one, or the first whose rescaled start is beyond the longest replay
// (8e18 ps after the first record's); other patterns have nothing to check. Call before
// the run.
void check_traffic(const TrafficSpec& spec);

// The UDP frame of `size` bytes (without FCS) carrying `sequence` (see above).
Frame udp_frame(const MacAddress& destination, std::uint32_t sequence, unsigned size);

// The line rate's time per byte on the wire, in ps (8000 / gbps; exact for 1, 10, 25).
std::uint64_t byte_time_ps(unsigned line_rate_gbps);

}  // namespace irqlab::models::net
