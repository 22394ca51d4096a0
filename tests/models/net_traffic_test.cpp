// Traffic patterns (models/net/traffic.h): times from the definitions of the patterns,
// reproducibility from the seed, the mean of the Poisson gaps within a statistical bound,
// and frames that decode as Ethernet II / IPv4 / UDP (by hand here, by tshark in the pcap
// tests).
#include <cmath>
#include <gtest/gtest.h>

#include "net/traffic.h"
#include "net_test_support.h"

namespace irqlab::models::net {
namespace net_traffic_test {

std::vector<TimedFrame> all_frames(const TrafficSpec& spec, std::uint64_t seed) {
  const auto source = make_traffic(spec, seed);
  std::vector<TimedFrame> frames;
  while (std::optional<TimedFrame> f = source->next()) frames.push_back(std::move(*f));
  return frames;
}

unsigned be16(const Frame& f, std::size_t at) { return (unsigned{f[at]} << 8) | f[at + 1]; }

TEST(Traffic, ConstantRateAtExactPicoseconds) {
  TrafficSpec spec;
  spec.rate_pps = 7'000'000;  // 142857.142... ps apart: no accumulated rounding allowed
  spec.start_ps = 123;
  spec.count = 1000;
  const std::vector<TimedFrame> frames = all_frames(spec, 1);
  ASSERT_EQ(frames.size(), 1000u);
  for (std::uint64_t i = 0; i < frames.size(); ++i)
    EXPECT_EQ(frames[i].earliest_ps, 123 + i * 1'000'000'000'000ULL / 7'000'000) << i;
}

TEST(Traffic, CountAndDurationStopTheTraffic) {
  TrafficSpec spec;
  spec.rate_pps = 1'000'000;  // 1 us apart
  spec.duration_ps = 10'500'000;
  EXPECT_EQ(all_frames(spec, 1).size(), 11u);  // starts at 0, 1, ... 10 us
  spec.count = 4;
  EXPECT_EQ(all_frames(spec, 1).size(), 4u);
}

TEST(Traffic, PoissonIsReproducibleAndHasTheMeanGap) {
  TrafficSpec spec;
  spec.pattern = TrafficPattern::Poisson;
  spec.rate_pps = 2'000'000;  // mean gap 500000 ps
  constexpr std::size_t kFrames = 40'000;
  spec.count = kFrames;
  const std::vector<TimedFrame> a = all_frames(spec, 42);
  const std::vector<TimedFrame> b = all_frames(spec, 42);
  const std::vector<TimedFrame> c = all_frames(spec, 43);
  ASSERT_EQ(a.size(), kFrames);
  bool same = true;
  bool differ = false;
  for (std::size_t i = 0; i < kFrames; ++i) {
    same = same && a[i].earliest_ps == b[i].earliest_ps && a[i].bytes == b[i].bytes;
    differ = differ || a[i].earliest_ps != c[i].earliest_ps;
  }
  EXPECT_TRUE(same);
  EXPECT_TRUE(differ);
  // The first start is one gap after start, so the mean gap is the last start / count. An
  // exponential's standard deviation equals its mean: the sample mean of N gaps lies within
  // 5 standard errors (mean / sqrt(N)) but for a chance below 1e-6.
  const double mean = static_cast<double>(a.back().earliest_ps) / kFrames;
  EXPECT_NEAR(mean, 500'000.0, 5 * 500'000.0 / std::sqrt(double{kFrames}));
  for (std::size_t i = 1; i < kFrames; ++i) ASSERT_GE(a[i].earliest_ps, a[i - 1].earliest_ps);
}

TEST(Traffic, BurstsOfBackToBackFrames) {
  TrafficSpec spec;
  spec.pattern = TrafficPattern::Bursts;
  spec.line_rate_gbps = 25;
  spec.burst_frames = 4;
  spec.burst_period_ps = 50'000'000;
  spec.start_ps = 1000;
  spec.frame_bytes = {100, 100};
  spec.count = 10;
  const std::vector<TimedFrame> frames = all_frames(spec, 1);
  ASSERT_EQ(frames.size(), 10u);
  const std::uint64_t slot =
      std::uint64_t{8 + 100 + 4 + 12} * 320;  // at 25 Gbit/s a byte takes 320 ps
  for (std::uint64_t i = 0; i < 10; ++i)
    EXPECT_EQ(frames[i].earliest_ps, 1000 + (i / 4) * 50'000'000 + (i % 4) * slot) << i;
}

TEST(Traffic, BurstsAtAGivenRate) {
  TrafficSpec spec;
  spec.pattern = TrafficPattern::Bursts;
  spec.burst_frames = 3;
  spec.burst_period_ps = 10'000'000;
  spec.rate_pps = 3'000'000;
  spec.count = 7;
  const std::vector<TimedFrame> frames = all_frames(spec, 1);
  ASSERT_EQ(frames.size(), 7u);
  for (std::uint64_t i = 0; i < 7; ++i)
    EXPECT_EQ(frames[i].earliest_ps,
              (i / 3) * 10'000'000 + (i % 3) * 1'000'000'000'000ULL / 3'000'000)
        << i;
}

TEST(Traffic, UniformSizesCoverTheRange) {
  TrafficSpec spec;
  spec.frame_bytes = {60, 67};
  spec.count = 8000;
  spec.rate_pps = 1'000'000;
  std::vector<unsigned> histogram(8, 0);
  for (const TimedFrame& f : all_frames(spec, 5)) {
    ASSERT_GE(f.bytes.size(), 60u);
    ASSERT_LE(f.bytes.size(), 67u);
    ++histogram[f.bytes.size() - 60];
  }
  // 1000 expected per size, standard deviation sqrt(1000 * 7/8) = 29.6: within 6 of them.
  for (unsigned n : histogram) EXPECT_NEAR(n, 1000.0, 6 * 29.6);
}

TEST(Traffic, FramesAreUdpToTheStationWithTheirSequenceNumber) {
  TrafficSpec spec;
  spec.destination = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
  spec.frame_bytes = {60, 1514};
  spec.count = 200;
  spec.rate_pps = 1'000'000;
  std::uint32_t sequence = 0;
  for (const TimedFrame& t : all_frames(spec, 3)) {
    const Frame& f = t.bytes;
    ++sequence;
    EXPECT_TRUE(std::equal(spec.destination.begin(), spec.destination.end(), f.begin()));
    EXPECT_EQ(f[6] & 0x01, 0);  // a unicast source
    EXPECT_EQ(be16(f, 12), 0x0800u);
    EXPECT_EQ(f[14], 0x45);
    EXPECT_EQ(be16(f, 16), f.size() - 14);  // IPv4 total length
    EXPECT_EQ(f[23], 17);                   // UDP
    std::uint32_t sum = 0;  // RFC 791: the header sums to 0xFFFF in ones' complement
    for (std::size_t i = 14; i < 34; i += 2) sum += be16(f, i);
    while (sum > 0xFFFF) sum = (sum & 0xFFFF) + (sum >> 16);
    EXPECT_EQ(sum, 0xFFFFu);
    EXPECT_EQ(be16(f, 36), 9u);             // UDP destination port: discard
    EXPECT_EQ(be16(f, 38), f.size() - 34);  // UDP length
    EXPECT_EQ((std::uint32_t{f[42]} << 24) | (std::uint32_t{f[43]} << 16) |
                  (std::uint32_t{f[44]} << 8) | f[45],
              sequence);
  }
}

TEST(Traffic, BadSpecificationsAreRefused) {
  TrafficSpec spec;
  spec.line_rate_gbps = 40;
  EXPECT_THROW(make_traffic(spec, 1), std::invalid_argument);
  spec.line_rate_gbps = 10;
  spec.pattern = TrafficPattern::Poisson;
  EXPECT_THROW(make_traffic(spec, 1), std::invalid_argument);
  EXPECT_THROW(udp_frame(spec.destination, 1, 59), std::invalid_argument);
  EXPECT_THROW(udp_frame(spec.destination, 1, 1515), std::invalid_argument);
}

}  // namespace net_traffic_test
}  // namespace irqlab::models::net
