// Research §6 (research/kernel-semantics.md), the nine rows of the IPsec receive path's
// switch counts, on the real RTL path: the NIC, the crypto engine, ESP, the socket and the
// user process, with the research's assumptions (one CPU, U busy in user mode at each
// interrupt, transport mode, an asynchronous engine, packets one at a time). Each row is a
// configuration of the four personalities; the expected FS, LS and IC per delivered packet
// are the research table's (LS counted per direction: a pair is 2), never the simulator's.
// The receiver's final wake-up is left out, as in the research (docs/results-schema.md).
//
// Each row runs under both cost profiles. "One at a time" needs the packets further apart
// than one packet's path takes: 10 000 cycles (10 000 packets/s) under the default profile,
// where the longest path (FreeBSD as shipped) is 7 FS of 200 cycles plus the stack's work;
// 100 000 cycles under big-ooo, where an FS alone costs switch_full 3000 + runq_pick 25, so
// FreeBSD's 7 are 21 175 cycles (docs/personalities.md, "Under the big-ooo profile").
#include <gtest/gtest.h>
#include <string>

#include "e2e_support.h"

namespace irqlab::test {
namespace ipsec_rows_test {

constexpr unsigned kPackets = 12;
const std::string kBigOooProfile = std::string(IRQLAB_SOURCE_DIR) + "/scenarios/costs/big-ooo.yaml";

struct Expected {
  double fs, ls, ic;
};

struct Row {
  std::string name;
  std::string kernel_block;  // the personality and its options
  std::string crypto_extra;  // crypto keys beyond the ring
  Expected want;
};

// A cost profile and the packet rate that keeps the row's packets one at a time under it.
struct Profile {
  std::string tag;
  std::string file;
  unsigned rate_pps;
};
const Profile kDefault{"default", kCostProfile, 10'000};
const Profile kBigOoo{"big_ooo", kBigOooProfile, 1'000};

RunOutput run_row(const Row& row, const Profile& profile) {
  const std::uint64_t spacing = 100'000'000 / profile.rate_pps;  // cycles at 100 MHz
  const std::string yaml =
      "name: ipsec-row\nseed: 3\nduration_cycles: " + std::to_string(100'000 + kPackets * spacing) +
      "\nplatform:\n  harts: 1\n  clock_period_ps: 10000\n  bus: { request_cycles: 1, "
      "response_cycles: 1 }\n"
      "kernel:\n  cost_profile: " +
      profile.file + "\n  tick_period: 0\n" + row.kernel_block +
      "nic: { rx_descriptors: 64, polling: true, budget: 64 }\n"
      "crypto: { ring_entries: 64, coalesce_count: 1" +
      row.crypto_extra +
      " }\n"
      "ipsec:\n  local_ip: 10.0.0.2\n  udp_port: 5001\n  sa:\n    - spi: 4096\n"
      "      key: 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n"
      "      salt: deadbeef\n  busy_user: true\n"
      "traffic:\n  payload: esp\n  esp: { payload_bytes: [16, 512] }\n  pattern: constant\n"
      "  rate_pps: " +
      std::to_string(profile.rate_pps) + "\n  count: " + std::to_string(kPackets) +
      "\n  start_ns: 50000\n";
  return run_scenario("ipsec_row_" + row.name + "_" + profile.tag, yaml);
}

void expect_row_under(const Row& row, const Profile& profile) {
  SCOPED_TRACE(row.name + " under the " + profile.tag + " profile");
  const RunOutput r = run_row(row, profile);
  ASSERT_EQ(r.process.exit_status, 0) << r.process.output;
  const auto& ipsec = r.results["ipsec"];
  ASSERT_EQ(ipsec["delivery"]["delivered"], kPackets);
  const auto& per = ipsec["per_packet"];
  EXPECT_EQ(per["packets"], kPackets);
  EXPECT_DOUBLE_EQ(per["fs"].get<double>(), row.want.fs);
  EXPECT_DOUBLE_EQ(per["ls"].get<double>(), row.want.ls);
  EXPECT_DOUBLE_EQ(per["ic"].get<double>(), row.want.ic);
}

void expect_row(const Row& row) {
  expect_row_under(row, kDefault);
  expect_row_under(row, kBigOoo);
}

const Row kAllThreads{"all_threads",
                      "  personality: freebsd\n  freebsd: { netisr_direct: false }\n",
                      ", callback: immediate",
                      {6, 0, 2}};
const Row kFreebsd{"freebsd", "  personality: freebsd\n", "", {7, 0, 2}};

TEST(Research6RowsOnRtl, AllThreadsDesignOfTheMail) { expect_row(kAllThreads); }
TEST(Research6RowsOnRtl, LinuxNonRt) {
  expect_row({"linux", "  personality: linux\n", "", {0, 0, 2}});
}
TEST(Research6RowsOnRtl, LinuxThreadirqs) {
  expect_row(
      {"linux_threadirqs", "  personality: linux\n  linux: { threadirqs: true }\n", "", {4, 0, 2}});
}
TEST(Research6RowsOnRtl, LinuxPreemptRt) {
  expect_row({"linux_rt", "  personality: linux\n  linux: { preempt_rt: true }\n", "", {4, 0, 2}});
}
TEST(Research6RowsOnRtl, Freebsd7AsShipped) { expect_row(kFreebsd); }
TEST(Research6RowsOnRtl, FreebsdWithCbimm) {
  expect_row({"freebsd_cbimm",
              "  personality: freebsd\n  freebsd: { crypto_cbimm: true }\n",
              "",
              {5, 0, 2}});
}
TEST(Research6RowsOnRtl, Netbsd5AsShipped) {
  expect_row({"netbsd", "  personality: netbsd\n", "", {2, 4, 2}});
}
TEST(Research6RowsOnRtl, Netbsd5SoftintContinuation) {
  expect_row({"netbsd_softint",
              "  personality: netbsd\n  netbsd: { softint_continuation: true }\n",
              "",
              {0, 4, 2}});
}
TEST(Research6RowsOnRtl, Bsd43PureSpl) {
  expect_row({"bsd43", "  personality: bsd43\n", "", {0, 0, 2}});
}
TEST(Research6RowsOnRtl, Netbsd3FastIpsecWithOcf) {
  expect_row({"netbsd3", "  personality: bsd43\n", ", callback: thread", {2, 0, 2}});
}

// Why big-ooo needs the wider spacing: at 10 000 packets/s a FreeBSD packet's own 7 FS
// (7 x 3025 = 21 175 cycles) outlast the 10 000 cycles to the next packet, so every packet
// waits behind the ones before it (end to end above the spacing) and U does not resume
// between packets: each leg's window (trap to U's resumption) then spans the other legs,
// and the per-packet FS/LS/IC of research §6 are not defined. The kernel itself does no
// extra work: the CPU's FS over the run stay within the path's 7 per packet plus the
// receiver's wake-up (1 per packet) and the first dispatch of each of the run's LWPs.
TEST(Research6RowsOnRtl, BigOooFreebsdRowOverlapsAtTheDefaultSpacing) {
  const RunOutput r = run_row(kFreebsd, {"big_ooo_overlapping", kBigOooProfile, 10'000});
  ASSERT_EQ(r.process.exit_status, 0) << r.process.output;
  const auto& ipsec = r.results["ipsec"];
  ASSERT_EQ(ipsec["delivery"]["delivered"], kPackets);
  EXPECT_GT(ipsec["end_to_end"]["min"].get<double>(), 7 * (3000 + 25));
  unsigned lwps = 0;
  for (const auto& lwp : r.results["lwps"])
    if (lwp["name"] != "idle/0") ++lwps;
  EXPECT_LE(r.results["cpus"][0]["switches"]["full"].get<unsigned>(), kPackets * (7 + 1) + lwps);
}

}  // namespace ipsec_rows_test
}  // namespace irqlab::test
