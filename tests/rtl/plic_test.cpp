// Block-level tests of rtl/plic (NumSrc 32, NumTarget 2, PrioW 3, sources 24..31 edge).
// Expected values follow the RISC-V PLIC 1.0.0 spec and the timing contract in docs/rtl.md.
// Built with --assert: the RTL's own assertions run in every test.
#include <gtest/gtest.h>
#include <verilated.h>

#include <array>

#include "Vplic.h"
#include "Vplic___024root.h"
#include "drivers/regs/plic_regs.h"
#include "assertion_catcher.h"
#include "rtl_host.h"

namespace plic_test {

using irqlab::rtltest::Clock;
using irqlab::rtltest::RegHost;

constexpr uint32_t kIdW = 5;
constexpr uint32_t kPrioMax = 7;  // PrioW = 3
// Register offsets from the SoC description (rtl/soc/soc.yaml).
namespace plic = irqlab::regs::plic;
constexpr uint32_t Prio(uint32_t id) { return static_cast<uint32_t>(plic::prio(id)); }
constexpr uint32_t kIp = static_cast<uint32_t>(plic::ip(0));
constexpr uint32_t Ie(uint32_t ctx) { return static_cast<uint32_t>(plic::ie(ctx, 0)); }
constexpr uint32_t Thr(uint32_t ctx) { return static_cast<uint32_t>(plic::threshold(ctx)); }
constexpr uint32_t Cc(uint32_t ctx) { return static_cast<uint32_t>(plic::cc(ctx)); }
constexpr uint32_t Bit(uint32_t id) { return 1u << id; }

class PlicTest : public ::testing::Test {
 protected:
  void SetUp() override { clk.reset(); }
  void TearDown() override { dut.final(); }

  void line(uint32_t id, bool v) {
    if (v)
      dut.intr_src_i |= Bit(id);
    else
      dut.intr_src_i &= ~Bit(id);
    dut.eval();
  }
  void pulse(uint32_t id) {  // high for exactly one cycle
    line(id, true);
    clk.step();
    line(id, false);
  }
  bool irq(uint32_t ctx) const { return (dut.irq_o >> ctx) & 1u; }
  uint32_t irq_id(uint32_t ctx) const { return (dut.irq_id_o >> (kIdW * ctx)) & 0x1Fu; }
  uint32_t ip_q() { return dut.rootp->plic__DOT__ip_q; }  // hierarchical, as the cosim does
  uint32_t claim(uint32_t ctx) { return bus.rd(Cc(ctx)); }
  void complete(uint32_t ctx, uint32_t id) { bus.write(Cc(ctx), id); }
  void enable(uint32_t ctx, uint32_t id, uint32_t prio) {
    bus.write(Prio(id), prio);
    bus.write(Ie(ctx), bus.rd(Ie(ctx)) | Bit(id));
  }

  VerilatedContext vctx;
  Vplic dut{&vctx};
  Clock<Vplic> clk{dut};
  RegHost<Vplic> bus{dut, clk};
};

TEST_F(PlicTest, ResetStateIsAllZero) {
  for (uint32_t id = 0; id < 32; ++id) EXPECT_EQ(bus.rd(Prio(id)), 0u) << id;
  EXPECT_EQ(bus.rd(kIp), 0u);
  for (uint32_t c = 0; c < 2; ++c) {
    EXPECT_EQ(bus.rd(Ie(c)), 0u);
    EXPECT_EQ(bus.rd(Thr(c)), 0u);
    EXPECT_EQ(bus.rd(Cc(c)), 0u);
  }
  EXPECT_EQ(dut.irq_o, 0u);
}

TEST_F(PlicTest, RegisterMapWarlAndErrors) {
  EXPECT_FALSE(bus.write(Prio(5), 0xFFFFFFFF).error);
  EXPECT_EQ(bus.rd(Prio(5)), kPrioMax);  // WARL: PrioW bits
  EXPECT_FALSE(bus.write(Prio(0), 7).error);
  EXPECT_EQ(bus.rd(Prio(0)), 0u);  // source 0 does not exist
  EXPECT_FALSE(bus.write(Ie(1), 0xFFFFFFFF).error);
  EXPECT_EQ(bus.rd(Ie(1)), 0xFFFFFFFEu);  // bit 0 hard-wired to 0
  EXPECT_EQ(bus.rd(Ie(0)), 0u);
  EXPECT_FALSE(bus.write(Thr(1), 0xFF).error);
  EXPECT_EQ(bus.rd(Thr(1)), kPrioMax);
  EXPECT_FALSE(bus.write(kIp, 0xFFFFFFFF).error);  // read-only, write ignored
  EXPECT_EQ(bus.rd(kIp), 0u);
  for (uint32_t bad : {Prio(32), 0xFFCu, kIp + 4, Ie(0) + 4, Ie(2), Thr(2), Cc(2), Thr(0) + 8,
                       0x3FFFFCu, 0x2u}) {
    EXPECT_TRUE(bus.read(bad).error) << std::hex << bad;
  }
}

// rtl-anchors 6.1 #1: equal priority -> the lower ID is claimed first.
TEST_F(PlicTest, EqualPriorityLowerIdClaimedFirst) {
  enable(0, 9, 3);
  enable(0, 5, 3);
  line(9, true);
  line(5, true);
  clk.step(2);
  ASSERT_TRUE(irq(0));
  EXPECT_EQ(irq_id(0), 5u);
  EXPECT_EQ(claim(0), 5u);
  EXPECT_EQ(claim(0), 9u);
  EXPECT_EQ(claim(0), 0u);
}

TEST_F(PlicTest, HigherPriorityClaimedFirst) {
  enable(0, 10, 2);
  enable(0, 20, 6);
  line(10, true);
  line(20, true);
  clk.step(2);
  EXPECT_EQ(claim(0), 20u);
  EXPECT_EQ(claim(0), 10u);
}

// rtl-anchors 6.1 #2: priority 0 never interrupts (and is not claimable).
TEST_F(PlicTest, PriorityZeroNeverInterrupts) {
  enable(0, 3, 0);
  line(3, true);
  for (int i = 0; i < 10; ++i) {
    clk.step();
    EXPECT_FALSE(irq(0));
  }
  EXPECT_EQ(ip_q(), Bit(3));  // pending in the gateway, but disabled by priority 0
  EXPECT_EQ(claim(0), 0u);
  EXPECT_EQ(ip_q(), Bit(3));
  auto w = bus.write(Prio(3), 1);  // give it a priority: irq one edge later (registered)
  EXPECT_EQ(clk.cycle(), w.edge + 1);
  EXPECT_TRUE(irq(0));
}

// rtl-anchors 6.1 #3: threshold == priority masks; threshold < priority passes.
TEST_F(PlicTest, ThresholdEqualToPriorityMasks) {
  enable(0, 4, 4);
  bus.write(Thr(0), 4);
  line(4, true);
  for (int i = 0; i < 10; ++i) {
    clk.step();
    EXPECT_FALSE(irq(0));
  }
  bus.write(Thr(0), 3);
  EXPECT_TRUE(irq(0));
}

// Spec: "the threshold does not affect a claim".
TEST_F(PlicTest, ClaimIgnoresThreshold) {
  enable(0, 6, 2);
  bus.write(Thr(0), kPrioMax);
  line(6, true);
  clk.step(4);
  EXPECT_FALSE(irq(0));
  EXPECT_EQ(irq_id(0), 6u);
  EXPECT_EQ(claim(0), 6u);
  EXPECT_EQ(ip_q(), 0u);
}

// rtl-anchors 6.1 #4: a claim with nothing pending returns 0 and changes nothing.
TEST_F(PlicTest, ClaimWithNothingPendingReturnsZero) {
  EXPECT_EQ(claim(0), 0u);
  enable(1, 7, 3);
  auto r = bus.read(Cc(1));
  EXPECT_FALSE(r.error);
  EXPECT_EQ(r.data, 0u);
  EXPECT_EQ(ip_q(), 0u);
  line(7, true);
  clk.step(2);
  EXPECT_EQ(claim(1), 7u);  // the earlier empty claim did not block the gateway
}

// rtl-anchors 6.1 #5: completion for a source not enabled in that context is ignored.
TEST_F(PlicTest, CompletionForNonEnabledSourceIgnored) {
  enable(0, 3, 1);  // enabled on ctx 0 only
  line(3, true);    // level, stays high
  clk.step(2);
  ASSERT_EQ(claim(0), 3u);
  complete(1, 3);  // ctx 1 does not enable source 3 -> ignored
  clk.step(5);
  EXPECT_EQ(ip_q(), 0u);  // still claimed: no re-pend
  EXPECT_FALSE(irq(0));
  bus.write(Ie(0), 0);  // disabled in ctx 0 too -> still ignored
  complete(0, 3);
  clk.step(5);
  EXPECT_EQ(ip_q(), 0u);
  bus.write(Ie(0), Bit(3));
  complete(0, 3);  // enabled now: re-armed, the line is still high -> pending again
  EXPECT_EQ(ip_q(), Bit(3));
}

// rtl-anchors 6.1 #6: a level source still high after completion re-pends:
// complete at edge e -> IP at edge e+1 -> irq_o in cycle e+2.
TEST_F(PlicTest, LevelSourceStillHighAfterCompletionRepends) {
  enable(0, 12, 2);
  line(12, true);
  clk.step(2);
  ASSERT_EQ(claim(0), 12u);
  EXPECT_FALSE(irq(0));
  // Complete by hand to see every cycle. Request in cycle s, accepted at edge e = s+1.
  dut.reg_req_i = 1;
  dut.reg_we_i = 1;
  dut.reg_addr_i = Cc(0);
  dut.reg_wdata_i = 12;
  clk.step();
  const uint64_t e = clk.cycle();
  dut.reg_req_i = 0;
  dut.reg_we_i = 0;
  dut.eval();
  EXPECT_EQ(ip_q(), 0u);  // cycle e: gateway re-armed, not yet pending
  EXPECT_FALSE(irq(0));
  clk.step();  // edge e+1
  EXPECT_EQ(ip_q(), Bit(12));
  EXPECT_FALSE(irq(0));
  clk.step();  // edge e+2
  EXPECT_EQ(clk.cycle(), e + 2);
  EXPECT_TRUE(irq(0));
  EXPECT_EQ(claim(0), 12u);
  line(12, false);  // now the line is low at completion: no re-pend
  complete(0, 12);
  clk.step(3);
  EXPECT_EQ(ip_q(), 0u);
  EXPECT_FALSE(irq(0));
}

TEST_F(PlicTest, LevelLineDroppedBeforeServiceIsStillServiced) {
  enable(0, 16, 1);
  pulse(16);
  clk.step(5);
  EXPECT_TRUE(irq(0));
  EXPECT_EQ(claim(0), 16u);
  complete(0, 16);
  clk.step(3);
  EXPECT_FALSE(irq(0));
  EXPECT_EQ(claim(0), 0u);
}

TEST_F(PlicTest, SourceEnabledOnContext1OnlyNotifiesContext1) {
  enable(1, 7, 3);
  line(7, true);
  clk.step(2);
  EXPECT_FALSE(irq(0));
  EXPECT_TRUE(irq(1));
  EXPECT_EQ(claim(0), 0u);
  EXPECT_EQ(ip_q(), Bit(7));
  EXPECT_EQ(claim(1), 7u);
  EXPECT_FALSE(irq(1));
}

TEST_F(PlicTest, ThresholdsArePerContext) {
  enable(0, 7, 3);
  enable(1, 7, 3);
  bus.write(Thr(0), 3);
  bus.write(Thr(1), 2);
  line(7, true);
  clk.step(4);
  EXPECT_FALSE(irq(0));
  EXPECT_TRUE(irq(1));
  EXPECT_EQ(claim(1), 7u);
  clk.step();
  EXPECT_FALSE(irq(1));
}

TEST_F(PlicTest, EdgesWhilePendingOrClaimedAreDropped) {
  enable(0, 24, 1);  // 24 is edge-triggered in this build
  pulse(24);
  clk.step();
  pulse(24);  // while pending: dropped (no counter)
  clk.step(2);
  EXPECT_EQ(claim(0), 24u);
  EXPECT_EQ(claim(0), 0u);
  pulse(24);  // while claimed: dropped
  clk.step(2);
  EXPECT_EQ(ip_q(), 0u);
  complete(0, 24);
  clk.step(3);
  EXPECT_EQ(ip_q(), 0u);  // nothing remembered
  EXPECT_FALSE(irq(0));
  line(24, true);  // a new rising edge after completion pends again...
  clk.step(2);
  EXPECT_TRUE(irq(0));
  EXPECT_EQ(claim(0), 24u);
  complete(0, 24);  // ...and a line held high does not re-pend an edge source
  clk.step(3);
  EXPECT_EQ(ip_q(), 0u);
}

// Contract: line high in cycle c -> IP set at edge c+1 -> irq_o high in cycle c+2.
TEST_F(PlicTest, ExactLatencyTwoEdges) {
  for (uint32_t id : {17u, 25u}) {  // one level, one edge source
    SCOPED_TRACE(id);
    clk.reset();
    enable(1, id, 5);
    clk.step(3);
    line(id, true);
    const uint64_t c = clk.cycle();
    EXPECT_FALSE(irq(1));
    clk.step();  // edge c+1
    EXPECT_EQ(ip_q(), Bit(id));
    EXPECT_FALSE(irq(1));
    EXPECT_EQ(irq_id(1), 0u);
    clk.step();  // edge c+2
    EXPECT_EQ(clk.cycle(), c + 2);
    EXPECT_TRUE(irq(1));
    EXPECT_EQ(irq_id(1), id);
    line(id, false);
  }
}

// Contract: claim accepted at edge e clears IP at edge e; irq_o falls in cycle e+1.
TEST_F(PlicTest, ClaimClearsIpAndIrqFallsOneEdgeLater) {
  enable(0, 30, 7);
  line(30, true);
  clk.step(2);
  ASSERT_TRUE(irq(0));
  line(30, false);
  dut.reg_req_i = 1;
  dut.reg_we_i = 0;
  dut.reg_addr_i = Cc(0);
  dut.eval();
  EXPECT_EQ(dut.reg_rdata_o, 30u);  // sampled by the adapter at the accepting edge
  clk.step();                       // accepting edge e
  dut.reg_req_i = 0;
  dut.eval();
  EXPECT_EQ(ip_q(), 0u);
  EXPECT_TRUE(irq(0));  // cycle e: registered output still high
  clk.step();           // edge e+1
  EXPECT_FALSE(irq(0));
  EXPECT_EQ(irq_id(0), 0u);
}

// The claim window: a claim reads the pending state of its own cycle, so a source that
// became pending at the edge just before the claim (IP set, the registered irq_id_o not yet
// updated) is already what the claim sees. Expected IDs come from SpecClaim, the spec's rule
// written out independently of the RTL.

// Spec 1.0.0, claim: the pending, enabled source with the highest priority (priority 0
// never takes part), the lowest ID among equals; 0 if none; the threshold plays no part.
uint32_t SpecClaim(uint32_t pending, uint32_t enabled, const std::array<uint32_t, 32>& prio) {
  uint32_t best = 0;
  for (uint32_t id = 1; id < 32; ++id) {
    const bool candidate = ((pending & enabled) >> id & 1u) && prio[id] != 0;
    if (candidate && (best == 0 || prio[id] > prio[best])) best = id;
  }
  return best;
}

class PlicClaimWindowTest : public PlicTest {
 protected:
  void enable_with(uint32_t ctx, uint32_t id, uint32_t p) {
    enable(ctx, id, p);
    prio[id] = p;
    enabled[ctx] |= Bit(id);
  }

  std::array<uint32_t, 32> prio{};
  std::array<uint32_t, 2> enabled{};
};

TEST_F(PlicClaimWindowTest, ClaimInTheCycleAfterAHigherPriorityLineRisesReturnsIt) {
  enable_with(0, 10, 2);
  enable_with(0, 20, 6);
  line(10, true);
  clk.step(2);
  ASSERT_EQ(irq_id(0), 10u);
  line(20, true);  // cycle c
  clk.step();      // edge c+1: IP[20] set; irq_id_o still says 10 in cycle c+1
  ASSERT_EQ(ip_q(), Bit(10) | Bit(20));
  ASSERT_EQ(irq_id(0), 10u);
  const uint32_t want_first = SpecClaim(ip_q(), enabled[0], prio);
  EXPECT_EQ(want_first, 20u);
  EXPECT_EQ(claim(0), want_first);  // claim presented in cycle c+1
  const uint32_t want_second = SpecClaim(ip_q(), enabled[0], prio);
  EXPECT_EQ(want_second, 10u);
  EXPECT_EQ(claim(0), want_second);
  EXPECT_EQ(claim(0), 0u);
}

TEST_F(PlicClaimWindowTest, ClaimWithOnlyAFreshlyPendingSourceReturnsItAndClearsIt) {
  enable_with(0, 7, 3);
  clk.step(3);
  pulse(7);  // high in cycle c only (level source: one request)
  const uint64_t c = clk.cycle() - 1;
  ASSERT_EQ(ip_q(), Bit(7));  // cycle c+1
  ASSERT_FALSE(irq(0));
  EXPECT_EQ(SpecClaim(ip_q(), enabled[0], prio), 7u);
  const auto r = bus.read(Cc(0));  // presented in cycle c+1, takes effect at edge c+2
  EXPECT_EQ(r.edge, c + 2);
  EXPECT_EQ(r.data, 7u);
  EXPECT_EQ(ip_q(), 0u);  // cleared by the claim, not left pending
  EXPECT_EQ(claim(0), 0u);
  complete(0, 7);
  clk.step(3);
  EXPECT_EQ(ip_q(), 0u);  // the line is low: no new request
  EXPECT_FALSE(irq(0));
}

// The registered notification keeps its timing (line high in cycle c -> irq_o in cycle
// c+2), so a claim at edge c+2 that already took the source leaves irq_o high for that one
// cycle: a notification the spec allows to be stale (the next claim returns 0).
TEST_F(PlicClaimWindowTest, IrqTimingIsUnchangedByAnEarlyClaim) {
  enable_with(1, 17, 4);
  line(17, true);  // cycle c
  const uint64_t c = clk.cycle();
  clk.step();  // edge c+1: IP set
  EXPECT_FALSE(irq(1));
  dut.reg_req_i = 1;
  dut.reg_we_i = 0;
  dut.reg_addr_i = Cc(1);
  dut.eval();
  EXPECT_EQ(dut.reg_rdata_o, 17u);
  clk.step();  // edge c+2: claim accepted, IP cleared
  dut.reg_req_i = 0;
  dut.eval();
  EXPECT_EQ(clk.cycle(), c + 2);
  EXPECT_TRUE(irq(1));  // computed from cycle c+1's IP
  EXPECT_EQ(ip_q(), 0u);
  clk.step();  // edge c+3
  EXPECT_FALSE(irq(1));
  EXPECT_EQ(claim(1), 0u);
}

TEST_F(PlicClaimWindowTest, ClaimInTheCycleTheLineRisesSeesNothingYet) {
  enable_with(0, 12, 5);
  line(12, true);  // cycle c: IP is set only at edge c+1
  EXPECT_EQ(SpecClaim(ip_q(), enabled[0], prio), 0u);
  EXPECT_EQ(claim(0), 0u);
  EXPECT_EQ(ip_q(), Bit(12));  // the empty claim did not touch the new request
  EXPECT_EQ(claim(0), 12u);
}

TEST_F(PlicClaimWindowTest, TiesInTheWindowGoToTheLowerId) {
  enable_with(0, 9, 3);
  enable_with(0, 5, 3);
  line(9, true);
  clk.step(2);
  ASSERT_EQ(irq_id(0), 9u);
  line(5, true);
  clk.step();  // IP[5] set; irq_id_o still 9
  ASSERT_EQ(irq_id(0), 9u);
  const uint32_t want = SpecClaim(ip_q(), enabled[0], prio);
  EXPECT_EQ(want, 5u);
  EXPECT_EQ(claim(0), want);
  EXPECT_EQ(claim(0), 9u);
}

// Spec: "the threshold does not affect a claim": a fresh source at or below the threshold
// is claimed in the window like any other, and never raises irq_o.
TEST_F(PlicClaimWindowTest, ThresholdDoesNotAffectAClaimInTheWindow) {
  enable_with(0, 14, 2);
  enable_with(0, 15, 3);
  bus.write(Thr(0), 3);
  line(14, true);
  line(15, true);
  clk.step();
  EXPECT_FALSE(irq(0));
  const uint32_t want = SpecClaim(ip_q(), enabled[0], prio);
  EXPECT_EQ(want, 15u);
  EXPECT_EQ(claim(0), want);
  EXPECT_FALSE(irq(0));
  EXPECT_EQ(claim(0), 14u);
  EXPECT_FALSE(irq(0));
}

// The assertions are live: make a claimed source pending again behind the gateway's back
// (fault injection on the IP flops) and the gateway's one-request-in-flight check fires.
TEST_F(PlicTest, AssertionFiresWhenAClaimedSourceIsPendingAgain) {
  irqlab::rtltest::AssertionCatcher catcher(vctx);
  enable(0, 3, 1);
  line(3, true);
  clk.step(2);
  ASSERT_EQ(claim(0), 3u);
  clk.step(2);
  ASSERT_FALSE(catcher.fired());
  dut.rootp->plic__DOT__ip_q |= Bit(3);
  clk.step();
  EXPECT_TRUE(catcher.fired());
}

}  // namespace plic_test
