// The FCS and the beat format (docs/rtl.md, NIC) against independent computations:
// a bitwise CRC-32, the standard check value, and the byte lanes docs/rtl.md fixes.
#include <gtest/gtest.h>
#include <random>
#include <string_view>

#include "net/ethernet.h"
#include "net/mac_tx_sink.h"
#include "net_test_support.h"

namespace irqlab::models::net {
namespace net_ethernet_test {

std::span<const std::uint8_t> bytes_of(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

TEST(Fcs, KnownVectors) {
  EXPECT_EQ(ethernet_crc32(bytes_of("123456789")), 0xCBF43926u);  // the CRC-32 check value
  EXPECT_EQ(ethernet_crc32({}), 0x00000000u);
  EXPECT_EQ(ethernet_crc32(bytes_of("The quick brown fox jumps over the lazy dog")), 0x414FA339u);
}

TEST(Fcs, EqualsTheBitwiseReference) {
  std::mt19937_64 rng(7);
  for (std::size_t size : {1u, 59u, 60u, 61u, 63u, 64u, 1514u}) {
    Frame f(size);
    for (std::uint8_t& b : f) b = static_cast<std::uint8_t>(rng());
    EXPECT_EQ(ethernet_crc32(f), test::bitwise_crc32(f)) << size;
  }
}

TEST(Fcs, IsAppendedLeastSignificantByteFirstAndChecked) {
  const Frame frame = test::pattern_frame(60);
  const Frame wire = with_fcs(frame);
  ASSERT_EQ(wire.size(), 64u);
  const std::uint32_t crc = test::bitwise_crc32(frame);
  for (unsigned i = 0; i < 4; ++i)
    EXPECT_EQ(wire[60 + i], static_cast<std::uint8_t>(crc >> (8 * i)));
  // IEEE 802.3: the CRC of a frame with its FCS is the constant residue 0x2144DF1C.
  EXPECT_EQ(test::bitwise_crc32(wire), 0x2144DF1Cu);
  EXPECT_TRUE(fcs_matches(wire));
  Frame corrupted = wire;
  corrupted[17] ^= 0x10;
  EXPECT_FALSE(fcs_matches(corrupted));
  EXPECT_FALSE(fcs_matches(std::span<const std::uint8_t>(wire).first(3)));
}

TEST(Beats, PackBytesLowLaneFirstWithKeepAndLast) {
  for (std::size_t frame_bytes : {60u, 61u, 62u, 63u, 64u, 1514u}) {
    const Frame wire = with_fcs(test::pattern_frame(frame_bytes));
    const std::size_t beats = (wire.size() + 3) / 4;
    ASSERT_EQ(beats_for(wire.size()), beats);
    const unsigned tail = wire.size() % 4 == 0 ? 4 : wire.size() % 4;
    for (std::size_t k = 0; k < beats; ++k) {
      const MacBeat beat = beat_of(wire, k);
      const bool last = k + 1 == beats;
      EXPECT_TRUE(beat.valid);
      EXPECT_EQ(beat.last, last) << frame_bytes << " beat " << k;
      EXPECT_EQ(beat.keep, last ? (1u << tail) - 1 : 0xFu) << frame_bytes << " beat " << k;
      for (unsigned i = 0; i < (last ? tail : 4); ++i)
        EXPECT_EQ((beat.data >> (8 * i)) & 0xFF, wire[4 * k + i])
            << frame_bytes << " beat " << k << " byte " << i;
      if (last) {
        for (unsigned i = tail; i < 4; ++i) EXPECT_EQ((beat.data >> (8 * i)) & 0xFF, 0u);
      }
    }
  }
}

TEST(MacTxSink, ReassemblesAndChecksTheFcs) {
  std::vector<std::pair<TxFrameStatus, Frame>> seen;
  MacTxSink sink([&](const TransmittedFrame& f) {
    seen.emplace_back(f.status, Frame(f.wire_bytes.begin(), f.wire_bytes.end()));
    EXPECT_EQ(f.sequence, seen.size());
  });
  const auto send = [&](const Frame& wire, Cycle from) {
    for (std::size_t k = 0; k < beats_for(wire.size()); ++k)
      sink.accept(from + k, beat_of(wire, k));
  };
  const Frame good = with_fcs(test::pattern_frame(61));
  Frame bad = with_fcs(test::pattern_frame(1514, 3));
  bad[100] ^= 1;
  send(good, 10);
  send(bad, 100);
  // A 60-byte frame whose second beat claims only two bytes although it is not the last.
  const Frame odd = with_fcs(test::pattern_frame(60));
  for (std::size_t k = 0; k < beats_for(odd.size()); ++k) {
    MacBeat beat = beat_of(odd, k);
    if (k == 1) beat.keep = 0x3;
    sink.accept(1000 + k, beat);
  }
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0].first, TxFrameStatus::Ok);
  EXPECT_EQ(seen[0].second, good);
  EXPECT_EQ(seen[1].first, TxFrameStatus::BadFcs);
  EXPECT_EQ(seen[1].second, bad);
  EXPECT_EQ(seen[2].first, TxFrameStatus::BadKeep);
  EXPECT_EQ(sink.frames(), 3u);
  EXPECT_EQ(sink.bad_frames(), 2u);
  EXPECT_STREQ(tx_frame_status_name(TxFrameStatus::BadFcs), "bad_fcs");
}

}  // namespace net_ethernet_test
}  // namespace irqlab::models::net
