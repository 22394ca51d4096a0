// Block-level tests of rtl/bus/tlul_adapter_reg's handshake assertions (its timing and
// error responses are tested through the SoC in soc_test.cpp). The register bus side is
// answered by the test: reads return the address + 1.
// Built with --assert: a host that breaks the TL-UL A-channel rules is reported.
#include <gtest/gtest.h>
#include <verilated.h>

#include "Vtlul_adapter_reg.h"
#include "assertion_catcher.h"
#include "rtl_host.h"

namespace tlul_adapter_test {

using irqlab::rtltest::AssertionCatcher;
using irqlab::rtltest::Clock;
namespace tl = irqlab::rtltest::tl;

class TlulAdapterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dut.a_valid_i = 0;
    dut.d_ready_i = 1;
    clk.reset();
  }
  void TearDown() override { dut.final(); }

  // The register bus as a device would answer it, settled within the cycle.
  void settle() {
    dut.eval();
    dut.reg_rdata_i = dut.reg_addr_o + 1;
    dut.reg_error_i = 0;
    dut.eval();
  }
  void present(uint8_t opcode, uint32_t addr, uint8_t source) {
    dut.a_valid_i = 1;
    dut.a_opcode_i = opcode;
    dut.a_address_i = addr;
    dut.a_mask_i = 0xF;
    dut.a_data_i = 0;
    dut.a_source_i = source;
    settle();
  }
  // Presents a Get while a response is held (d_ready low, so a_ready is low): the host
  // must now keep a_valid and the payload until a_ready.
  void present_while_blocked() {
    present(tl::kGet, 0x40, 1);
    clk.step();  // accepted; its response is now held
    dut.d_ready_i = 0;
    present(tl::kGet, 0x80, 2);
    ASSERT_FALSE(dut.a_ready_o);
    clk.step();
  }

  VerilatedContext vctx;
  Vtlul_adapter_reg dut{&vctx};
  Clock<Vtlul_adapter_reg> clk{dut};
  AssertionCatcher catcher{vctx};
};

TEST_F(TlulAdapterTest, LegalBackpressureRaisesNoAssertion) {
  present_while_blocked();
  clk.step(3);  // the host keeps the request while d_ready is low
  dut.d_ready_i = 1;
  settle();
  clk.step();  // first response retired
  EXPECT_TRUE(dut.a_ready_o);
  clk.step();  // second request accepted
  dut.a_valid_i = 0;
  settle();
  EXPECT_TRUE(dut.d_valid_o);
  EXPECT_EQ(dut.d_source_o, 2u);
  EXPECT_EQ(dut.d_data_o, 0x81u);
  EXPECT_EQ(dut.d_opcode_o, tl::kAccessAckData);
  clk.step();
  EXPECT_FALSE(catcher.fired());
}

TEST_F(TlulAdapterTest, AssertionFiresWhenAValidDropsBeforeReady) {
  present_while_blocked();
  ASSERT_FALSE(catcher.fired());
  dut.a_valid_i = 0;  // withdrawn while a_ready is still low: illegal
  settle();
  clk.step();
  EXPECT_TRUE(catcher.fired());
}

TEST_F(TlulAdapterTest, AssertionFiresWhenTheAddressChangesBeforeReady) {
  present_while_blocked();
  ASSERT_FALSE(catcher.fired());
  present(tl::kGet, 0x84, 2);  // same request, different address: illegal
  clk.step();
  EXPECT_TRUE(catcher.fired());
}

}  // namespace tlul_adapter_test
