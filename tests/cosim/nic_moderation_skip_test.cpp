// An ITR interval costs no evaluated cycles (cosim/rtl/nic_interval_timers.h): the real
// Verilated SoC in the RTL domain, its register port driven directly, no SystemC process,
// no kernel. With ITR = 500 at 100 MHz the NIC's line may rise again only 500 × 256 ns =
// 128 µs = 12 800 cycles after its last rise (the e1000 manual's unit, docs/rtl.md NIC
// "Timing"); the test makes the cause pending again right after the first interrupt and
// checks that the second one reaches the hart at exactly that cycle, with skipping on and
// off, and that with skipping on the RTL evaluates a handful of cycles, not the interval.
#include <cstdio>
#include <gtest/gtest.h>

#include "drivers/regs/nic_regs.h"
#include "drivers/regs/plic_regs.h"
#include "net/mac_tx_sink.h"
#include "rtl/rtl_domain.h"
#include "rtl_register_access.h"
#include "soc_map.h"

namespace irqlab::cosim {
namespace nic_moderation_skip_test {

constexpr std::uint64_t kPeriodPs = 10'000;    // 100 MHz
constexpr std::uint64_t kItrUnitPs = 256'000;  // 256 ns (the manual's ITR unit)
constexpr std::uint32_t kItr = 500;
constexpr std::uint64_t kIntervalCycles = kItr * kItrUnitPs / kPeriodPs;  // exact: 12 800
static_assert(kItr * kItrUnitPs % kPeriodPs == 0);
constexpr std::uint32_t kLsc = 1U << regs::nic::kIcrLscShift;

// No DMA is made: the test raises only LSC (through ICS), which moves no data.
struct NoMemory : DmaTarget {
  Completion access(const TlRequest&) override {
    ADD_FAILURE() << "unexpected DMA";
    return {{true, 0}, 1};
  }
};

struct Bench {
  NoMemory memory;
  models::net::MacTxSink tx{[](const models::net::TransmittedFrame&) {}};
  RtlDomain rtl;
  explicit Bench(bool skip) : rtl(kPeriodPs, std::nullopt, skip) {
    rtl.attach_nic(memory, nullptr, tx);
  }
  // One register access through the TL-UL port, as the bus bridge runs it.
  std::uint32_t access(bool write, std::uint64_t address, std::uint32_t data = 0) {
    return rtl_register_access(rtl, write, static_cast<std::uint32_t>(address), data);
  }
  void nic(std::uint64_t offset, std::uint32_t value) {
    access(true, soc::kNicBase + offset, value);
  }
  void plic(std::uint64_t offset, std::uint32_t value) {
    access(true, soc::kPlicBase + offset, value);
  }
  std::uint32_t claim() { return access(false, soc::kPlicBase + regs::plic::cc(0)); }
};

struct SecondInterrupt {
  Cycle first;              // cycle in which hart 0's line rose for the first interrupt
  Cycle second;             // ... for the second, throttled one
  Cycle waited_from;        // cycle at which the wait for the second began
  Cycle evaluated_between;  // cycles the RTL evaluated while waiting for the second
};

SecondInterrupt throttled_pair(bool skip) {
  Bench b(skip);
  b.plic(regs::plic::prio(soc::nic_source), 1);
  b.plic(regs::plic::ie(0, 0), 1U << soc::nic_source);
  b.nic(regs::nic::kItr, kItr);
  b.nic(regs::nic::kIms, kLsc);
  b.nic(regs::nic::kIcs, kLsc);
  SecondInterrupt r{};
  r.first = b.rtl.run_until(100, 1);
  EXPECT_TRUE(b.rtl.irq_line(0));
  // The handler: acknowledge the cause, claim, complete; the cause is pending again at once.
  b.nic(regs::nic::kIcr, ~0U);
  EXPECT_EQ(b.claim(), soc::nic_source);
  b.access(true, soc::kPlicBase + regs::plic::cc(0), soc::nic_source);
  b.nic(regs::nic::kIcs, kLsc);
  EXPECT_FALSE(b.rtl.irq_line(0));
  const Cycle evaluated = b.rtl.evaluated_cycles();
  r.waited_from = b.rtl.cycle();
  r.second = b.rtl.run_until(r.first + 2 * kIntervalCycles, 1);
  r.evaluated_between = b.rtl.evaluated_cycles() - evaluated;
  EXPECT_TRUE(b.rtl.irq_line(0));
  return r;
}

TEST(NicModeration, ItrIntervalIsSkippedAndTheInterruptComesAtItsExactCycle) {
  const SecondInterrupt clocked = throttled_pair(false);
  const SecondInterrupt skipped = throttled_pair(true);
  // The NIC's line rises every kIntervalCycles at most and the hart's follows it through
  // the PLIC with a fixed delay, so the two hart-line rises are exactly the interval apart.
  EXPECT_EQ(clocked.second - clocked.first, kIntervalCycles);
  EXPECT_EQ(skipped.first, clocked.first);
  EXPECT_EQ(skipped.second, clocked.second);
  // Clocked, every cycle of the wait is evaluated; skipped, only the expiry cycle and the
  // PLIC's two stages after it (a law jump to the expiry, then three evaluated edges).
  EXPECT_EQ(clocked.evaluated_between, clocked.second - clocked.waited_from);
  EXPECT_LE(skipped.evaluated_between, 3U);
  std::printf("ITR interval of %llu cycles: %llu cycles evaluated clocked, %llu skipping\n",
              static_cast<unsigned long long>(kIntervalCycles),
              static_cast<unsigned long long>(clocked.evaluated_between),
              static_cast<unsigned long long>(skipped.evaluated_between));
}

}  // namespace nic_moderation_skip_test
}  // namespace irqlab::cosim
