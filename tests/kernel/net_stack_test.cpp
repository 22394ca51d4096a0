// The ESP receive path (kernel/net) on the fake machine: frames built with OpenSSL's
// ChaCha20-Poly1305 (net_support.h) go through the fake NIC and the NIC driver; the test
// compares what the receiving user process read, byte for byte, with the plaintext it
// sealed, and checks each malformed packet's drop cause against the spoil it applied.
#include <algorithm>
#include <gtest/gtest.h>
#include <random>

#include "net_support.h"

namespace irqlab::kernel::test::net {

const DriverRegistration<SwCryptoDriver> sw_crypto_driver("sw_crypto");
const FakeDeviceRegistration<FakeSwCrypto> sw_crypto_fake("sw_crypto");

namespace net_stack_test {

Bytes payload_of(std::mt19937_64& random, std::size_t size) {
  Bytes b(size);
  for (std::uint8_t& x : b) x = static_cast<std::uint8_t>(random());
  return b;
}

TEST(NetStack, ByteExactDeliveryOfRandomSizesOnceEachUnderEachPersonality) {
  constexpr unsigned kPackets = 300;
  for (std::string_view name : kPersonalities) {
    SCOPED_TRACE(std::string(name));
    const KernelConfig k = net_config(name);
    NetRig r(k);
    std::mt19937_64 random(7 + name.size());
    std::vector<Bytes> sent;
    for (unsigned i = 0; i < kPackets; ++i) {
      sent.push_back(payload_of(random, random() % 1401));
      const SecurityAssociation& sa = k.ipsec.sas[i % 2];
      r.nic.inject(10'000 + 12'000 * Cycle{i}, esp_frame(sa, i + 1, sent.back()));
    }
    r.rig.machine.run_until(10'000 + 12'000 * Cycle{kPackets} + 50'000);
    ASSERT_EQ(r.log.reads.size(), kPackets);
    for (unsigned i = 0; i < kPackets; ++i) {
      EXPECT_EQ(r.log.reads[i].packet, i + 1);  // ids in ether_input order, each once
      EXPECT_EQ(r.log.reads[i].payload, sent[i]) << "packet " << i + 1;
    }
    EXPECT_TRUE(r.log.drops.empty());
    const NetStats s = r.net().stats();
    EXPECT_EQ(s.frames, kPackets);
    EXPECT_EQ(s.decrypted, kPackets);
    EXPECT_EQ(s.queued, kPackets);
    EXPECT_EQ(s.read, kPackets);
  }
}

TEST(NetStack, EveryStageOfAGoodPacketIsReportedInPathOrder) {
  for (std::string_view name : kPersonalities) {
    SCOPED_TRACE(std::string(name));
    const KernelConfig k = net_config(name);
    NetRig r(k);
    const Bytes payload{1, 2, 3, 4, 5};
    r.nic.inject(10'000, esp_frame(k.ipsec.sas[0], 1, payload));
    r.rig.machine.run_until(100'000);
    std::vector<PacketStage> seen;
    Cycle last = 0;
    for (const NetLog::Stage& s : r.log.stages.at(1)) {
      EXPECT_GE(s.cycle, last);
      last = s.cycle;
      seen.push_back(s.stage);
    }
    // CryptoSubmit (dispatch returned) and EspCallback may come in either order: a
    // synchronous driver completes inside dispatch.
    using S = PacketStage;
    ASSERT_EQ(seen.size(), 9u);
    EXPECT_EQ(std::vector(seen.begin(), seen.begin() + 3),
              (std::vector{S::EtherInput, S::IpInput, S::EspInput}));
    EXPECT_TRUE(std::is_permutation(seen.begin() + 3, seen.begin() + 5,
                                    std::vector{S::CryptoSubmit, S::EspCallback}.begin()));
    EXPECT_EQ(std::vector(seen.begin() + 5, seen.end()),
              (std::vector{S::IpReinput, S::UdpInput, S::SocketQueued, S::UserRead}));
  }
}

TEST(NetStack, MalformedPacketsAreDroppedWithTheirCauseAndCountedUnderEachPersonality) {
  for (std::string_view name : kPersonalities) {
    SCOPED_TRACE(std::string(name));
    KernelConfig k = net_config(name);
    NetRig r(k);
    const SecurityAssociation& sa = k.ipsec.sas[0];
    const Bytes payload{9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 11, 12, 13};
    Bytes other_mac = esp_frame(sa, 7, payload);
    other_mac[5] ^= 0x01;
    const std::vector<Bytes> frames{
        esp_frame(sa, 1, payload),                         // 1 good
        esp_frame(sa, 2, payload, {.tag = true}),          // 2 BadTag
        esp_frame(sa, 3, payload, {.truncate_esp = 20}),   // 3 Short (ESP shorter than its headers)
        esp_frame(sa, 4, payload, {.spi = 0x7777}),        // 4 UnknownSa
        esp_frame(sa, 5, payload, {.padding = true}),      // 5 BadPadding
        esp_frame(sa, 6, payload, {.ip_checksum = true}),  // 6 BadIpHeader
        other_mac,                                         // 7 NotForUs
        Bytes(kOurMac.begin(), kOurMac.end()),             // 8 Short (no Ethernet header)
        esp_frame(sa, 9, payload),                         // 9 good
    };
    for (std::size_t i = 0; i < frames.size(); ++i)
      r.nic.inject(10'000 + 15'000 * Cycle{i}, frames[i]);
    r.rig.machine.run_until(10'000 + 15'000 * Cycle{frames.size()} + 50'000);

    using C = NetDropCause;
    const std::map<std::uint32_t, std::vector<C>> expected{
        {2, {C::BadTag}},      {3, {C::Short}},    {4, {C::UnknownSa}}, {5, {C::BadPadding}},
        {6, {C::BadIpHeader}}, {7, {C::NotForUs}}, {8, {C::Short}}};
    EXPECT_EQ(r.log.drops, expected);
    ASSERT_EQ(r.log.reads.size(), 2u);
    EXPECT_EQ(r.log.reads[0].packet, 1u);
    EXPECT_EQ(r.log.reads[1].packet, 9u);
    EXPECT_EQ(r.log.reads[1].payload, payload);
    const NetStats s = r.net().stats();
    EXPECT_EQ(s.dropped(C::BadTag), 1u);
    EXPECT_EQ(s.dropped(C::Short), 2u);
    EXPECT_EQ(s.dropped(C::UnknownSa), 1u);
    EXPECT_EQ(s.dropped(C::BadPadding), 1u);
    EXPECT_EQ(s.dropped(C::BadIpHeader), 1u);
    EXPECT_EQ(s.dropped(C::NotForUs), 1u);
    EXPECT_EQ(s.dropped(C::SocketFull) + s.dropped(C::NoSocket) + s.dropped(C::CryptoError), 0u);
    // Nothing of a bad-tag or bad-padding packet went past esp_input_cb.
    for (std::uint32_t id : {2u, 5u})
      for (const NetLog::Stage& st : r.log.stages.at(id))
        EXPECT_LE(st.stage, PacketStage::EspCallback) << id;
    EXPECT_EQ(s.frames, frames.size());
  }
}

// 4.3BSD runs the whole path in interrupt context and switches to the reader only at
// the return to user: a burst of five fills a two-datagram socket; three are dropped.
TEST(NetStack, AFullSocketQueueDropsAndCountsUnderBsd43) {
  KernelConfig k = net_config("bsd43");
  k.ipsec.socket_queue = 2;
  NetRig r(k);
  std::vector<Bytes> sent;
  for (std::uint8_t i = 0; i < 5; ++i) {
    sent.push_back(Bytes(20 + i, i));
    r.nic.inject(10'000, esp_frame(k.ipsec.sas[1], i + 1u, sent.back()));
  }
  r.rig.machine.run_until(200'000);
  using C = NetDropCause;
  EXPECT_EQ(r.log.drops, (std::map<std::uint32_t, std::vector<C>>{
                             {3, {C::SocketFull}}, {4, {C::SocketFull}}, {5, {C::SocketFull}}}));
  ASSERT_EQ(r.log.reads.size(), 2u);
  EXPECT_EQ(r.log.reads[0].payload, sent[0]);
  EXPECT_EQ(r.log.reads[1].payload, sent[1]);
  EXPECT_EQ(r.net().stats().dropped(C::SocketFull), 3u);
}

TEST(NetStack, ADatagramForAnotherPortHasNoSocket) {
  KernelConfig k = net_config("netbsd");
  k.ipsec.udp_port = kPort + 1;
  NetRig r(k);
  r.nic.inject(10'000, esp_frame(k.ipsec.sas[0], 1, Bytes{1, 2, 3}));
  r.rig.machine.run_until(100'000);
  EXPECT_EQ(r.log.drops,
            (std::map<std::uint32_t, std::vector<NetDropCause>>{{1, {NetDropCause::NoSocket}}}));
  EXPECT_TRUE(r.log.reads.empty());
}

TEST(NetStack, NamesOfStagesAndDropCauses) {
  EXPECT_STREQ(packet_stage_name(PacketStage::EtherInput), "EtherInput");
  EXPECT_STREQ(packet_stage_name(PacketStage::UserRead), "UserRead");
  EXPECT_STREQ(net_drop_cause_name(NetDropCause::BadTag), "BadTag");
  EXPECT_STREQ(net_drop_cause_name(NetDropCause::NoSocket), "NoSocket");
}

TEST(NetStack, ValidateConfigRejectsAnUnusableIpsecBlock) {
  const auto errors_of = [](const KernelConfig& k) { return validate_config(k); };
  const auto has = [](const std::vector<std::string>& errors, std::string_view text) {
    return std::ranges::any_of(
        errors, [&](const std::string& e) { return e.find(text) != std::string::npos; });
  };
  EXPECT_TRUE(errors_of(net_config("netbsd")).empty());

  KernelConfig k = net_config("netbsd");
  k.ipsec.sas.clear();
  EXPECT_TRUE(has(errors_of(k), "ipsec: no security association"));

  k = net_config("netbsd");
  k.ipsec.sas[1].spi = k.ipsec.sas[0].spi;
  EXPECT_TRUE(has(errors_of(k), "is used by two SAs"));

  k = net_config("netbsd");
  k.ipsec.sas[0].spi = 0;
  EXPECT_TRUE(has(errors_of(k), "SPI 0 is reserved"));

  k = net_config("netbsd");
  k.ipsec.socket_queue = 0;
  EXPECT_TRUE(has(errors_of(k), "socket_queue is 0"));

  k = net_config("netbsd");
  k.ipsec.receiver_cpu = 1;
  EXPECT_TRUE(has(errors_of(k), "receiver_cpu 1 is not below cpus (1)"));

  k = net_config("netbsd");
  k.ipsec.busy_user = true;
  k.ipsec.busy_cpu = 2;
  EXPECT_TRUE(has(errors_of(k), "busy_cpu 2 is not below cpus (1)"));

  k = net_config("netbsd");
  k.tick.period = 1000;
  k.ipsec.rekey_period = 5000;
  k.ipsec.rekey_hold = 5000;
  EXPECT_TRUE(has(errors_of(k), "rekey hold_cycles 5000 is not below period_cycles 5000"));
  k.ipsec.rekey_hold = 4999;
  EXPECT_TRUE(errors_of(k).empty());
  k.tick.period = 0;
  EXPECT_TRUE(has(errors_of(k), "rekey needs the tick"));

  k = net_config("netbsd");
  k.ipsec.rekey_hold = 10;
  EXPECT_TRUE(has(errors_of(k), "rekey hold_cycles without period_cycles"));

  k = net_config("netbsd");
  k.nic.present = false;
  EXPECT_TRUE(has(errors_of(k), "ipsec: needs the nic"));
}

}  // namespace net_stack_test
}  // namespace irqlab::kernel::test::net
