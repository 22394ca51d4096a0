// The receive wire's timing (models/net/mac_wire.h) against times computed here from the
// line rate, the frame's length, the preamble (8 bytes), the FCS (4), the inter-frame gap
// (12) and the clock period: a beat is presented in the first cycle at or after the
// moment its last byte has arrived.
#include <gtest/gtest.h>

#include "net/mac_wire.h"
#include "net_test_support.h"

namespace irqlab::models::net {
namespace net_mac_wire_test {

struct SeenBeat {
  Cycle cycle;
  MacBeat beat;
};

// Steps the wire as the RTL stepper does: from one change to the next, up to `limit`.
std::vector<SeenBeat> beats_until(MacWire& wire, Cycle limit) {
  std::vector<SeenBeat> seen;
  while (const std::optional<Cycle> c = wire.next_change()) {
    if (*c >= limit) break;
    const MacBeat b = wire.pins(*c);
    if (b.valid) seen.push_back({*c, b});
  }
  return seen;
}

std::uint64_t ceil_div(std::uint64_t a, std::uint64_t b) { return (a + b - 1) / b; }

// The cycle of beat k of a wire frame of `wire_bytes` whose preamble starts at `start_ps`.
Cycle expected_beat_cycle(std::uint64_t start_ps, std::size_t k, std::size_t wire_bytes,
                          std::uint64_t byte_ps, std::uint64_t period_ps) {
  return ceil_div(start_ps + (8 + std::min(4 * k + 4, wire_bytes)) * byte_ps, period_ps);
}

TEST(MacWire, BackToBackAtLineRateGivesTheComputedCycles) {
  constexpr std::uint64_t kPeriod = 1000;  // 1 GHz: one 32-bit beat per cycle carries 32 Gbit/s
  for (const unsigned gbps : {1u, 10u, 25u}) {
    for (const unsigned size : {60u, 61u, 1514u}) {
      TrafficSpec spec;
      spec.line_rate_gbps = gbps;
      spec.frame_bytes = {size, size};
      spec.count = 6;
      const auto source = make_traffic(spec, 1);
      std::vector<OfferedFrame> offered;
      MacWire wire(*source, gbps, kPeriod, [&](const OfferedFrame& f) { offered.push_back(f); });
      const std::vector<SeenBeat> seen = beats_until(wire, ~Cycle{0});
      const std::uint64_t byte_ps = 8000 / gbps;  // 8 bits at `gbps` Gbit/s
      const std::size_t wire_bytes = size + 4;
      const std::size_t beats = (wire_bytes + 3) / 4;
      const std::uint64_t slot_ps = (8 + wire_bytes + 12) * byte_ps;
      ASSERT_EQ(seen.size(), 6 * beats) << gbps << " Gbit/s, " << size;
      ASSERT_EQ(offered.size(), 6u);
      EXPECT_EQ(wire.frames_offered(), 6u);
      Cycle previous = 0;
      for (std::size_t i = 0; i < 6; ++i) {
        for (std::size_t k = 0; k < beats; ++k) {
          // A short last beat can complete in the same cycle as the full one before it (at
          // 25 Gbit/s one byte takes 320 ps): it then follows in the next cycle.
          Cycle expected = expected_beat_cycle(i * slot_ps, k, wire_bytes, byte_ps, kPeriod);
          if (i + k > 0) expected = std::max(expected, previous + 1);
          ASSERT_EQ(seen[i * beats + k].cycle, expected)
              << gbps << " Gbit/s, size " << size << ", frame " << i << ", beat " << k;
          previous = expected;
        }
        EXPECT_EQ(offered[i].sequence, i + 1);
        EXPECT_EQ(offered[i].wire_start_ps, i * slot_ps);
        EXPECT_EQ(offered[i].cycle, seen[i * beats + beats - 1].cycle);
      }
      // The inter-frame distance in cycles of the frames' last beats (full last beats: no
      // beat waits for the one before).
      if (wire_bytes % 4 == 0) {
        EXPECT_EQ(offered[5].cycle - offered[4].cycle,
                  ceil_div(5 * slot_ps + (8 + wire_bytes) * byte_ps, kPeriod) -
                      ceil_div(4 * slot_ps + (8 + wire_bytes) * byte_ps, kPeriod));
      }
    }
  }
}

TEST(MacWire, ConstantRateStartsFramesAtTheirExactTimes) {
  constexpr std::uint64_t kPeriod =
      3000;  // 333 MHz: keeps up with 10 Gbit/s (one beat per 3200 ps)
  TrafficSpec spec;
  spec.line_rate_gbps = 10;
  spec.rate_pps = 3'000'000;  // a frame every 333333.3 ps
  spec.start_ps = 5'000'000;
  spec.count = 50;
  const auto source = make_traffic(spec, 1);
  std::vector<OfferedFrame> offered;
  MacWire wire(*source, 10, kPeriod, [&](const OfferedFrame& f) { offered.push_back(f); });
  beats_until(wire, ~Cycle{0});
  ASSERT_EQ(offered.size(), 50u);
  for (std::uint64_t i = 0; i < 50; ++i) {
    const std::uint64_t start = 5'000'000 + i * 1'000'000'000'000ULL / 3'000'000;
    EXPECT_EQ(offered[i].wire_start_ps, start);
    EXPECT_EQ(offered[i].cycle, ceil_div(start + std::uint64_t{8 + 64} * 800, kPeriod)) << i;
  }
}

TEST(MacWire, AFrameWaitsWhileTheWireIsBusy) {
  constexpr std::uint64_t kPeriod = 1000;
  const Frame a = test::pattern_frame(100, 1);
  const Frame b = test::pattern_frame(60, 2);
  // a (8 + 104 bytes) and its gap (12) take 99.2 ns at 10 Gbit/s, so b starts when it may,
  // at 100 ns; c may start at 101 ns, while b is on the wire: it waits for b's end and gap.
  const Frame c = test::pattern_frame(61, 3);
  test::ListedTraffic source({{0, a}, {100'000, b}, {101'000, c}});
  std::vector<std::uint64_t> starts;
  std::vector<Frame> bytes;
  MacWire wire(source, 10, kPeriod, [&](const OfferedFrame& f) {
    starts.push_back(f.wire_start_ps);
    bytes.emplace_back(f.wire_bytes.begin(), f.wire_bytes.end());
  });
  beats_until(wire, ~Cycle{0});
  ASSERT_EQ(starts.size(), 3u);
  EXPECT_EQ(starts[0], 0u);
  EXPECT_EQ(starts[1], 100'000u);
  EXPECT_EQ(starts[2], 100'000u + (8 + 64 + 12) * 800);
  EXPECT_EQ(bytes[0], with_fcs(a));
  EXPECT_EQ(bytes[1], with_fcs(b));
  EXPECT_EQ(bytes[2], with_fcs(c));
}

TEST(MacWire, SlowClockPresentsOneBeatPerCycle) {
  // 100 MHz carries 3.2 Gbit/s in 32-bit beats: at 10 Gbit/s the pins, not the wire, limit.
  constexpr std::uint64_t kPeriod = 10'000;
  TrafficSpec spec;
  spec.line_rate_gbps = 10;
  spec.count = 2;
  const auto source = make_traffic(spec, 1);
  MacWire wire(*source, 10, kPeriod, nullptr);
  const std::vector<SeenBeat> seen = beats_until(wire, ~Cycle{0});
  ASSERT_EQ(seen.size(), 32u);
  EXPECT_EQ(seen[0].cycle, ceil_div(std::uint64_t{8 + 4} * 800, kPeriod));
  for (std::size_t i = 1; i < seen.size(); ++i)
    EXPECT_EQ(seen[i].cycle, seen[i - 1].cycle + 1) << i;
}

TEST(MacWire, PinsEveryCycleShowTheSameBeatsAndNeverSkipOne) {
  TrafficSpec spec;
  spec.line_rate_gbps = 1;
  spec.rate_pps = 1'000'000;
  spec.frame_bytes = {60, 80};
  spec.count = 20;
  const auto by_change = make_traffic(spec, 9);
  const auto by_cycle = make_traffic(spec, 9);
  MacWire a(*by_change, 1, 2000, nullptr);
  MacWire b(*by_cycle, 1, 2000, nullptr);
  const std::vector<SeenBeat> expected = beats_until(a, ~Cycle{0});
  std::vector<SeenBeat> every;
  for (Cycle c = 0; c <= expected.back().cycle + 5; ++c)
    if (const MacBeat beat = b.pins(c); beat.valid) every.push_back({c, beat});
  ASSERT_EQ(every.size(), expected.size());
  for (std::size_t i = 0; i < every.size(); ++i) {
    EXPECT_EQ(every[i].cycle, expected[i].cycle);
    EXPECT_EQ(every[i].beat.data, expected[i].beat.data);
    EXPECT_EQ(every[i].beat.keep, expected[i].beat.keep);
    EXPECT_EQ(every[i].beat.last, expected[i].beat.last);
  }
  EXPECT_FALSE(b.next_change().has_value());  // no more frames, pins idle

  const auto source = make_traffic(spec, 9);
  MacWire skipping(*source, 1, 2000, nullptr);
  const Cycle first = *skipping.next_change();
  EXPECT_THROW(skipping.pins(first + 1), std::logic_error);
}

}  // namespace net_mac_wire_test
}  // namespace irqlab::models::net
