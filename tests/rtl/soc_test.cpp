// SoC-level tests of rtl/soc/irqlab_soc through its TL-UL subset port.
// Contracts (docs/rtl.md): access = 2 cycles; PLIC 2 edges; timer intr_o at e+N*(P+1)+2;
// IPI_SET[h] accepted at edge e -> source 7+h high in cycle e -> irq_o[h] in cycle e+2.
#include <gtest/gtest.h>
#include <verilated.h>

#include "Virqlab_soc.h"
#include "drivers/regs/crypto_regs.h"
#include "drivers/regs/ipi_regs.h"
#include "drivers/regs/nic_regs.h"
#include "drivers/regs/plic_regs.h"
#include "drivers/regs/timer_regs.h"
#include "rtl_host.h"
#include "soc_map.h"

namespace soc_test {

using irqlab::rtltest::Clock;
using irqlab::rtltest::TlulHost;
namespace tl = irqlab::rtltest::tl;

// Map, offsets and source assignment from the SoC description (rtl/soc/soc.yaml).
namespace soc = irqlab::cosim::soc;
namespace regs = irqlab::regs;
constexpr uint32_t At(uint64_t addr) { return static_cast<uint32_t>(addr); }
constexpr uint32_t kPlic = At(soc::kPlicBase);
constexpr uint32_t kTimer = At(soc::kTimerBase);
constexpr uint32_t kIpi = At(soc::kIpiBase);
constexpr uint32_t kNic = At(soc::kNicBase);
constexpr uint32_t kCrypto = At(soc::kCryptoBase);
constexpr uint32_t Prio(uint32_t id) { return At(soc::kPlicBase + regs::plic::prio(id)); }
constexpr uint32_t Ie(uint32_t ctx) { return At(soc::kPlicBase + regs::plic::ie(ctx, 0)); }
constexpr uint32_t Thr(uint32_t ctx) { return At(soc::kPlicBase + regs::plic::threshold(ctx)); }
constexpr uint32_t Cc(uint32_t ctx) { return At(soc::kPlicBase + regs::plic::cc(ctx)); }
constexpr uint32_t kTimerCtrl = At(soc::kTimerBase + regs::timer::kCtrl);
constexpr uint32_t TimerReg(uint32_t h, uint64_t (*reg)(uint64_t)) { return At(soc::kTimerBase + reg(h)); }
constexpr uint32_t IpiSet(uint32_t h) { return At(soc::kIpiBase + regs::ipi::ipi_set(h)); }
constexpr uint32_t IpiClear(uint32_t h) { return At(soc::kIpiBase + regs::ipi::ipi_clear(h)); }
constexpr uint32_t kIpiStatus = At(soc::kIpiBase + regs::ipi::kIpiStatus);
constexpr uint32_t Bit(uint32_t i) { return 1u << i; }

constexpr uint32_t TimerSrc(uint32_t hart) { return soc::timer_source(hart); }
constexpr uint32_t ExtSrc(uint32_t ext) { return soc::ext_source(ext); }
constexpr uint32_t IpiSrc(uint32_t hart) { return soc::ipi_source(hart); }

class SocTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dut.tl_a_valid_i = 0;
    dut.tl_d_ready_i = 1;
    dut.ext_irq_i = 0;
    clk.reset();
  }
  void TearDown() override { dut.final(); }

  bool irq(uint32_t hart) const { return (dut.irq_o >> hart) & 1u; }
  void ext(uint32_t i, bool v) {
    if (v)
      dut.ext_irq_i |= Bit(i);
    else
      dut.ext_irq_i &= ~Bit(i);
    dut.eval();
  }
  void plic_enable(uint32_t ctx, uint32_t id, uint32_t prio) {
    ASSERT_FALSE(host.write(Prio(id), prio).error);
    ASSERT_FALSE(host.write(Ie(ctx), host.rd(Ie(ctx)) | Bit(id)).error);
  }

  VerilatedContext vctx;
  Virqlab_soc dut{&vctx};
  Clock<Virqlab_soc> clk{dut};
  TlulHost<Virqlab_soc> host{dut, clk};
};

// Request in cycle s, accepted at edge s+1 with d_valid in cycle s+1, retired at edge s+2,
// a_ready again in cycle s+2.
TEST_F(SocTest, TlulAccessTakesExactlyTwoCycles) {
  ASSERT_FALSE(host.write(Thr(2), 5).error);
  clk.step(3);
  const uint64_t s = clk.cycle();
  EXPECT_TRUE(dut.tl_a_ready_o);
  EXPECT_FALSE(dut.tl_d_valid_o);
  host.present(tl::kGet, Thr(2), 0, 0xF, 0xA5);
  clk.step();  // edge s+1: accepted
  host.idle();
  EXPECT_TRUE(dut.tl_d_valid_o);
  EXPECT_FALSE(dut.tl_a_ready_o);
  EXPECT_EQ(dut.tl_d_opcode_o, tl::kAccessAckData);
  EXPECT_EQ(dut.tl_d_data_o, 5u);
  EXPECT_FALSE(dut.tl_d_error_o);
  EXPECT_EQ(dut.tl_d_source_o, 0xA5u);
  clk.step();  // edge s+2: retired
  EXPECT_EQ(clk.cycle(), s + 2);
  EXPECT_FALSE(dut.tl_d_valid_o);
  EXPECT_TRUE(dut.tl_a_ready_o);

  auto w = host.write(Thr(3), 6);
  EXPECT_EQ(w.accept_edge, w.request_cycle + 1);
  EXPECT_EQ(w.response_cycle, w.request_cycle + 1);
  EXPECT_EQ(w.retire_edge, w.request_cycle + 2);
  EXPECT_EQ(w.opcode, tl::kAccessAck);
  EXPECT_FALSE(w.error);
}

TEST_F(SocTest, BackToBackAccessesEveryTwoCycles) {
  const uint64_t s = clk.cycle();
  auto a = host.write(Thr(0), 1);
  auto b = host.write(Thr(1), 2);
  auto c = host.read(Thr(0));
  auto d = host.read(Thr(1));
  EXPECT_EQ(a.accept_edge, s + 1);
  EXPECT_EQ(b.accept_edge, s + 3);
  EXPECT_EQ(c.accept_edge, s + 5);
  EXPECT_EQ(d.accept_edge, s + 7);
  EXPECT_EQ(c.data, 1u);
  EXPECT_EQ(d.data, 2u);

  // A request held during the response cycle (a_ready low) is accepted at edge s'+3.
  const uint64_t s2 = clk.cycle();
  host.present(tl::kGet, Thr(0), 0, 0xF, 1);
  clk.step();  // s2+1: first accepted
  host.present(tl::kGet, Thr(1), 0, 0xF, 2);
  EXPECT_FALSE(dut.tl_a_ready_o);
  clk.step();  // s2+2: first retired, second not yet accepted
  EXPECT_FALSE(dut.tl_d_valid_o);
  EXPECT_TRUE(dut.tl_a_ready_o);
  clk.step();  // s2+3: second accepted
  host.idle();
  EXPECT_EQ(clk.cycle(), s2 + 3);
  EXPECT_TRUE(dut.tl_d_valid_o);
  EXPECT_EQ(dut.tl_d_source_o, 2u);
  EXPECT_EQ(dut.tl_d_data_o, 2u);
  clk.step();
}

TEST_F(SocTest, DReadyLowHoldsResponseAndBlocksRequests) {
  host.present(tl::kPutFullData, Thr(0), 3, 0xF, 7);
  clk.step();
  host.present(tl::kGet, Thr(0), 0, 0xF, 8);
  dut.tl_d_ready_i = 0;
  dut.eval();
  for (int i = 0; i < 3; ++i) {
    clk.step();
    EXPECT_TRUE(dut.tl_d_valid_o);
    EXPECT_EQ(dut.tl_d_source_o, 7u);
    EXPECT_FALSE(dut.tl_a_ready_o);
  }
  dut.tl_d_ready_i = 1;
  dut.eval();
  clk.step();  // retire
  EXPECT_TRUE(dut.tl_a_ready_o);
  clk.step();  // accept the Get
  host.idle();
  EXPECT_TRUE(dut.tl_d_valid_o);
  EXPECT_EQ(dut.tl_d_source_o, 8u);
  EXPECT_EQ(dut.tl_d_data_o, 3u);
  clk.step();
}

TEST_F(SocTest, UnmappedAddressesReturnError) {
  for (uint32_t addr : {0x00000000u, 0x0BFFFFFCu, 0x0C400000u, 0x0FFFFFFCu, 0x10001000u,
                        0x1000FFFCu, 0x10011000u, 0x10031000u, 0x20000000u, 0xFFFFFFFCu}) {
    SCOPED_TRACE(addr);
    auto r = host.read(addr);
    EXPECT_TRUE(r.error);
    EXPECT_EQ(r.opcode, tl::kAccessAckData);
    EXPECT_EQ(r.data, 0u);
    EXPECT_EQ(r.retire_edge, r.request_cycle + 2);  // errors keep the 2-cycle timing
    auto w = host.write(addr, 0x1234);
    EXPECT_TRUE(w.error);
    EXPECT_EQ(w.opcode, tl::kAccessAck);
  }
  // Mapped window, but no register there: device error.
  EXPECT_TRUE(host.read(kPlic + 0x1004).error);
  EXPECT_TRUE(host.read(kTimer + 0x000).error);
  EXPECT_TRUE(host.read(kIpi + 0x044).error);
  EXPECT_TRUE(host.read(IpiSet(4)).error);
  EXPECT_TRUE(host.read(kIpi + 0xFFC).error);
  EXPECT_TRUE(host.read(kNic + 0x004).error);  // between CTRL and STATUS
  EXPECT_FALSE(host.read(kNic + regs::nic::kStatus).error);
  EXPECT_TRUE(host.read(kCrypto + 0x00C).error);                  // between STATUS and JR_BASE_LO
  EXPECT_EQ(host.rd(kCrypto + regs::crypto::kId), 0x4343'3230u);  // "CC20"
  EXPECT_FALSE(host.read(kPlic + 0x1000).error);
  EXPECT_FALSE(host.read(kTimerCtrl).error);
  EXPECT_FALSE(host.read(kIpiStatus).error);
  EXPECT_FALSE(host.read(IpiSet(3)).error);
  EXPECT_FALSE(host.read(IpiClear(3)).error);
}

TEST_F(SocTest, PartialMaskMisalignedAndBadOpcodeReturnErrorWithoutEffect) {
  auto p = host.write(Prio(1), 5, 0x3);
  EXPECT_TRUE(p.error);
  EXPECT_EQ(host.rd(Prio(1)), 0u);
  auto g = host.access(tl::kGet, Prio(1), 0, 0x1);
  EXPECT_TRUE(g.error);
  auto m = host.write(Prio(1) + 2, 5);
  EXPECT_TRUE(m.error);
  EXPECT_EQ(host.rd(Prio(1)), 0u);
  for (uint8_t op : {2, 3, 5, 6, 7}) {
    auto r = host.access(op, Prio(1), 5, 0xF);
    EXPECT_TRUE(r.error) << int(op);
    EXPECT_EQ(r.data, 0u);
  }
  EXPECT_EQ(host.rd(Prio(1)), 0u);
  auto pp = host.access(tl::kPutPartialData, Prio(1), 5, 0xF);  // full mask: allowed
  EXPECT_FALSE(pp.error);
  EXPECT_EQ(host.rd(Prio(1)), 5u);
}

TEST_F(SocTest, SourceVectorAssignment) {
  EXPECT_EQ(dut.irq_src_o, 0u);
  for (uint32_t i = 0; i < 16; ++i) {
    dut.ext_irq_i = Bit(i);
    dut.eval();
    EXPECT_EQ(dut.irq_src_o, Bit(ExtSrc(i))) << i;
  }
  dut.ext_irq_i = 0xFFFF;
  dut.eval();
  EXPECT_EQ(dut.irq_src_o, 0xFFFF0000u);
  EXPECT_EQ(dut.irq_src_o & 0x1u, 0u);
}

// Timer of hart 1 (prescale 0, step 1, mtimecmp N, CTRL.active at edge e):
// timer intr_o[1] = PLIC source 2 high from cycle e+N+2, irq_o[1] high from cycle e+N+4.
TEST_F(SocTest, TimerHart1ReachesIrq1ViaSource2AtExactCycle) {
  constexpr uint64_t kN = 25;
  plic_enable(1, TimerSrc(1), 1);
  ASSERT_FALSE(host.write(TimerReg(1, regs::timer::mtimecmp_hi), 0).error);
  ASSERT_FALSE(host.write(TimerReg(1, regs::timer::mtimecmp_lo), kN).error);
  ASSERT_FALSE(host.write(TimerReg(1, regs::timer::intr_enable), 1).error);
  const uint64_t e = host.write(kTimerCtrl, Bit(1)).accept_edge;
  const uint64_t src_rise = e + kN + 2, irq_rise = src_rise + 2;
  while (clk.cycle() < irq_rise + 5) {
    clk.step();
    const uint64_t c = clk.cycle();
    ASSERT_EQ((dut.irq_src_o >> TimerSrc(1)) & 1u, c >= src_rise ? 1u : 0u) << "cycle " << c;
    ASSERT_EQ(irq(1), c >= irq_rise) << "cycle " << c;
    ASSERT_FALSE(irq(0));
  }
  EXPECT_EQ(host.rd(Cc(0)), 0u);
  EXPECT_EQ(host.rd(Cc(1)), TimerSrc(1));
  EXPECT_FALSE(irq(1));
}

TEST_F(SocTest, ExtIrq0IsLevelSource16) {
  plic_enable(0, ExtSrc(0), 2);
  ext(0, true);
  const uint64_t c = clk.cycle();
  EXPECT_EQ(dut.irq_src_o, Bit(16));
  clk.step();
  EXPECT_FALSE(irq(0));
  clk.step();
  EXPECT_EQ(clk.cycle(), c + 2);
  EXPECT_TRUE(irq(0));
  EXPECT_EQ(host.rd(Cc(0)), 16u);
  auto done = host.write(Cc(0), 16);  // line still high: re-pends, irq again at e+2
  EXPECT_EQ(clk.cycle(), done.accept_edge + 1);
  EXPECT_FALSE(irq(0));
  clk.step();
  EXPECT_TRUE(irq(0));
  EXPECT_EQ(host.rd(Cc(0)), 16u);
  ext(0, false);
  host.write(Cc(0), 16);
  clk.step(3);
  EXPECT_FALSE(irq(0));
  EXPECT_EQ(host.rd(Cc(0)), 0u);
}

TEST_F(SocTest, ExtIrq8IsEdgeSource24) {
  plic_enable(2, ExtSrc(8), 3);
  ext(8, true);
  EXPECT_EQ(dut.irq_src_o, Bit(24));
  clk.step(2);
  EXPECT_TRUE(irq(2));
  EXPECT_EQ(host.rd(Cc(2)), 24u);
  ext(8, false);
  clk.step();
  ext(8, true);  // rising edge while claimed: dropped
  clk.step();
  ext(8, false);
  clk.step(3);
  host.write(Cc(2), 24);
  clk.step(3);
  EXPECT_FALSE(irq(2));
  EXPECT_EQ(host.rd(Cc(2)), 0u);
  ext(8, true);  // new edge after completion: serviced
  clk.step(2);
  EXPECT_TRUE(irq(2));
  EXPECT_EQ(host.rd(Cc(2)), 24u);
}

// Each IPI line is its own PLIC source: IPI_SET[h] -> irq_src_o bit 7+h, nothing else.
TEST_F(SocTest, IpiSourcesAreSevenToTen) {
  for (uint32_t h = 0; h < 4; ++h) {
    SCOPED_TRACE(h);
    ASSERT_FALSE(host.write(IpiSet(h), 1).error);
    EXPECT_EQ(dut.irq_src_o, Bit(IpiSrc(h)));
    EXPECT_EQ(host.rd(kIpiStatus), Bit(h));
    EXPECT_EQ(host.rd(IpiSet(h)), 1u);
    ASSERT_FALSE(host.write(IpiClear(h), 1).error);
    EXPECT_EQ(dut.irq_src_o, 0u);
    EXPECT_EQ(host.rd(IpiClear(h)), 0u);
  }
  for (uint32_t h = 0; h < 4; ++h) host.write(IpiSet(h), 1);
  EXPECT_EQ(dut.irq_src_o, 0x780u);  // 7..10 only; 11..15 stay 0
  EXPECT_EQ(host.rd(kIpiStatus), 0xFu);
}

// The NIC's line is level source 5: ICS sets an enabled cause (accepted at edge e: ICR in
// cycle e, the registered intr_o in cycle e+1, the retiring edge); the ICR read clears it.
TEST_F(SocTest, NicInterruptIsLevelSource5) {
  const uint32_t rxt0 = 1u << regs::nic::kIcrRxt0Shift;
  ASSERT_FALSE(host.write(kNic + regs::nic::kIms, rxt0).error);
  EXPECT_EQ(dut.irq_src_o, 0u);
  ASSERT_FALSE(host.write(kNic + regs::nic::kIcs, rxt0).error);
  EXPECT_EQ(dut.irq_src_o, Bit(soc::nic_source));
  EXPECT_EQ(host.rd(kNic + regs::nic::kIcr), rxt0);
  EXPECT_EQ(dut.irq_src_o, 0u);
}

// IPI_SET[1] through the TL-UL port, source 8 (priority 3 > threshold 1) enabled on
// context 1 only; source 7 (IPI of hart 0) enabled on context 0 as a distractor.
// Request in cycle s, accepted at edge e = s+1: source 8 high in cycle e, irq_o[1] high in
// cycle e+2 (not before), irq_o[0] never. IPI_CLEAR drops the source in cycle w (its
// accepting edge); the PLIC request already pending is removed by the claim (irq_o[1] low
// in cycle claim+1) and, since the line is low, the completion does not re-pend it.
TEST_F(SocTest, IpiSet1RaisesIrq1AtExactCycleAndClearDropsIt) {
  plic_enable(1, IpiSrc(1), 3);
  plic_enable(0, IpiSrc(0), 3);
  ASSERT_FALSE(host.write(Thr(1), 1).error);
  clk.step(2);

  const uint64_t s = clk.cycle();
  host.present(tl::kPutFullData, IpiSet(1), 1, 0xF, 0x42);
  EXPECT_TRUE(dut.tl_a_ready_o);
  EXPECT_EQ(dut.irq_src_o, 0u);  // not before the accepting edge
  clk.step();
  host.idle();
  const uint64_t e = s + 1;  // accepting edge (a_ready was high in cycle s)
  ASSERT_EQ(clk.cycle(), e);
  EXPECT_TRUE(dut.tl_d_valid_o);
  EXPECT_FALSE(dut.tl_d_error_o);
  const uint64_t src_rise = e, irq_rise = e + 2;
  while (true) {
    const uint64_t c = clk.cycle();
    ASSERT_EQ(dut.irq_src_o, c >= src_rise ? Bit(IpiSrc(1)) : 0u) << "cycle " << c;
    ASSERT_EQ(irq(1), c >= irq_rise) << "cycle " << c;
    ASSERT_FALSE(irq(0)) << "cycle " << c;
    ASSERT_FALSE(irq(2) || irq(3)) << "cycle " << c;
    if (c == irq_rise + 6) break;
    clk.step();
  }
  EXPECT_EQ(host.rd(kIpiStatus), Bit(1));

  // Clear: source low from the accepting edge w; the latched PLIC request stays.
  auto clr = host.write(IpiClear(1), 1);
  ASSERT_FALSE(clr.error);
  EXPECT_EQ(clk.cycle(), clr.accept_edge + 1);
  EXPECT_EQ(dut.irq_src_o, 0u);
  EXPECT_EQ(host.rd(kIpiStatus), 0u);
  EXPECT_TRUE(irq(1));  // level request is never withdrawn before service
  auto claim = host.read(Cc(1));
  EXPECT_EQ(claim.data, IpiSrc(1));
  EXPECT_EQ(clk.cycle(), claim.accept_edge + 1);
  EXPECT_FALSE(irq(1));  // claim at edge a -> irq_o low in cycle a+1
  host.write(Cc(1), IpiSrc(1));  // complete with the line low: no re-pend
  for (int i = 0; i < 6; ++i) {
    clk.step();
    ASSERT_FALSE(irq(1)) << "cycle " << clk.cycle();
    ASSERT_FALSE(irq(0)) << "cycle " << clk.cycle();
  }
  EXPECT_EQ(host.rd(Cc(1)), 0u);
  EXPECT_EQ(host.rd(Cc(0)), 0u);
}

// Handler order claim -> IPI_CLEAR -> complete: after the clear the source is low, so the
// completion leaves irq_o[1] low. Without the clear, completion re-pends (irq at done+2).
TEST_F(SocTest, IpiClearBeforeCompleteStopsRepend) {
  plic_enable(1, IpiSrc(1), 2);
  const uint64_t e = host.write(IpiSet(1), 1).accept_edge;
  while (clk.cycle() < e + 2) {
    ASSERT_FALSE(irq(1)) << "cycle " << clk.cycle();
    clk.step();
  }
  EXPECT_TRUE(irq(1));
  EXPECT_EQ(host.rd(Cc(1)), IpiSrc(1));
  EXPECT_FALSE(irq(1));
  auto done = host.write(Cc(1), IpiSrc(1));  // line still high: re-pends
  EXPECT_EQ(clk.cycle(), done.accept_edge + 1);
  EXPECT_FALSE(irq(1));
  clk.step();
  EXPECT_TRUE(irq(1));  // cycle done+2
  EXPECT_EQ(host.rd(Cc(1)), IpiSrc(1));
  auto clr = host.write(IpiClear(1), 1);
  EXPECT_EQ(dut.irq_src_o, 0u);
  EXPECT_EQ(clk.cycle(), clr.accept_edge + 1);
  host.write(Cc(1), IpiSrc(1));
  for (int i = 0; i < 6; ++i) {
    clk.step();
    ASSERT_FALSE(irq(1)) << "cycle " << clk.cycle();
  }
  EXPECT_EQ(host.rd(Cc(1)), 0u);
}

// The crypto engine's line is level source 6: INTR_TEST sets an enabled ERR (accepted at
// edge e: INTR_STATE in cycle e, the registered intr_o in cycle e+1, the retiring edge);
// a write of 1 to INTR_STATE clears it the same way.
TEST_F(SocTest, CryptoInterruptIsLevelSource6) {
  const uint32_t err = 1u << regs::crypto::kIntrStateErrShift;
  ASSERT_FALSE(host.write(kCrypto + regs::crypto::kIntrEnable, err).error);
  EXPECT_EQ(dut.irq_src_o, 0u);
  ASSERT_FALSE(host.write(kCrypto + regs::crypto::kIntrTest, err).error);
  EXPECT_EQ(dut.irq_src_o, Bit(soc::crypto_source));
  EXPECT_EQ(host.rd(kCrypto + regs::crypto::kIntrState), err);
  ASSERT_FALSE(host.write(kCrypto + regs::crypto::kIntrState, err).error);
  EXPECT_EQ(dut.irq_src_o, 0u);
  EXPECT_EQ(host.rd(kCrypto + regs::crypto::kIntrState), 0u);
}

}  // namespace soc_test
