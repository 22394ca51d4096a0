// Research §6 (research/kernel-semantics.md), the nine rows of the IPsec receive path's
// switch counts, on the real RTL path: the NIC, the crypto engine, ESP, the socket and the
// user process, with the research's assumptions (one CPU, U busy in user mode at each
// interrupt, transport mode, an asynchronous engine, packets one at a time). Each row is a
// configuration of the four personalities; the expected FS, LS and IC per delivered packet
// are the research table's (LS counted per direction: a pair is 2), never the simulator's.
// The receiver's final wake-up is left out, as in the research (docs/results-schema.md).
#include <gtest/gtest.h>
#include <string>

#include "e2e_support.h"

namespace irqlab::test {
namespace {

constexpr unsigned kPackets = 12;

struct Expected {
  double fs, ls, ic;
};

// `kernel_block`: the personality and its options; `crypto_extra`: crypto keys beyond the ring.
void expect_row(const std::string& name, const std::string& kernel_block,
                const std::string& crypto_extra, Expected want) {
  const std::string yaml =
      "name: ipsec-row\nseed: 3\nduration_cycles: " + std::to_string(100'000 + kPackets * 10'000) +
      "\nplatform:\n  harts: 1\n  clock_period_ps: 10000\n  bus: { request_cycles: 1, "
      "response_cycles: 1 }\n"
      "kernel:\n  cost_profile: " +
      kCostProfile + "\n  tick_period: 0\n" + kernel_block +
      "nic: { rx_descriptors: 64, polling: true, budget: 64 }\n"
      "crypto: { ring_entries: 64, coalesce_count: 1" +
      crypto_extra +
      " }\n"
      "ipsec:\n  local_ip: 10.0.0.2\n  udp_port: 5001\n  sa:\n    - spi: 4096\n"
      "      key: 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n"
      "      salt: deadbeef\n  busy_user: true\n"
      "traffic:\n  payload: esp\n  esp: { payload_bytes: [16, 512] }\n  pattern: constant\n"
      "  rate_pps: 10000\n  count: " +
      std::to_string(kPackets) + "\n  start_ns: 50000\n";
  const RunOutput r = run_scenario("ipsec_row_" + name, yaml);
  ASSERT_EQ(r.process.exit_status, 0) << r.process.output;
  const auto& ipsec = r.results["ipsec"];
  ASSERT_EQ(ipsec["delivery"]["delivered"], kPackets);
  const auto& per = ipsec["per_packet"];
  EXPECT_EQ(per["packets"], kPackets);
  EXPECT_DOUBLE_EQ(per["fs"].get<double>(), want.fs) << name;
  EXPECT_DOUBLE_EQ(per["ls"].get<double>(), want.ls) << name;
  EXPECT_DOUBLE_EQ(per["ic"].get<double>(), want.ic) << name;
}

TEST(Research6RowsOnRtl, AllThreadsDesignOfTheMail) {
  expect_row("all_threads", "  personality: freebsd\n  freebsd: { netisr_direct: false }\n",
             ", callback: immediate", {6, 0, 2});
}
TEST(Research6RowsOnRtl, LinuxNonRt) {
  expect_row("linux", "  personality: linux\n", "", {0, 0, 2});
}
TEST(Research6RowsOnRtl, LinuxThreadirqs) {
  expect_row("linux_threadirqs", "  personality: linux\n  linux: { threadirqs: true }\n", "",
             {4, 0, 2});
}
TEST(Research6RowsOnRtl, LinuxPreemptRt) {
  expect_row("linux_rt", "  personality: linux\n  linux: { preempt_rt: true }\n", "", {4, 0, 2});
}
TEST(Research6RowsOnRtl, Freebsd7AsShipped) {
  expect_row("freebsd", "  personality: freebsd\n", "", {7, 0, 2});
}
TEST(Research6RowsOnRtl, FreebsdWithCbimm) {
  expect_row("freebsd_cbimm", "  personality: freebsd\n  freebsd: { crypto_cbimm: true }\n", "",
             {5, 0, 2});
}
TEST(Research6RowsOnRtl, Netbsd5AsShipped) {
  expect_row("netbsd", "  personality: netbsd\n", "", {2, 4, 2});
}
TEST(Research6RowsOnRtl, Netbsd5SoftintContinuation) {
  expect_row("netbsd_softint", "  personality: netbsd\n  netbsd: { softint_continuation: true }\n",
             "", {0, 4, 2});
}
TEST(Research6RowsOnRtl, Bsd43PureSpl) {
  expect_row("bsd43", "  personality: bsd43\n", "", {0, 0, 2});
}
TEST(Research6RowsOnRtl, Netbsd3FastIpsecWithOcf) {
  expect_row("netbsd3", "  personality: bsd43\n", ", callback: thread", {2, 0, 2});
}

}  // namespace
}  // namespace irqlab::test
