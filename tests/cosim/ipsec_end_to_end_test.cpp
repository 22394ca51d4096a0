// End to end on the real RTL path: the irqlab binary on the IPsec receive path (NIC, crypto
// engine, ESP, socket, user process) under each personality, its results.json `ipsec`
// block read back. Expected values come from the traffic the test asks for (how many
// packets, every how many a bad tag), never from the simulator's figures alone.
#include <gtest/gtest.h>
#include <string>

#include "e2e_support.h"

namespace irqlab::test {
namespace ipsec_end_to_end_test {

constexpr unsigned kPackets = 200;
constexpr unsigned kBadTagEvery = 10;

std::string ipsec_scenario(const std::string& personality) {
  return "name: ipsec-e2e\nseed: 11\nduration_cycles: " +
         std::to_string(100'000 + kPackets * 10'000) +
         "\nplatform:\n  harts: 1\n  clock_period_ps: 10000\n  bus: { request_cycles: 1, "
         "response_cycles: 1 }\n"
         "kernel:\n  cost_profile: " +
         kCostProfile + "\n  tick_period: 0\n  personality: " + personality +
         "\nnic: { rx_descriptors: 64, polling: true, budget: 64 }\ncrypto: { ring_entries: 64 }\n"
         "ipsec:\n  local_ip: 10.0.0.2\n  udp_port: 5001\n  sa:\n    - spi: 4096\n"
         "      key: 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n"
         "      salt: deadbeef\n"
         "traffic:\n  payload: esp\n  esp: { payload_bytes: [1, 1400], bad_tag_every: " +
         std::to_string(kBadTagEvery) +
         " }\n  pattern: constant\n  rate_pps: 10000\n  count: " + std::to_string(kPackets) +
         "\n  start_ns: 50000\n";
}

void expect_byte_exact_delivery(const std::string& personality) {
  const RunOutput r = run_scenario("ipsec_" + personality, ipsec_scenario(personality));
  ASSERT_EQ(r.process.exit_status, 0) << r.process.output;
  const auto& ipsec = r.results["ipsec"];
  const unsigned bad = kPackets / kBadTagEvery;
  EXPECT_EQ(ipsec["frames_offered"], kPackets);
  EXPECT_EQ(ipsec["delivery"]["delivered"], kPackets - bad)
      << "every good packet read, byte for byte";
  EXPECT_EQ(ipsec["delivery"]["mismatched"], 0U);
  EXPECT_EQ(ipsec["delivery"]["missing"], 0U);
  EXPECT_EQ(ipsec["delivery"]["duplicated"], 0U) << "nothing delivered twice";
  EXPECT_EQ(ipsec["reads"], kPackets - bad);
  EXPECT_EQ(ipsec["drops"]["BadTag"], bad) << "every bad-tag packet dropped and counted";
  EXPECT_EQ(ipsec["delivery"]["bad_dropped"], bad);
  EXPECT_EQ(r.results["crypto"]["jobs"]["done"], kPackets) << "one engine job per packet";
}

TEST(IpsecEndToEnd, LinuxDeliversEveryGoodPacketByteExactAndDropsBadTags) {
  expect_byte_exact_delivery("linux");
}
TEST(IpsecEndToEnd, FreebsdDeliversEveryGoodPacketByteExactAndDropsBadTags) {
  expect_byte_exact_delivery("freebsd");
}
TEST(IpsecEndToEnd, NetbsdDeliversEveryGoodPacketByteExactAndDropsBadTags) {
  expect_byte_exact_delivery("netbsd");
}
TEST(IpsecEndToEnd, Bsd43DeliversEveryGoodPacketByteExactAndDropsBadTags) {
  expect_byte_exact_delivery("bsd43");
}

// Two harts, the engine's interrupt enabled on both, traffic in bursts at line rate: the
// crypto completion walks the job ring on one hart while the other dispatches into it (the
// NIC's poll and IP input run wherever the NIC's interrupt was taken). With the driver's
// ring unlocked across harts this workload panicked at cycle 762 673 ("ring entry 34
// holds cookie 227, expected request 288": the completion read an entry another hart had
// taken and not yet rewritten).
TEST(IpsecEndToEnd, CryptoCompletionOnEitherHartWhileTheOtherDispatches) {
  const std::string yaml =
      "name: crypto-two-harts\nseed: 1\nduration_cycles: 800000\nplatform:\n  harts: 2\n"
      "  clock_period_ps: 10000\n  bus: { request_cycles: 1, response_cycles: 1 }\n"
      "kernel:\n  cost_profile: " +
      kCostProfile +
      "\n  tick_period: 10000\n  tick_priority: 1\n  personality: linux\n"
      "nic: { priority: 3, rx_descriptors: 64, itr: 0, polling: true, budget: 16 }\n"
      "crypto: { priority: 3, cpus: [0, 1], ring_entries: 64, coalesce_count: 4, "
      "coalesce_timeout: 2000 }\n"
      "ipsec:\n  local_ip: 10.0.0.2\n  udp_port: 5001\n  sa:\n    - spi: 4096\n"
      "      key: 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n"
      "      salt: deadbeef\n  socket_queue: 64\n  receiver_cpu: 1\n  busy_user: false\n"
      "traffic:\n  payload: esp\n  esp: { payload_bytes: [16, 1024] }\n  line_rate_gbps: 10\n"
      "  pattern: bursts\n  burst_frames: 8\n  burst_period_ns: 50000\n  start_ns: 50000\n";
  const RunOutput r = run_scenario("crypto_two_harts", yaml, "--no-waves -c timeline=false");
  ASSERT_EQ(r.process.exit_status, 0) << r.process.output;
  ASSERT_EQ(r.results["status"], "ok") << r.results.value("error", "");
  const auto& per_cpu = source_entry(r.results, 6)["per_cpu"];
  ASSERT_EQ(per_cpu.size(), 2U);
  for (const auto& cpu : per_cpu)
    EXPECT_GT(cpu["latency"]["count"], 0U) << "the completion ran on hart " << cpu["cpu"];
  const auto& crypto = r.results["crypto"];
  EXPECT_EQ(crypto["outcomes"]["none"], crypto["completed"]) << "no job failed";
  const auto& delivery = r.results["ipsec"]["delivery"];
  EXPECT_GT(delivery["delivered"], 0U);
  EXPECT_EQ(delivery["delivered"], r.results["ipsec"]["reads"]);
  EXPECT_EQ(delivery["mismatched"], 0U);
  EXPECT_EQ(delivery["duplicated"], 0U);
}

}  // namespace ipsec_end_to_end_test
}  // namespace irqlab::test
