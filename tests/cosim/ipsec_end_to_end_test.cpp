// End to end on the real RTL path: the irqlab binary on the IPsec receive path (NIC, crypto
// engine, ESP, socket, user process) under each personality, its results.json `ipsec`
// block read back. Expected values come from the traffic the test asks for (how many
// packets, every how many a bad tag), never from the simulator's figures alone.
#include <gtest/gtest.h>
#include <string>

#include "e2e_support.h"

namespace irqlab::test {
namespace {

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

}  // namespace
}  // namespace irqlab::test
