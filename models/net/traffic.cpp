#include "net/traffic.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <stdexcept>

#include "net/frame_fields.h"
#include "net/pcap_file.h"
#include "net/seeded_draw.h"

namespace irqlab::models::net {

namespace {

constexpr std::uint64_t kPsPerSecond = 1'000'000'000'000ULL;
// Keeps the traffic's generator apart from the stimulus lines' (pulse_train.cpp).
constexpr std::uint64_t kTrafficSeedSalt = 0x6E65'7477'6F72'6B21ULL;
constexpr unsigned kEthernetHeaderBytes = 14;
constexpr unsigned kUdpHeaderBytes = 8;

// Wire time of a frame of `bytes` (without FCS) plus the gap after it: when the next may start.
std::uint64_t wire_slot_ps(std::size_t bytes, std::uint64_t byte_ps) {
  return (kPreambleBytes + bytes + kFcsBytes + kIfgBytes) * byte_ps;
}

// Offset of the i-th of frames spaced at `rate_pps`, floor(i × 10^12 / rate) without overflow.
std::uint64_t spaced_ps(std::uint64_t i, std::uint64_t rate_pps) {
  return static_cast<std::uint64_t>(static_cast<unsigned __int128>(i) * kPsPerSecond / rate_pps);
}

// Generated frames (UDP, or ESP through EspFrameMaker) at the times of the constant, poisson
// or bursts pattern.
class GeneratedTraffic final : public TrafficSource {
 public:
  GeneratedTraffic(const TrafficSpec& spec, std::uint64_t seed, EspExpectations* esp_expectations)
      : spec_(spec), byte_ps_(byte_time_ps(spec.line_rate_gbps)), rng_(seed ^ kTrafficSeedSalt) {
    if (spec.payload == TrafficPayload::Esp)
      esp_.emplace(spec.esp, spec.destination, esp_expectations);
  }

  std::optional<TimedFrame> next() override {
    if (spec_.count != 0 && emitted_ == spec_.count) return std::nullopt;
    // A burst that outlasts its period delays the next one: starts never go backwards.
    const std::uint64_t at = spec_.start_ps + std::max(offset_of_next(), previous_offset_);
    if (spec_.duration_ps && at >= spec_.start_ps + *spec_.duration_ps) return std::nullopt;
    const std::uint64_t sequence = ++emitted_;
    Frame frame =
        esp_ ? esp_->make(sequence, rng_)
             : udp_frame(spec_.destination, static_cast<std::uint32_t>(sequence), draw_size());
    previous_offset_ = at - spec_.start_ps;
    previous_size_ = static_cast<unsigned>(frame.size());
    return TimedFrame{at, std::move(frame)};
  }

 private:
  // Offset from start_ps of frame number emitted_ (0-based), before the clamp in next().
  std::uint64_t offset_of_next() {
    const std::uint64_t i = emitted_;
    switch (spec_.pattern) {
      case TrafficPattern::Constant:
        return within_train(i, previous_offset_);
      case TrafficPattern::Poisson:
        return i == 0 ? exponential_ps() : previous_offset_ + exponential_ps();
      case TrafficPattern::Bursts: {
        const std::uint64_t burst = i / spec_.burst_frames;
        const std::uint64_t in_burst = i % spec_.burst_frames;
        const std::uint64_t burst_start = burst * spec_.burst_period_ps;
        return in_burst == 0 ? burst_start
                             : burst_start + within_train(in_burst, previous_offset_ - burst_start);
      }
      case TrafficPattern::Pcap:
        break;
    }
    throw std::logic_error("GeneratedTraffic: pcap replay is PcapTraffic's");
  }

  // Frame i of a train starting at 0, spaced at rate_pps or back to back (then after the
  // frame before it, at `previous` in the train).
  std::uint64_t within_train(std::uint64_t i, std::uint64_t previous) const {
    if (i == 0) return 0;
    if (spec_.rate_pps != 0) return spaced_ps(i, spec_.rate_pps);
    return previous + wire_slot_ps(previous_size_, byte_ps_);
  }

  std::uint64_t exponential_ps() {
    const double mean = static_cast<double>(kPsPerSecond) / static_cast<double>(spec_.rate_pps);
    const double u = static_cast<double>(rng_() >> 11) * 0x1.0p-53;
    return static_cast<std::uint64_t>(std::floor(-mean * std::log1p(-u)));
  }

  unsigned draw_size() {
    return static_cast<unsigned>(uniform_draw(rng_, spec_.frame_bytes.min, spec_.frame_bytes.max));
  }

  TrafficSpec spec_;
  std::uint64_t byte_ps_;
  std::mt19937_64 rng_;
  std::optional<EspFrameMaker> esp_;  // payload esp
  std::uint64_t emitted_ = 0;
  std::uint64_t previous_offset_ = 0;
  unsigned previous_size_ = 0;
};

// The latest start a replayed record may have, in ps after the first record's: 8 x 10^18
// (about 93 days). traffic.start_ns is below the end of the longest run (10^19 ps), so a
// frame's start, start + offset, stays below 2^64 ps, and llround's range holds the offset.
constexpr double kMaxReplayOffsetPs = 8e18;

std::string shortest(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", value);
  return text;
}

// `record`'s start in the replay at its timestamp: its time after the first record's times
// the scale, in ps. Throws PcapError naming the file and record when that is beyond
// kMaxReplayOffsetPs (a huge timestamp or time_scale), never wraps.
std::uint64_t rescaled_offset_ps(const PcapReplay& pcap, const PcapRecord& record,
                                 std::uint64_t first_ns) {
  const std::uint64_t after_ns = record.time_ns - std::min(record.time_ns, first_ns);
  const double offset_ps = static_cast<double>(after_ns) * 1000.0 * pcap.time_scale;
  if (!(offset_ps <= kMaxReplayOffsetPs))
    throw PcapError(pcap.file.string() + ": record " + std::to_string(record.number) + ": " +
                    std::to_string(after_ns) + " ns after the first record, times time_scale " +
                    shortest(pcap.time_scale) +
                    ", starts beyond 8e18 ps (about 93 days), the longest replay: lower "
                    "time_scale or cut the capture");
  return static_cast<std::uint64_t>(std::llround(offset_ps));
}

// The records of a pcap file at their (rescaled) timestamps or back to back.
class PcapTraffic final : public TrafficSource {
 public:
  explicit PcapTraffic(const TrafficSpec& spec)
      : spec_(spec), byte_ps_(byte_time_ps(spec.line_rate_gbps)), reader_(spec.pcap.file) {}

  std::optional<TimedFrame> next() override {
    if (spec_.count != 0 && emitted_ == spec_.count) return std::nullopt;
    std::optional<PcapRecord> record = reader_.next();
    if (!record) return std::nullopt;
    if (record->bytes.size() < kMinFrameBytes) record->bytes.resize(kMinFrameBytes, 0);
    std::uint64_t offset = 0;
    if (emitted_ != 0) {
      if (spec_.pcap.timing == PcapTiming::BackToBack) {
        offset = previous_offset_ + wire_slot_ps(previous_size_, byte_ps_);
      } else {
        offset = std::max(previous_offset_, rescaled_offset_ps(spec_.pcap, *record, first_ns_));
      }
    } else {
      first_ns_ = record->time_ns;
    }
    if (spec_.duration_ps && offset >= *spec_.duration_ps) return std::nullopt;
    ++emitted_;
    previous_offset_ = offset;
    previous_size_ = record->bytes.size();
    return TimedFrame{spec_.start_ps + offset, std::move(record->bytes)};
  }

 private:
  TrafficSpec spec_;
  std::uint64_t byte_ps_;
  PcapReader reader_;
  std::uint64_t emitted_ = 0;
  std::uint64_t first_ns_ = 0;
  std::uint64_t previous_offset_ = 0;
  std::size_t previous_size_ = 0;
};

}  // namespace

std::uint64_t byte_time_ps(unsigned line_rate_gbps) {
  if (line_rate_gbps != 1 && line_rate_gbps != 10 && line_rate_gbps != 25)
    throw std::invalid_argument("line rate " + std::to_string(line_rate_gbps) +
                                " Gbit/s: expected 1, 10 or 25");
  return 8000 / line_rate_gbps;
}

Frame udp_frame(const MacAddress& destination, std::uint32_t sequence, unsigned size) {
  if (size < kMinFrameBytes || size > kMaxFrameBytes)
    throw std::invalid_argument("frame size " + std::to_string(size) + " outside " +
                                std::to_string(kMinFrameBytes) + ".." +
                                std::to_string(kMaxFrameBytes));
  Frame f(size, 0);
  constexpr MacAddress kSource = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01};  // locally administered
  std::copy(destination.begin(), destination.end(), f.begin());
  std::copy(kSource.begin(), kSource.end(), f.begin() + 6);
  put_be16(f, 12, 0x0800);  // IPv4
  const std::size_t ip = kEthernetHeaderBytes;
  f[ip] = 0x45;  // version 4, header length 5 words
  put_be16(f, ip + 2, size - kEthernetHeaderBytes);
  put_be16(f, ip + 4, sequence & 0xFFFF);  // identification
  f[ip + 8] = 64;                          // TTL
  f[ip + 9] = 17;                          // UDP
  const std::uint8_t addresses[8] = {10, 0, 0, 1, 10, 0, 0, 2};
  std::copy(std::begin(addresses), std::end(addresses), f.begin() + ip + 12);
  set_ipv4_header_checksum(f, ip);
  const std::size_t udp = ip + kIpv4HeaderBytes;
  put_be16(f, udp, 1024);
  put_be16(f, udp + 2, 9);  // discard
  put_be16(f, udp + 4, size - kEthernetHeaderBytes - kIpv4HeaderBytes);
  const std::size_t payload = udp + kUdpHeaderBytes;
  for (unsigned i = 0; i < 4; ++i)
    f[payload + i] = static_cast<std::uint8_t>(sequence >> (24 - 8 * i));
  for (std::size_t k = 0; payload + 4 + k < size; ++k)
    f[payload + 4 + k] = static_cast<std::uint8_t>(sequence + k);
  return f;
}

std::unique_ptr<TrafficSource> make_traffic(const TrafficSpec& spec, std::uint64_t seed,
                                            EspExpectations* esp_expectations) {
  byte_time_ps(spec.line_rate_gbps);  // checks the rate
  if (spec.pattern == TrafficPattern::Pcap) return std::make_unique<PcapTraffic>(spec);
  if (spec.pattern == TrafficPattern::Poisson && spec.rate_pps == 0)
    throw std::invalid_argument("poisson traffic needs a rate above 0");
  if (spec.pattern == TrafficPattern::Bursts &&
      (spec.burst_frames == 0 || spec.burst_period_ps == 0))
    throw std::invalid_argument("bursts need burst_frames and burst_period above 0");
  return std::make_unique<GeneratedTraffic>(spec, seed, esp_expectations);
}

void check_traffic(const TrafficSpec& spec) {
  if (spec.pattern != TrafficPattern::Pcap) return;
  PcapReader reader(spec.pcap.file);
  const std::optional<PcapRecord> first = reader.next();
  if (!first) return;
  while (const std::optional<PcapRecord> record = reader.next())
    if (spec.pcap.timing == PcapTiming::Timestamps)
      rescaled_offset_ps(spec.pcap, *record, first->time_ns);
}

}  // namespace irqlab::models::net
