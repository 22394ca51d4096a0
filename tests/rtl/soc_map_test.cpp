// The Verilated SoC against its description (rtl/soc/soc.yaml): every register the
// description lists answers at its address, with its reset value, to reads and writes
// without d_error; every other address answers with d_error and has no effect.
// Expected addresses come from cosim/soc_registers.h, which tools/socgen.py generates from
// the description (ctest soc_description_current keeps it current), never from the RTL.
#include <gtest/gtest.h>
#include <verilated.h>

#include <cstdint>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "Virqlab_soc.h"
#include "rtl_host.h"
#include "soc_map.h"
#include "soc_registers.h"

namespace soc_map_test {

using irqlab::rtltest::Clock;
using irqlab::rtltest::TlulHost;
namespace soc = irqlab::cosim::soc;

constexpr std::uint32_t kHoleWrite = 0xFFFFFFFF;  // every bit set: any effect would show
constexpr std::uint64_t kSmallWindow = 0x10000;    // probed word by word

std::set<std::uint64_t> described_addresses() {
  std::set<std::uint64_t> out;
  for (const soc::RegisterInstance& r : soc::kRegisters) out.insert(r.address);
  return out;
}

bool in_a_window(std::uint64_t addr) {
  for (const soc::DeviceWindow& w : soc::kDeviceWindows)
    if (addr >= w.base && addr < w.base + w.size) return true;
  return false;
}

const soc::DeviceWindow& window(const char* name) {
  for (const soc::DeviceWindow& w : soc::kDeviceWindows)
    if (std::string_view(w.name) == name) return w;
  throw std::out_of_range(name);
}

// The value a register is written with: its reset value where a write stores it, 0 where
// a write of 1 acts (set, clear, test, complete) or is ignored; so the state stays at reset.
std::uint32_t neutral_write(const soc::RegisterInstance& r) {
  return r.access == soc::Access::kRw ? r.reset : 0;
}

class SocMapTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dut.tl_a_valid_i = 0;
    dut.ext_irq_i = 0;
    // The NIC idle: its clock-period strap at 1 ns, no DMA response, no received beat.
    dut.nic_clk_period_ps_i = 1000;
    dut.nic_dma_a_ready_i = 0;
    dut.nic_dma_d_valid_i = 0;
    dut.nic_mac_rx_valid_i = 0;
    dut.nic_mac_tx_ready_i = 0;
    // The crypto engine idle (disabled at reset): no DMA response.
    dut.crypto_dma_a_ready_i = 0;
    dut.crypto_dma_d_valid_i = 0;
    clk.reset();
  }
  void TearDown() override { dut.final(); }

  // Every described register still reads its reset value.
  void expect_all_at_reset() {
    for (const soc::RegisterInstance& r : soc::kRegisters) {
      SCOPED_TRACE(std::string(r.device) + "." + r.name);
      const auto rsp = host.read(static_cast<std::uint32_t>(r.address));
      EXPECT_FALSE(rsp.error);
      EXPECT_EQ(rsp.data, r.reset);
    }
  }

  // Reads and writes `addr`, which the description does not list: both must error.
  void expect_hole(std::uint64_t addr) {
    const auto a = static_cast<std::uint32_t>(addr);
    const auto r = host.read(a);
    EXPECT_TRUE(r.error) << std::hex << "read 0x" << addr;
    EXPECT_EQ(r.data, 0u) << std::hex << "read 0x" << addr;
    EXPECT_TRUE(host.write(a, kHoleWrite).error) << std::hex << "write 0x" << addr;
  }

  // Every word of [begin, end) not in the description errors.
  void expect_holes_in(std::uint64_t begin, std::uint64_t end) {
    for (std::uint64_t a = begin; a < end; a += 4)
      if (!described.contains(a)) expect_hole(a);
  }

  const std::set<std::uint64_t> described = described_addresses();
  VerilatedContext vctx;
  Virqlab_soc dut{&vctx};
  Clock<Virqlab_soc> clk{dut};
  TlulHost<Virqlab_soc> host{dut, clk};
};

TEST_F(SocMapTest, EveryDescribedRegisterReadsItsResetValue) { expect_all_at_reset(); }

TEST_F(SocMapTest, EveryDescribedRegisterTakesAWrite) {
  for (const soc::RegisterInstance& r : soc::kRegisters) {
    SCOPED_TRACE(std::string(r.device) + "." + r.name);
    EXPECT_FALSE(host.write(static_cast<std::uint32_t>(r.address), neutral_write(r)).error);
  }
  expect_all_at_reset();
}

// Every window of at most 64 KiB (the timer, the IPI, the NIC): every word.
TEST_F(SocMapTest, EveryOtherWordOfTheSmallWindowsErrorsWithoutEffect) {
  unsigned windows = 0;
  for (const soc::DeviceWindow& w : soc::kDeviceWindows) {
    if (w.size > kSmallWindow) continue;
    expect_holes_in(w.base, w.base + w.size);
    ++windows;
  }
  EXPECT_GE(windows, 3u);  // at least the timer, the IPI and the NIC
  expect_all_at_reset();
}

// PLIC, 4 MiB: every word of the PRIO, IP and IE pages (0x000000..0x002FFF, IE of contexts
// 0..31), every word of the context pages of contexts 0..7 (0x200000..0x207FFF, 4..7 do
// not exist), and the first and last word of every 4 KiB page of the window.
TEST_F(SocMapTest, PlicWindowSampleErrorsOutsideItsRegisters) {
  const soc::DeviceWindow& w = window("plic");
  expect_holes_in(w.base, w.base + 0x3000);
  expect_holes_in(w.base + 0x200000, w.base + 0x208000);
  for (std::uint64_t page = w.base; page < w.base + w.size; page += 0x1000) {
    if (!described.contains(page)) expect_hole(page);
    if (!described.contains(page + 0xFFC)) expect_hole(page + 0xFFC);
  }
  expect_all_at_reset();
}

// Between and outside the windows: the words on each side of every window, and the first
// and last word of every 64 KiB block of the 32-bit space outside the windows (RAM
// included: it is not behind the SoC's port).
TEST_F(SocMapTest, AddressesOutsideEveryWindowError) {
  std::vector<std::uint64_t> probes;
  for (const soc::DeviceWindow& w : soc::kDeviceWindows) {
    if (w.base >= 4) probes.push_back(w.base - 4);
    probes.push_back(w.base + w.size);
  }
  for (std::uint64_t block = 0; block < (std::uint64_t{1} << 32); block += 0x10000) {
    probes.push_back(block);
    probes.push_back(block + 0xFFFC);
  }
  unsigned probed = 0;
  for (std::uint64_t a : probes) {
    if (in_a_window(a)) continue;
    const auto r = host.read(static_cast<std::uint32_t>(a));
    ASSERT_TRUE(r.error) << std::hex << "read 0x" << a;
    ++probed;
  }
  EXPECT_GT(probed, 100000u);
  // Writes just outside the windows (where no neighbouring window starts) and into the
  // register window's gaps have no effect.
  for (const soc::DeviceWindow& w : soc::kDeviceWindows) {
    for (std::uint64_t a : {w.base + w.size, w.base - 4}) {
      if (in_a_window(a)) continue;
      EXPECT_TRUE(host.write(static_cast<std::uint32_t>(a), kHoleWrite).error)
          << std::hex << "write 0x" << a;
    }
  }
  EXPECT_TRUE(host.write(static_cast<std::uint32_t>(soc::kRegisterWindowBase + soc::kRegisterWindowSize - 4),
                         kHoleWrite).error);
  expect_all_at_reset();
}

}  // namespace soc_map_test
