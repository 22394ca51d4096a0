// Block-level tests of rtl/ipi (NumHarts 4). Expected values come from the contract in
// docs/rtl.md: IPI_SET[h] = 0x00 + 4h, IPI_CLEAR[h] = 0x20 + 4h, IPI_STATUS = 0x40; a set or
// clear accepted at edge e changes ipi_o[h] in cycle e (ipi_o is the line register).
#include <gtest/gtest.h>
#include <verilated.h>

#include "Vipi.h"
#include "drivers/regs/ipi_regs.h"
#include "Vipi___024root.h"
#include "assertion_catcher.h"
#include "rtl_host.h"

namespace ipi_test {

using irqlab::rtltest::Clock;
using irqlab::rtltest::RegHost;

constexpr uint32_t kNumHarts = 4;
// Register offsets from the SoC description (rtl/soc/soc.yaml).
constexpr uint32_t Set(uint32_t h) { return static_cast<uint32_t>(irqlab::regs::ipi::ipi_set(h)); }
constexpr uint32_t Clear(uint32_t h) { return static_cast<uint32_t>(irqlab::regs::ipi::ipi_clear(h)); }
constexpr uint32_t kStatus = irqlab::regs::ipi::kIpiStatus;
constexpr uint32_t Bit(uint32_t i) { return 1u << i; }

class IpiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dut.reg_req_i = 0;
    dut.reg_we_i = 0;
    dut.reg_addr_i = 0;
    dut.reg_wdata_i = 0;
    clk.reset();
  }
  void TearDown() override { dut.final(); }

  // Expects every line register view (SET, CLEAR, STATUS, ipi_o) to show `lines`.
  void expect_lines(uint32_t lines) {
    EXPECT_EQ(dut.ipi_o, lines);
    EXPECT_EQ(bus.rd(kStatus), lines);
    for (uint32_t h = 0; h < kNumHarts; ++h) {
      SCOPED_TRACE(h);
      EXPECT_EQ(bus.rd(Set(h)), (lines >> h) & 1u);
      EXPECT_EQ(bus.rd(Clear(h)), (lines >> h) & 1u);
    }
    EXPECT_EQ(dut.ipi_o, lines);  // reads have no side effects
  }

  // Presents a write in the current cycle s (not yet clocked), checks that ipi_o is
  // unchanged in cycle s, applies edge e = s+1 and returns e with the bus idle again.
  uint64_t write_at_edge(uint32_t addr, uint32_t data, uint32_t lines_before) {
    dut.reg_req_i = 1;
    dut.reg_we_i = 1;
    dut.reg_addr_i = addr;
    dut.reg_wdata_i = data;
    dut.eval();
    EXPECT_FALSE(dut.reg_error_o);
    EXPECT_EQ(dut.ipi_o, lines_before) << "changed before the accepting edge";
    clk.step();
    dut.reg_req_i = 0;
    dut.reg_we_i = 0;
    dut.reg_wdata_i = 0;
    dut.eval();
    return clk.cycle();
  }

  VerilatedContext vctx;
  Vipi dut{&vctx};
  Clock<Vipi> clk{dut};
  RegHost<Vipi> bus{dut, clk};
};

TEST_F(IpiTest, ResetState) {
  EXPECT_EQ(dut.ipi_o, 0u);
  expect_lines(0);
}

TEST_F(IpiTest, SetClearStatusPerHart) {
  uint32_t lines = 0;
  for (uint32_t h : {2u, 0u, 3u, 1u}) {
    SCOPED_TRACE(h);
    EXPECT_FALSE(bus.write(Set(h), 1).error);
    lines |= Bit(h);
    expect_lines(lines);
  }
  EXPECT_EQ(lines, 0xFu);
  EXPECT_FALSE(bus.write(Set(2), 1).error);  // setting a set line keeps it set
  expect_lines(0xF);
  for (uint32_t h : {1u, 3u, 0u, 2u}) {
    SCOPED_TRACE(h);
    EXPECT_FALSE(bus.write(Clear(h), 1).error);
    lines &= ~Bit(h);
    expect_lines(lines);
  }
  EXPECT_FALSE(bus.write(Clear(0), 1).error);  // clearing a clear line is harmless
  expect_lines(0);
}

TEST_F(IpiTest, OnlyBit0OfWriteDataCounts) {
  EXPECT_FALSE(bus.write(Set(1), 0xFFFFFFFE).error);  // bit 0 = 0: no effect
  expect_lines(0);
  EXPECT_FALSE(bus.write(Set(1), 0x80000001).error);
  expect_lines(Bit(1));
  EXPECT_FALSE(bus.write(Clear(1), 0xFFFFFFFE).error);  // bit 0 = 0: no effect
  expect_lines(Bit(1));
  EXPECT_FALSE(bus.write(Clear(1), 0xFFFFFFFF).error);
  expect_lines(0);
}

TEST_F(IpiTest, StatusIsReadOnly) {
  EXPECT_FALSE(bus.write(Set(3), 1).error);
  auto w = bus.write(kStatus, 0x0);  // writes ignored, no error
  EXPECT_FALSE(w.error);
  expect_lines(Bit(3));
  EXPECT_FALSE(bus.write(kStatus, 0xF).error);
  expect_lines(Bit(3));
}

TEST_F(IpiTest, BadOffsetsReturnErrorWithoutEffect) {
  const uint32_t bad[] = {
      Set(4),   Set(5),   Set(7),      // hart index >= NumHarts
      Clear(4), Clear(7),              // hart index >= NumHarts
      0x044,    0x048,    0x07C, 0x080, 0x100, 0x800, 0xFFC,
      0x001,    0x002,    0x003, 0x021, 0x042,  // unaligned
  };
  for (uint32_t addr : bad) {
    SCOPED_TRACE(addr);
    auto r = bus.read(addr);
    EXPECT_TRUE(r.error);
    EXPECT_EQ(r.data, 0u);
    EXPECT_TRUE(bus.write(addr, 0xFFFFFFFF).error);
    EXPECT_EQ(dut.ipi_o, 0u);
  }
  expect_lines(0);
  // With all lines set, erroring writes do not clear anything either.
  for (uint32_t h = 0; h < kNumHarts; ++h) bus.write(Set(h), 1);
  for (uint32_t addr : bad) {
    SCOPED_TRACE(addr);
    EXPECT_TRUE(bus.write(addr, 0xFFFFFFFF).error);
  }
  expect_lines(0xF);
  for (uint32_t h = 0; h < kNumHarts; ++h) {
    EXPECT_FALSE(bus.read(Set(h)).error);
    EXPECT_FALSE(bus.read(Clear(h)).error);
  }
  EXPECT_FALSE(bus.read(kStatus).error);
}

// Contract: write accepted at edge e -> ipi_o[h] changes in cycle e, not before, and holds.
TEST_F(IpiTest, LineChangesInTheCycleOfTheAcceptingEdge) {
  for (uint32_t h = 0; h < kNumHarts; ++h) {
    SCOPED_TRACE(h);
    clk.step(3);
    const uint64_t s = clk.cycle();
    const uint64_t e = write_at_edge(Set(h), 1, 0);
    EXPECT_EQ(e, s + 1);
    EXPECT_EQ(dut.ipi_o, Bit(h)) << "cycle " << clk.cycle();
    for (int i = 0; i < 10; ++i) {
      clk.step();
      ASSERT_EQ(dut.ipi_o, Bit(h)) << "cycle " << clk.cycle();
    }
    const uint64_t s2 = clk.cycle();
    const uint64_t w = write_at_edge(Clear(h), 1, Bit(h));
    EXPECT_EQ(w, s2 + 1);
    EXPECT_EQ(dut.ipi_o, 0u) << "cycle " << clk.cycle();
    for (int i = 0; i < 10; ++i) {
      clk.step();
      ASSERT_EQ(dut.ipi_o, 0u) << "cycle " << clk.cycle();
    }
  }
  // Same through RegHost: the write's edge is the first cycle with the line set.
  auto r = bus.write(Set(2), 1);
  EXPECT_EQ(clk.cycle(), r.edge + 1);
  EXPECT_EQ(dut.ipi_o, Bit(2));
}

// Back-to-back accesses (2-cycle spacing) to different harts each act at their own edge.
TEST_F(IpiTest, BackToBackWritesActAtTheirEdges) {
  const uint64_t s = clk.cycle();
  const uint64_t e0 = write_at_edge(Set(0), 1, 0);
  clk.step();
  const uint64_t e1 = write_at_edge(Set(3), 1, Bit(0));
  EXPECT_EQ(dut.ipi_o, Bit(0) | Bit(3));
  clk.step();
  const uint64_t e2 = write_at_edge(Clear(0), 1, Bit(0) | Bit(3));
  EXPECT_EQ(dut.ipi_o, Bit(3));
  EXPECT_EQ(e0, s + 1);
  EXPECT_EQ(e1, s + 3);
  EXPECT_EQ(e2, s + 5);
}

// An access without reg_req_i (the decoder selected another device) has no effect.
TEST_F(IpiTest, NoEffectWithoutRequest) {
  dut.reg_req_i = 0;
  dut.reg_we_i = 1;
  dut.reg_addr_i = Set(1);
  dut.reg_wdata_i = 1;
  dut.eval();
  clk.step(3);
  dut.reg_we_i = 0;
  dut.reg_wdata_i = 0;
  dut.eval();
  expect_lines(0);
}

// The assertions are live (the build uses --assert): a line that changes without a write
// (fault injection on the line register, public in this build) fires LineChangesOnlyByWrite.
TEST_F(IpiTest, AssertionFiresWhenALineChangesWithoutAWrite) {
  irqlab::rtltest::AssertionCatcher catcher(vctx);
  write_at_edge(Set(2), 1, 0);
  clk.step(2);
  ASSERT_FALSE(catcher.fired());
  dut.rootp->ipi__DOT__line_q |= Bit(0);
  clk.step();
  EXPECT_TRUE(catcher.fired());
}

}  // namespace ipi_test
