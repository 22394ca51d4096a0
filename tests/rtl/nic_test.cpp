// The Verilated `nic` on its own (tests/rtl/nic_harness.h: memory on the DMA port, MAC
// driver and monitor). Expected values come from the e1000 manual's semantics as the
// subset states them (docs/rtl.md "NIC"), from the units (256 ns,
// 1.024 us) and the clock period, and from zlib's CRC; never from the RTL.
#include <cstdint>
#include <gtest/gtest.h>
#include <iostream>
#include <vector>

#include "Vnic___024root.h"
#include "nic_harness.h"
#include "rtl/nic_interval_law.h"

namespace nic_test {

using irqlab::rtltest::fcs_bytes;
using irqlab::rtltest::kBroadcast;
using irqlab::rtltest::kMemoryBase;
using irqlab::rtltest::kStation;
using irqlab::rtltest::make_frame;
using irqlab::rtltest::NicBench;
namespace nic = irqlab::regs::nic;

constexpr std::uint32_t Bit(unsigned i) { return 1u << i; }
constexpr unsigned kRxFifoBytes = 8192;  // nic's default RxFifoBytes (rtl/nic/nic.sv)
constexpr std::uint64_t kItrUnitPs = 256'000;
constexpr std::uint64_t kRxUnitPs = 1'024'000;

constexpr std::uint32_t kRxRing = kMemoryBase + 0x0000;
constexpr std::uint32_t kTxRing = kMemoryBase + 0x2000;
constexpr std::uint32_t kRxBuffers = kMemoryBase + 0x1'0000;
constexpr std::uint32_t kTxBuffers = kMemoryBase + 0x8'0000;

// TX descriptor CMD bits and RX status bits (the manual's legacy descriptors).
constexpr std::uint8_t kCmdIfcs = 1u << 1;
constexpr std::uint8_t kCmdRs = 1u << 3;
constexpr std::uint32_t kRxDd = 1u << 0;
constexpr std::uint32_t kRxEop = 1u << 1;

constexpr std::uint32_t kRctlEn = Bit(nic::kRctlEnShift);
constexpr std::uint32_t kRctlBam = Bit(nic::kRctlBamShift);
constexpr std::uint32_t kRctlSecrc = Bit(nic::kRctlSecrcShift);
constexpr std::uint32_t kRctlMacLoopback = 1u << nic::kRctlLbmShift;  // LBM = 01
constexpr std::uint32_t Bsize(unsigned code) { return code << nic::kRctlBsizeShift; }
constexpr std::uint32_t kTctlEn = Bit(nic::kTctlEnShift);
constexpr std::uint32_t kTctlPsp = Bit(nic::kTctlPspShift);

constexpr std::uint32_t kTxdw = Bit(nic::kIcrTxdwShift);
constexpr std::uint32_t kTxqe = Bit(nic::kIcrTxqeShift);
constexpr std::uint32_t kLsc = Bit(nic::kIcrLscShift);
constexpr std::uint32_t kRxdmt0 = Bit(nic::kIcrRxdmt0Shift);
constexpr std::uint32_t kRxo = Bit(nic::kIcrRxoShift);
constexpr std::uint32_t kRxt0 = Bit(nic::kIcrRxt0Shift);

std::uint64_t ceil_div(std::uint64_t a, std::uint64_t b) { return (a + b - 1) / b; }
std::uint32_t words(std::size_t bytes) { return static_cast<std::uint32_t>((bytes + 3) / 4); }

// The cycle in which the descriptor write-back of RX descriptor `index` completed: the
// response to its status Put (descriptor + 12), memory_latency after its handshake.
std::uint64_t rx_done_cycle(const NicBench& b, unsigned index) {
  for (const auto& r : b.dma())
    if (r.write() && r.address == kRxRing + 16 * index + 12)
      return r.handshake_cycle + b.memory_latency;
  ADD_FAILURE() << "no write-back of descriptor " << index;
  return 0;
}

// Receiver on: 8-descriptor ring, all but one owned, station address, 2048-byte buffers.
void start_rx(NicBench& b, std::uint32_t rctl, unsigned owned = 7) {
  b.set_station(kStation);
  b.setup_rx_ring(kRxRing, 8, kRxBuffers, 2048, owned);
  b.write(nic::kRctl, rctl);
}

// ---------------------------------------------------------------------------------------
// Registers and interrupt causes.

TEST(Nic, StatusLinkUpAndSoftResetRestoresResetValues) {
  NicBench b;
  EXPECT_EQ(b.read(nic::kStatus), Bit(nic::kStatusLuShift));
  b.write(nic::kRctl, kRctlEn | kRctlBam);
  b.write(nic::kIms, kRxt0);
  b.write(nic::kRdlen, 128);
  b.write(nic::kItr, 500);
  b.write(nic::kCtrl, 0x40);
  EXPECT_EQ(b.read(nic::kCtrl), 0x40u);
  b.write(nic::kCtrl, Bit(nic::kCtrlRstShift));
  EXPECT_EQ(b.read(nic::kCtrl), 0u);  // RST self-clears, the other bits are reset
  EXPECT_EQ(b.read(nic::kRctl), 0u);
  EXPECT_EQ(b.read(nic::kIms), 0u);
  EXPECT_EQ(b.read(nic::kRdlen), 0u);
  EXPECT_EQ(b.read(nic::kItr), 0u);
  EXPECT_EQ(b.read(nic::kStatus), Bit(nic::kStatusLuShift));
}

TEST(Nic, IcrClearsOnReadAndOnWriteOfOne) {
  NicBench b;
  b.write(nic::kIcs, kTxdw | kLsc | kRxt0);
  EXPECT_EQ(b.read(nic::kIcr), kTxdw | kLsc | kRxt0);
  EXPECT_EQ(b.read(nic::kIcr), 0u);  // the read cleared every cause
  b.write(nic::kIcs, kTxdw | kLsc | kRxt0);
  b.write(nic::kIcr, kLsc);  // write 1 clears that bit only
  EXPECT_EQ(b.read(nic::kIcr), kTxdw | kRxt0);
  // Unimplemented cause bits (3, 5) cannot be set.
  b.write(nic::kIcs, 0xFF);
  EXPECT_EQ(b.read(nic::kIcr), kTxdw | kTxqe | kLsc | kRxdmt0 | kRxo | kRxt0);
}

// ICS sets a cause at the accepting edge e; intr_o = |(ICR & IMS) registered: high in cycle
// e+1. IMC masks it (low the cycle after), IMS unmasks it.
TEST(Nic, ImsImcIcsDriveTheLineOneCycleAfterTheirEdge) {
  NicBench b;
  b.write(nic::kIms, kLsc | kRxt0);
  EXPECT_EQ(b.read(nic::kIms), kLsc | kRxt0);
  b.write(nic::kIcs, kTxdw);  // not enabled: no interrupt
  b.step(4);
  EXPECT_TRUE(b.intr_rises().empty());
  b.write(nic::kIcs, kLsc);
  const std::uint64_t e = b.last_access_edge();
  b.step(2);
  ASSERT_EQ(b.intr_rises().size(), 1u);
  EXPECT_EQ(b.intr_rises()[0], e + 1);
  b.write(nic::kImc, kLsc);
  EXPECT_EQ(b.read(nic::kIms), kRxt0);
  EXPECT_FALSE(b.dut.intr_o);
  b.write(nic::kIms, kLsc);
  const std::uint64_t e2 = b.last_access_edge();
  b.step(2);
  ASSERT_EQ(b.intr_rises().size(), 2u);
  EXPECT_EQ(b.intr_rises()[1], e2 + 1);
  EXPECT_EQ(b.read(nic::kIcr), kTxdw | kLsc);
  EXPECT_FALSE(b.dut.intr_o);
}

// ITR = 500: a rise at most every 500 * 256 ns = 128 us; the next rise is in the first
// cycle at or after that interval (clock period 3 ns: 42666.67 cycles -> 42667).
TEST(Nic, ItrSpacesInterruptsByTheIntervalExactly) {
  constexpr std::uint32_t kPeriodPs = 3000;
  NicBench b(kPeriodPs);
  const std::uint64_t gap = ceil_div(500 * kItrUnitPs, kPeriodPs);
  ASSERT_EQ(gap, 42667u);
  b.write(nic::kItr, 500);
  b.write(nic::kIms, kLsc);
  b.write(nic::kIcs, kLsc);
  const std::uint64_t e = b.last_access_edge();
  for (int round = 0; round < 3; ++round) {
    // Acknowledge, and make the cause pending again at once: the line may not rise again
    // before the interval is over.
    b.run_until([&] { return b.intr_rises().size() == static_cast<std::size_t>(round + 1); });
    b.read(nic::kIcr);
    b.write(nic::kIcs, kLsc);
  }
  b.run_until([&] { return b.intr_rises().size() == 4; }, 3 * gap);
  const auto& r = b.intr_rises();
  EXPECT_EQ(r[0], e + 1);  // no interval running: unthrottled
  for (std::size_t i = 1; i < r.size(); ++i) {
    EXPECT_EQ(r[i] - r[i - 1], gap) << i;
    EXPECT_GE((r[i] - r[i - 1]) * kPeriodPs, 128'000'000u) << i;  // >= 128 us
  }
}

// While the ITR interval runs with the cause pending again, the NIC only counts: it is
// quiescent, and the counting law (cosim/rtl/nic_interval_law.h, which the co-simulation
// jumps with) gives, from any cycle of the interval, the accumulator later and the expiry
// cycle, after which the line rises: at the first rise + ceil(500 * 256 ns / period).
TEST(Nic, ItrIntervalFollowsTheCountingLawAndIsQuiescent) {
  constexpr std::uint32_t kPeriodPs = 3000;
  NicBench b(kPeriodPs);
  const std::uint64_t gap = ceil_div(500 * kItrUnitPs, kPeriodPs);
  b.write(nic::kItr, 500);
  b.write(nic::kIms, kLsc);
  b.write(nic::kIcs, kLsc);
  b.run_until([&] { return b.intr_rises().size() == 1; });
  const std::uint64_t first_rise = b.intr_rises()[0];
  b.read(nic::kIcr);
  b.write(nic::kIcs, kLsc);
  const auto& root = *b.dut.rootp;
  const auto itr_state = [&] {
    return irqlab::cosim::NicIntervalState{
        root.nic__DOT__u_moderation__DOT__u_itr__DOT__running_q != 0,
        root.nic__DOT__u_moderation__DOT__u_itr__DOT__elapsed_q,
        root.nic__DOT__u_moderation__DOT__u_itr__DOT__interval};
  };
  const std::uint64_t start = b.cycle();
  const irqlab::cosim::NicIntervalState at_start = itr_state();
  ASSERT_TRUE(at_start.running);
  EXPECT_EQ(at_start.interval_ps, 500 * kItrUnitPs);
  const std::uint64_t expiry = start + irqlab::cosim::cycles_to_expiry(at_start, kPeriodPs);
  EXPECT_EQ(expiry + 1, first_rise + gap);  // intr_o rises the cycle after the expiry
  std::uint64_t quiescent_cycles = 0;
  while (b.cycle() < expiry) {
    irqlab::cosim::NicIntervalState predicted = at_start;
    irqlab::cosim::advance_interval(predicted, b.cycle() - start, kPeriodPs);
    const irqlab::cosim::NicIntervalState now = itr_state();
    ASSERT_EQ(now.elapsed_ps, predicted.elapsed_ps) << b.cycle();
    ASSERT_EQ(b.cycle() + irqlab::cosim::cycles_to_expiry(now, kPeriodPs), expiry) << b.cycle();
    quiescent_cycles += b.dut.quiescent_o;
    ASSERT_FALSE(b.dut.intr_o) << b.cycle();
    b.step();
  }
  EXPECT_EQ(quiescent_cycles, expiry - start);  // every cycle of the interval but its expiry
  EXPECT_FALSE(b.dut.quiescent_o);              // the expiry cycle changes the timer and the line
  b.step();
  ASSERT_EQ(b.intr_rises().size(), 2u);
  EXPECT_EQ(b.intr_rises()[1], first_rise + gap);
}

// ---------------------------------------------------------------------------------------
// Transmit.

// Frames of 60..63 bytes (every alignment of the FCS), IFCS | RS: the wire carries the
// bytes and their CRC-32 (zlib), DD is written back, TXDW and TXQE are raised, GPTC and
// GOTCL count them (FCS included); a descriptor without RS gets no write-back.
TEST(Nic, TransmitAppendsFcsWritesBackDdAndRaisesTxdwTxqe) {
  NicBench b;
  b.setup_tx_ring(kTxRing, 8);
  b.write(nic::kTctl, kTctlEn);
  std::vector<std::vector<std::uint8_t>> sent;
  std::uint32_t octets = 0;
  for (unsigned len = 60; len < 64; ++len) {
    sent.push_back(make_frame(kBroadcast, len, static_cast<std::uint8_t>(len), false));
    b.queue_tx(kTxBuffers + 0x800 * (len - 60), sent.back(), kCmdIfcs | kCmdRs);
    octets += len + 4;
  }
  b.settle();
  ASSERT_EQ(b.transmitted().size(), 4u);
  for (std::size_t i = 0; i < 4; ++i) {
    std::vector<std::uint8_t> want = sent[i];
    const auto fcs = fcs_bytes(sent[i]);
    want.insert(want.end(), fcs.begin(), fcs.end());
    EXPECT_EQ(b.transmitted()[i].bytes, want) << i;
    EXPECT_EQ(b.mem_read32(kTxRing + 16 * static_cast<std::uint32_t>(i) + 12), 1u) << i;  // DD
  }
  EXPECT_EQ(b.read(nic::kTdh), 4u);
  EXPECT_EQ(b.read(nic::kIcr), kTxdw | kTxqe);
  EXPECT_EQ(b.read(nic::kGptc), 4u);
  EXPECT_EQ(b.read(nic::kGotcl), octets);
  EXPECT_EQ(b.read(nic::kGptc), 0u);  // cleared by the read
  EXPECT_EQ(b.read(nic::kGotcl), 0u);

  const auto plain = make_frame(kBroadcast, 70, 9, false);
  b.queue_tx(kTxBuffers, plain, 0);  // no IFCS, no RS
  b.settle();
  ASSERT_EQ(b.transmitted().size(), 5u);
  EXPECT_EQ(b.transmitted()[4].bytes, plain);
  EXPECT_EQ(b.mem_read32(kTxRing + 16 * 4 + 12), 0u);
  EXPECT_EQ(b.read(nic::kIcr), kTxqe);
}

// TCTL.PSP pads a 20-byte frame with zeros to 60 bytes before the FCS.
TEST(Nic, ShortFramesArePaddedWithPsp) {
  NicBench b;
  b.setup_tx_ring(kTxRing, 8);
  b.write(nic::kTctl, kTctlEn | kTctlPsp);
  const auto frame = make_frame(kBroadcast, 20, 3, false);
  b.queue_tx(kTxBuffers, frame, kCmdIfcs);
  b.settle();
  std::vector<std::uint8_t> want = frame;
  want.resize(60, 0);
  const auto fcs = fcs_bytes(want);
  want.insert(want.end(), fcs.begin(), fcs.end());
  ASSERT_EQ(b.transmitted().size(), 1u);
  EXPECT_EQ(b.transmitted()[0].bytes, want);
}

// mac_tx_ready low holds the beat (the frame waits, nothing is lost or repeated).
TEST(Nic, TransmitWaitsForTheWire) {
  NicBench b;
  b.setup_tx_ring(kTxRing, 8);
  b.write(nic::kTctl, kTctlEn);
  b.tx_ready = false;
  const auto frame = make_frame(kBroadcast, 90, 4, false);
  b.queue_tx(kTxBuffers, frame, kCmdIfcs);
  b.step(200);
  EXPECT_TRUE(b.dut.mac_tx_valid_o);
  EXPECT_TRUE(b.transmitted().empty());
  b.tx_ready = true;
  b.settle();
  std::vector<std::uint8_t> want = frame;
  const auto fcs = fcs_bytes(frame);
  want.insert(want.end(), fcs.begin(), fcs.end());
  ASSERT_EQ(b.transmitted().size(), 1u);
  EXPECT_EQ(b.transmitted()[0].bytes, want);
}

// CTRL.RST in the middle of a frame on the wire: the frame is still ended (a last beat),
// shorter than sent; the NIC then transmits normally.
TEST(Nic, SoftResetEndsTheFrameOnTheWire) {
  NicBench b;
  b.setup_tx_ring(kTxRing, 8);
  b.write(nic::kTctl, kTctlEn);
  b.queue_tx(kTxBuffers, make_frame(kBroadcast, 1000, 1, false), kCmdIfcs | kCmdRs);
  b.run_until([&] { return b.dut.mac_tx_valid_o != 0; });
  b.step(40);
  b.write(nic::kCtrl, Bit(nic::kCtrlRstShift));
  b.settle();
  ASSERT_EQ(b.transmitted().size(), 1u);
  EXPECT_NE(b.transmitted()[0].last_cycle, 0u);
  EXPECT_LT(b.transmitted()[0].bytes.size(), 1004u);
  EXPECT_EQ(b.read(nic::kTdh), 0u);
  b.setup_tx_ring(kTxRing, 8);
  b.write(nic::kTctl, kTctlEn);
  const auto frame = make_frame(kBroadcast, 64, 2, false);
  b.queue_tx(kTxBuffers, frame, 0);
  b.settle();
  ASSERT_EQ(b.transmitted().size(), 2u);
  EXPECT_EQ(b.transmitted()[1].bytes, frame);
}

// ---------------------------------------------------------------------------------------
// Receive.

// CTRL.RST while the RX engine is moving a frame: the DMA transaction in flight is
// finished on the bus and its response dropped; the NIC starts clean (FIFO empty, ring
// registers reset) and receives normally afterwards.
TEST(Nic, SoftResetDuringReceiveDmaRecovers) {
  NicBench b;
  start_rx(b, kRctlEn | kRctlSecrc);
  b.send(make_frame(kStation, 1514, 1));
  b.send(make_frame(kStation, 1514, 2));
  b.run_until([&] { return b.dma().size() > 20; });
  b.write(nic::kCtrl, Bit(nic::kCtrlRstShift));
  b.settle();
  EXPECT_EQ(b.read(nic::kGprc), 0u);
  EXPECT_EQ(b.read(nic::kRdh), 0u);
  start_rx(b, kRctlEn | kRctlSecrc);
  const auto frame = make_frame(kStation, 500, 3);
  b.send(frame);
  b.settle();
  EXPECT_EQ(b.read(nic::kGprc), 1u);
  EXPECT_EQ(b.mem_read(kRxBuffers, 500), make_frame(kStation, 500, 3, false));
}

// MAC loopback (RCTL.LBM = 01): what the TX ring sends arrives in the RX ring byte for
// byte; with SECRC the FCS is stripped, without it the buffer ends with the FCS.
TEST(Nic, MacLoopbackReturnsTheBytesSent) {
  for (const bool secrc : {true, false}) {
    SCOPED_TRACE(secrc ? "SECRC" : "FCS kept");
    NicBench b;
    start_rx(b, kRctlEn | kRctlMacLoopback | (secrc ? kRctlSecrc : 0));
    b.setup_tx_ring(kTxRing, 8);
    b.write(nic::kTctl, kTctlEn);
    std::vector<std::vector<std::uint8_t>> frames;
    for (unsigned i = 0; i < 3; ++i) {
      frames.push_back(make_frame(kStation, 100 + 13 * i, static_cast<std::uint8_t>(i), false));
      b.queue_tx(kTxBuffers + 0x800 * i, frames.back(), kCmdIfcs | kCmdRs);
    }
    b.settle();
    EXPECT_TRUE(b.transmitted().empty());  // nothing on the wire in loopback
    for (unsigned i = 0; i < 3; ++i) {
      std::vector<std::uint8_t> want = frames[i];
      if (!secrc) {
        const auto fcs = fcs_bytes(frames[i]);
        want.insert(want.end(), fcs.begin(), fcs.end());
      }
      EXPECT_EQ(b.mem_read32(kRxRing + 16 * i + 8), want.size()) << i;  // length
      EXPECT_EQ(b.mem_read32(kRxRing + 16 * i + 12), kRxDd | kRxEop) << i;
      EXPECT_EQ(b.mem_read(kRxBuffers + 2048 * i, want.size()), want) << i;
    }
    EXPECT_EQ(b.read(nic::kRdh), 3u);
    EXPECT_EQ(b.read(nic::kGprc), 3u);
    EXPECT_EQ(b.read(nic::kGptc), 3u);
    // 7 descriptors owned, 4 left after 3 frames: RDMTS 1/2 of 8 reached.
    EXPECT_EQ(b.read(nic::kIcr), kTxdw | kTxqe | kRxt0 | kRxdmt0);
  }
}

// Frames from the wire: unicast to the station and broadcast (BAM) are taken; another
// station's unicast, a multicast, and a broadcast without BAM are filtered, not counted.
// GORCL counts the wire bytes, FCS included. Statistics clear on read.
TEST(Nic, ReceiveFilterAndGoodCounters) {
  NicBench b;
  start_rx(b, kRctlEn | kRctlSecrc);
  b.send(make_frame(kStation, 64 - 4, 1));
  b.send(make_frame(0x0000'5254'0012'3457, 64 - 4, 2));  // someone else
  b.send(make_frame(0x0000'0100'5E00'0001, 64 - 4, 3));  // multicast 01:00:5e:00:00:01
  b.send(make_frame(kBroadcast, 64 - 4, 4));             // BAM off
  b.settle();
  EXPECT_EQ(b.read(nic::kGprc), 1u);
  b.write(nic::kRctl, kRctlEn | kRctlSecrc | kRctlBam);
  b.send(make_frame(kBroadcast, 200 - 4, 5));
  b.settle();
  EXPECT_EQ(b.read(nic::kGprc), 1u);
  EXPECT_EQ(b.read(nic::kGprc), 0u);
  EXPECT_EQ(b.read(nic::kGorcl), 64u + 200u);
  EXPECT_EQ(b.read(nic::kGorcl), 0u);
  EXPECT_EQ(b.read(nic::kMpc), 0u);
  EXPECT_EQ(b.read(nic::kRlec), 0u);
  EXPECT_TRUE(b.drops().empty());
  EXPECT_EQ(b.mem_read(kRxBuffers + 2048, 200 - 4), make_frame(kBroadcast, 200 - 4, 5, false));
}

// RCTL.EN = 0: frames are ignored, and nothing is counted (MPC does not count while the
// receiver is off), even when they would not fit.
TEST(Nic, ReceiverOffIgnoresFramesWithoutCounting) {
  NicBench b;
  start_rx(b, kRctlSecrc);
  for (unsigned i = 0; i < 8; ++i) b.send(make_frame(kStation, 1514, static_cast<std::uint8_t>(i)));
  b.settle();
  EXPECT_TRUE(b.dma().empty());
  EXPECT_TRUE(b.drops().empty());
  EXPECT_EQ(b.read(nic::kMpc), 0u);
  EXPECT_EQ(b.read(nic::kRnbc), 0u);
  EXPECT_EQ(b.read(nic::kIcr), 0u);
}

// No free descriptor (RDT = RDH): the frame waits in the FIFO and counts once in RNBC; it
// is delivered when software hands a descriptor over.
TEST(Nic, FullRingGivesRnbcAndTheFrameWaits) {
  NicBench b;
  start_rx(b, kRctlEn | kRctlSecrc, 0);
  const auto frame = make_frame(kStation, 300, 7);
  b.send(frame);
  b.settle();
  EXPECT_TRUE(b.dma().empty());
  EXPECT_EQ(b.read(nic::kRnbc), 1u);
  EXPECT_EQ(b.read(nic::kRnbc), 0u);
  EXPECT_EQ(b.read(nic::kGprc), 0u);
  b.write(nic::kRdt, 1);
  b.settle();
  EXPECT_EQ(b.read(nic::kGprc), 1u);
  EXPECT_EQ(b.read(nic::kRdh), 1u);
  EXPECT_EQ(b.mem_read32(kRxRing + 12), kRxDd | kRxEop);
  EXPECT_EQ(b.mem_read(kRxBuffers, 300), make_frame(kStation, 300, 7, false));
  EXPECT_EQ(b.read(nic::kRnbc), 0u);
}

// The FIFO overruns: with no descriptor free, 1518-byte frames (380 words each) fill the
// 8 KiB FIFO after floor(8192 / 1520) = 5; each further frame is dropped whole: MPC = N,
// ICR.RXO, and a drop pulse of cause 0 in the cycle after its last beat. The 5 stored
// frames are delivered once descriptors come.
TEST(Nic, FifoOverrunGivesMpcAndRxo) {
  constexpr unsigned kWire = 1518;
  const unsigned fit = kRxFifoBytes / (4 * words(kWire));
  ASSERT_EQ(fit, 5u);
  constexpr unsigned kExtra = 3;
  NicBench b;
  start_rx(b, kRctlEn | kRctlSecrc, 0);
  for (unsigned i = 0; i < fit + kExtra; ++i)
    b.send(make_frame(kStation, kWire - 4, static_cast<std::uint8_t>(i)));
  b.settle();
  EXPECT_EQ(b.read(nic::kMpc), kExtra);
  EXPECT_EQ(b.read(nic::kMpc), 0u);
  EXPECT_EQ(b.read(nic::kIcr), kRxo);
  ASSERT_EQ(b.drops().size(), kExtra);
  for (unsigned i = 0; i < kExtra; ++i) {
    EXPECT_EQ(b.drops()[i].cycle, b.sent_last_cycles()[fit + i] + 1) << i;
    EXPECT_EQ(b.drops()[i].cause, 0u) << i;
  }
  b.write(nic::kRdt, 7);
  b.settle();
  EXPECT_EQ(b.read(nic::kGprc), fit);
  for (unsigned i = 0; i < fit; ++i)
    EXPECT_EQ(b.mem_read(kRxBuffers + 2048 * i, kWire - 4),
              make_frame(kStation, kWire - 4, static_cast<std::uint8_t>(i), false))
        << i;
}

// A frame longer than the buffer (RCTL.BSIZE = 11: 256 bytes) after FCS stripping is
// dropped and counted in RLEC (drop cause 1), as is a frame shorter than 18 bytes; a
// frame of exactly the buffer size is taken. Without SECRC the FCS counts against it.
TEST(Nic, FrameLongerThanTheBufferGivesRlec) {
  NicBench b;
  start_rx(b, kRctlEn | kRctlSecrc | Bsize(3));
  b.send(make_frame(kStation, 256, 1));  // 260 on the wire, 256 stored: fits
  b.send(make_frame(kStation, 257, 2));  // 257 stored: too long
  b.send(make_frame(kStation, 13, 3));   // 17 on the wire: too short
  b.settle();
  EXPECT_EQ(b.read(nic::kGprc), 1u);
  EXPECT_EQ(b.read(nic::kRlec), 2u);
  EXPECT_EQ(b.read(nic::kRlec), 0u);
  ASSERT_EQ(b.drops().size(), 2u);
  EXPECT_EQ(b.drops()[0].cycle, b.sent_last_cycles()[1] + 1);
  EXPECT_EQ(b.drops()[0].cause, 1u);
  EXPECT_EQ(b.drops()[1].cycle, b.sent_last_cycles()[2] + 1);
  EXPECT_EQ(b.mem_read32(kRxRing + 8), 256u);
  b.write(nic::kRctl, kRctlEn | Bsize(3));
  b.send(make_frame(kStation, 252, 4));  // 256 on the wire, stored with its FCS: fits
  b.send(make_frame(kStation, 253, 5));  // 257: too long
  b.settle();
  EXPECT_EQ(b.read(nic::kGprc), 1u);
  EXPECT_EQ(b.read(nic::kRlec), 1u);
  EXPECT_EQ(b.read(nic::kMpc), 0u);
}

// RXDMT0: 8 descriptors, 7 owned, RDMTS = 1/2: the free count falls 6, 5, 4 over three
// frames, and the cause is raised when it reaches 4, not before.
TEST(Nic, RxDescriptorMinimumThreshold) {
  NicBench b;
  start_rx(b, kRctlEn | kRctlSecrc);
  b.send(make_frame(kStation, 60, 1));
  b.send(make_frame(kStation, 60, 2));
  b.settle();
  EXPECT_EQ(b.read(nic::kIcr), kRxt0);
  b.send(make_frame(kStation, 60, 3));
  b.settle();
  EXPECT_EQ(b.read(nic::kIcr), kRxt0 | kRxdmt0);
}

// ---------------------------------------------------------------------------------------
// Receive interrupt moderation (clock period 1 ns: 1.024 us = 1024 cycles). A frame's
// write-back completes in cycle e (rx_done_cycle); a timer of N units fires in cycle
// e + ceil(N * 1.024 us / period), ICR.RXT0 is set at the next edge and intr_o rises one
// cycle later. RDTR = 0: ICR.RXT0 at edge e+1, intr_o in e+2.

TEST(Nic, RdtrZeroRaisesRxt0RightAfterEachWriteBack) {
  NicBench b;
  start_rx(b, kRctlEn | kRctlSecrc);
  b.write(nic::kIms, kRxt0);
  b.send(make_frame(kStation, 60, 1));
  b.settle();
  ASSERT_EQ(b.intr_rises().size(), 1u);
  EXPECT_EQ(b.intr_rises()[0], rx_done_cycle(b, 0) + 2);
}

TEST(Nic, RdtrRestartsWithEveryFrame) {
  NicBench b;
  const std::uint64_t delay = ceil_div(2 * kRxUnitPs, b.period_ps());  // RDTR = 2
  start_rx(b, kRctlEn | kRctlSecrc);
  b.write(nic::kRdtr, 2);
  b.write(nic::kIms, kRxt0);
  b.send(make_frame(kStation, 60, 1));
  b.run_until([&] { return b.read(nic::kGprc) == 1; });
  const std::uint64_t e0 = rx_done_cycle(b, 0);
  b.step(static_cast<unsigned>(delay / 2));
  b.send(make_frame(kStation, 60, 2));  // restarts the packet timer before it fires
  b.run_until([&] { return !b.intr_rises().empty(); }, 4 * delay);
  const std::uint64_t e1 = rx_done_cycle(b, 1);
  ASSERT_LT(e1, e0 + delay);
  EXPECT_EQ(b.intr_rises()[0], e1 + delay + 2);
}

// FPD (RDTR bit 31): written while a frame waits for its timer, RXT0 fires in the cycle of
// the write (ICR at its edge w, intr_o in w+1); with nothing waiting it does nothing.
TEST(Nic, RdtrFpdFlushesAtOnce) {
  NicBench b;
  start_rx(b, kRctlEn | kRctlSecrc);
  b.write(nic::kIms, kRxt0);
  b.write(nic::kRdtr, 100 | Bit(nic::kRdtrFpdShift));  // nothing waiting
  b.step(4);
  EXPECT_TRUE(b.intr_rises().empty());
  EXPECT_EQ(b.read(nic::kRdtr), 100u);  // FPD is not stored
  b.send(make_frame(kStation, 60, 1));
  b.run_until([&] { return b.read(nic::kGprc) == 1; });
  EXPECT_TRUE(b.intr_rises().empty());
  b.write(nic::kRdtr, 100 | Bit(nic::kRdtrFpdShift));
  const std::uint64_t w = b.last_access_edge();
  b.step(2);
  ASSERT_EQ(b.intr_rises().size(), 1u);
  EXPECT_EQ(b.intr_rises()[0], w + 1);
  EXPECT_EQ(b.read(nic::kIcr), kRxt0);
}

// RADV = 5 with RDTR = 3: frames every ~1500 cycles keep restarting the packet timer
// (3072 cycles), so the absolute timer, started by the first frame, fires first: RXT0 in
// cycle e_first + 5120.
TEST(Nic, RadvFiresFromTheFirstFrame) {
  NicBench b;
  const std::uint64_t rdtr = ceil_div(3 * kRxUnitPs, b.period_ps());
  const std::uint64_t radv = ceil_div(5 * kRxUnitPs, b.period_ps());
  start_rx(b, kRctlEn | kRctlSecrc);
  b.write(nic::kRdtr, 3);
  b.write(nic::kRadv, 5);
  b.write(nic::kIms, kRxt0);
  b.send(make_frame(kStation, 60, 0));
  b.run_until([&] { return b.read(nic::kGprc) == 1; });
  const std::uint64_t first = rx_done_cycle(b, 0);
  for (unsigned i = 1; i < 5 && b.intr_rises().empty(); ++i) {
    b.step(1500);
    b.send(make_frame(kStation, 60, static_cast<std::uint8_t>(i)));
  }
  b.run_until([&] { return !b.intr_rises().empty(); }, 2 * radv);
  EXPECT_EQ(b.intr_rises()[0], first + radv + 2);
  // Frames came closer together than RDTR, so the packet timer never fired on its own.
  for (unsigned i = 1; i < 4; ++i)
    EXPECT_LT(rx_done_cycle(b, i) - rx_done_cycle(b, i - 1), rdtr) << i;
}

// ---------------------------------------------------------------------------------------
// Bad input.

// A ring of illegal length (not a multiple of 128, or more than 256 descriptors) is
// empty: no descriptor is fetched, a received frame waits (RNBC), nothing is sent.
TEST(Nic, RingOfIllegalLengthIsEmpty) {
  for (const std::uint32_t rdlen : {100u, 136u, 4096u + 128u, 0u}) {
    SCOPED_TRACE(rdlen);
    NicBench b;
    start_rx(b, kRctlEn | kRctlSecrc, 1);
    b.write(nic::kRdlen, rdlen);
    b.setup_tx_ring(kTxRing, 8);
    b.write(nic::kTdlen, rdlen);
    b.write(nic::kTctl, kTctlEn);
    b.mem_write32(kTxRing + 8, 60 | (std::uint32_t{kCmdIfcs | kCmdRs} << 24));
    b.write(nic::kTdt, 1);
    b.send(make_frame(kStation, 60, 1));
    b.settle();
    EXPECT_TRUE(b.dma().empty());
    EXPECT_TRUE(b.transmitted().empty());
    EXPECT_EQ(b.read(nic::kRnbc), 1u);
    EXPECT_EQ(b.read(nic::kRdh), 0u);
    EXPECT_EQ(b.read(nic::kTdh), 0u);
  }
}

// A DMA error response stops the engine where it is: STATUS.RXDMAERR / TXDMAERR is set,
// RDH/TDH do not move, no further DMA is issued, the NIC becomes quiescent (never hangs);
// CTRL.RST recovers.
TEST(Nic, DmaErrorStopsTheEngineVisibly) {
  NicBench b;
  start_rx(b, kRctlEn | kRctlSecrc);
  b.mem_write32(kRxRing, 0x0000'1000);  // descriptor 0's buffer lies outside memory
  b.send(make_frame(kStation, 60, 1));
  b.send(make_frame(kStation, 60, 2));
  b.settle();
  ASSERT_EQ(b.dma().size(), 2u);  // the descriptor fetch, then the first buffer Put
  EXPECT_EQ(b.read(nic::kStatus), Bit(nic::kStatusLuShift) | Bit(nic::kStatusRxdmaerrShift));
  EXPECT_EQ(b.read(nic::kRdh), 0u);
  EXPECT_EQ(b.read(nic::kGprc), 0u);

  b.write(nic::kTdbal, 0x0000'2000);  // the TX ring lies outside memory
  b.write(nic::kTdlen, 128);
  b.write(nic::kTctl, kTctlEn);
  b.write(nic::kTdt, 1);
  b.settle();
  EXPECT_EQ(b.dma().size(), 3u);
  EXPECT_EQ(b.read(nic::kStatus), Bit(nic::kStatusLuShift) | Bit(nic::kStatusRxdmaerrShift) |
                                      Bit(nic::kStatusTxdmaerrShift));
  EXPECT_EQ(b.read(nic::kTdh), 0u);
  EXPECT_TRUE(b.transmitted().empty());

  b.write(nic::kCtrl, Bit(nic::kCtrlRstShift));
  EXPECT_EQ(b.read(nic::kStatus), Bit(nic::kStatusLuShift));
  start_rx(b, kRctlEn | kRctlSecrc);
  b.send(make_frame(kStation, 60, 3));
  b.settle();
  EXPECT_EQ(b.read(nic::kGprc), 1u);
}

// ---------------------------------------------------------------------------------------
// Receive path timing: frame last beat in cycle L -> write-back complete in cycle e.
// The frame is committed at edge L+1, the engine asks at L+2; each DMA transaction then
// takes 2 + memory_latency cycles from request to the next request (arbiter flop, A
// handshake, response after the latency): a descriptor fetch, one Put per stored word,
// two write-back Puts. So e = L + 1 + (words + 3) * (2 + latency).
TEST(Nic, ReceivePathCyclesPerFrame) {
  for (const unsigned wire : {64u, 1518u}) {
    NicBench b;
    start_rx(b, kRctlEn | kRctlSecrc);
    b.send(make_frame(kStation, wire - 4, 1));
    b.settle();
    const std::uint64_t last = b.sent_last_cycles().at(0);
    const std::uint64_t done = rx_done_cycle(b, 0);
    const std::uint64_t stored_words = words(wire - 4);
    EXPECT_EQ(done - last, 1 + (stored_words + 3) * (2 + b.memory_latency)) << wire;
    std::cout << "[ nic rx ] " << wire << "-byte frame, memory latency " << b.memory_latency
              << ": last beat -> write-back " << done - last << " cycles\n";
  }
}

}  // namespace nic_test
