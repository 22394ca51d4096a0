// The NIC's figures from the event stream (cosim/nic/nic_traffic.h): offered, dropped by
// cause, delivered, latency matched in order past dropped frames, byte checks, interrupts
// and the driver's counter read-backs. Events are written by hand; expected values follow
// from the event kinds' definitions in kernel/trace/trace.h.
#include "nic/nic_traffic.h"

#include <gtest/gtest.h>
#include <vector>

namespace irqlab::cosim {
namespace nic_traffic_test {

using kernel::Cycle;
using kernel::TraceKind;
constexpr unsigned kNicSource = 5;

struct Stream {
  NicTraffic nic{kNicSource};
  kernel::Tracer tracer;
  Stream() { tracer.attach(&nic); }
  // A frame of `n` bytes whose bytes are seed, seed+1, ...; the last 4 are its FCS.
  static std::vector<std::uint8_t> frame(std::size_t n, std::uint8_t seed) {
    std::vector<std::uint8_t> f(n);
    for (std::size_t i = 0; i < n; ++i) f[i] = static_cast<std::uint8_t>(seed + i);
    return f;
  }
  void offer(Cycle at, std::uint32_t seq, const std::vector<std::uint8_t>& f) {
    tracer.emit_frame(at, 0, TraceKind::FrameOffered, seq, static_cast<std::uint32_t>(f.size()), f);
  }
  void drop(Cycle at, std::uint32_t seq, std::uint32_t cause) {
    tracer.emit(at, 0, TraceKind::FrameDropped, seq, cause);
  }
  void deliver(Cycle at, std::vector<std::uint8_t> f, bool strip_fcs = true) {
    if (strip_fcs) f.resize(f.size() - 4);
    tracer.emit_frame(at, 1, TraceKind::PacketDelivered, static_cast<std::uint32_t>(f.size()), 0,
                      f);
  }
};

TEST(NicTraffic, LatencyMatchesDeliveriesToFramesInOrderSkippingDrops) {
  Stream s;
  const auto f1 = Stream::frame(64, 1), f2 = Stream::frame(64, 2), f3 = Stream::frame(1518, 3),
             f4 = Stream::frame(70, 4);
  s.offer(100, 1, f1);
  s.offer(200, 2, f2);
  s.drop(201, 2, 0);  // FIFO overflow
  s.offer(300, 3, f3);
  s.drop(301, 3, 1);  // too long for the buffer
  s.offer(400, 4, f4);
  s.deliver(1100, f1);  // latency 1000
  s.deliver(1500, f4);  // the next frame not dropped: latency 1100
  EXPECT_EQ(s.nic.offered(), 4U);
  EXPECT_EQ(s.nic.dropped_fifo(), 1U);
  EXPECT_EQ(s.nic.dropped_length(), 1U);
  EXPECT_EQ(s.nic.received(), 2U);
  EXPECT_EQ(s.nic.delivered(), 2U);
  EXPECT_EQ(s.nic.mismatched(), 0U);
  EXPECT_EQ(s.nic.undelivered(), 0U);
  const Summary l = s.nic.latency().summary();
  EXPECT_EQ(l.count, 2U);
  EXPECT_EQ(l.min, 1000U);
  EXPECT_EQ(l.max, 1100U);
  EXPECT_DOUBLE_EQ(l.mean, 1050.0);
}

TEST(NicTraffic, ADeliveryOfOtherBytesIsMismatched) {
  Stream s;
  s.offer(10, 1, Stream::frame(64, 1));
  s.offer(20, 2, Stream::frame(64, 9));
  s.deliver(50, Stream::frame(64, 9));         // frame 2's bytes where frame 1 is due
  s.deliver(60, Stream::frame(64, 9), false);  // with its FCS: delivered whole, also accepted
  EXPECT_EQ(s.nic.delivered(), 2U);
  EXPECT_EQ(s.nic.mismatched(), 1U);
}

TEST(NicTraffic, CountsInterruptsOfItsSourceSentTransmittedAndCounterReadBacks) {
  Stream s;
  s.tracer.emit(5, 0, TraceKind::HandlerStart, kNicSource);
  s.tracer.emit(6, 0, TraceKind::HandlerStart, kNicSource + 1);
  s.tracer.emit(7, 1, TraceKind::HandlerStart, kNicSource);
  s.tracer.emit(8, 0, TraceKind::NicCounter, static_cast<std::uint32_t>(kernel::NicCounterId::Mpc),
                3);
  s.tracer.emit(9, 0, TraceKind::NicCounter, static_cast<std::uint32_t>(kernel::NicCounterId::Mpc),
                4);
  s.tracer.emit(9, 0, TraceKind::NicCounter, static_cast<std::uint32_t>(kernel::NicCounterId::Rnbc),
                2);
  const auto f = Stream::frame(60, 0);
  s.tracer.emit_frame(10, 0, TraceKind::PacketSent, 60, 0, f);
  s.tracer.emit_frame(90, 0, TraceKind::FrameTransmitted, 64, 0, f);
  s.offer(100, 1, Stream::frame(64, 0));
  EXPECT_EQ(s.nic.interrupts(), 2U);
  EXPECT_EQ(s.nic.driver_counters()[static_cast<unsigned>(kernel::NicCounterId::Mpc)], 7U);
  EXPECT_EQ(s.nic.driver_counters()[static_cast<unsigned>(kernel::NicCounterId::Rnbc)], 2U);
  EXPECT_EQ(s.nic.sent(), 1U);
  EXPECT_EQ(s.nic.transmitted(), 1U);
  EXPECT_EQ(s.nic.undelivered(), 1U);
}

TEST(NicTraffic, ADropOfALoopedBackFrameCountsByCauseButIsNotAnOfferedFrame) {
  Stream s;
  s.offer(10, 1, Stream::frame(64, 1));
  s.drop(30, 0, 0);  // sequence 0: the NIC's own transmitted frame, looped back
  s.deliver(90, Stream::frame(64, 1));
  EXPECT_EQ(s.nic.dropped_fifo(), 1U);
  EXPECT_EQ(s.nic.received(), 1U);
  EXPECT_EQ(s.nic.delivered(), 1U);
  EXPECT_EQ(s.nic.mismatched(), 0U);
}

TEST(NicTraffic, ADropOfAFrameNeverOfferedIsAnError) {
  Stream s;
  EXPECT_THROW(s.drop(5, 1, 0), std::logic_error);
}

}  // namespace nic_traffic_test
}  // namespace irqlab::cosim
