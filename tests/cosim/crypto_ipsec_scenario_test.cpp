// The crypto: and ipsec: blocks of a scenario (docs/scenario-format.md): defaults from the
// shared configs (kernel/drivers/crypto/crypto_config.h, kernel/net/ipsec_config.h), ranges
// from the engine's registers (crypto contract §1: JR_SIZE 1..1024, COAL's 8-bit COUNT and
// 16-bit TIMEOUT, MaxJobBytes 16384), SPIs from RFC 4303 §2.1 (0..255 reserved), keys and
// salts as hex bytes, and errors naming file, line and key.
#include <fstream>
#include <gtest/gtest.h>

#include "scenario/scenario.h"
#include "scenario_file_support.h"

namespace irqlab::cosim {
namespace crypto_ipsec_scenario_test {

const ScenarioFiles kScenarios{"crypto_ipsec_scenario"};

// Key bytes 0x00, 0x01, ..., 0x1f and salt de ad be ef, written as the scenario writes them.
const std::string kKeyHex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
const std::string kOneSa = "  sa:\n    - {spi: 4096, key: " + kKeyHex + ", salt: deadbeef}\n";

TEST(CryptoIpsecScenario, AbsentBlocksLeaveBothOut) {
  const Scenario s = load_scenario(kScenarios.write("none", ""));
  EXPECT_FALSE(s.crypto.present);
  EXPECT_FALSE(s.ipsec.present);
}

TEST(CryptoIpsecScenario, AnEmptyCryptoBlockTakesTheContractDefaults) {
  const Scenario s = load_scenario(kScenarios.write("crypto_defaults", "crypto: {}\n"));
  EXPECT_TRUE(s.crypto.present);
  EXPECT_EQ(s.crypto.priority, 3u);
  EXPECT_TRUE(s.crypto.cpus.empty());
  EXPECT_EQ(s.crypto.ring_entries, 64u);
  EXPECT_EQ(s.crypto.coalesce_count, 1u);
  EXPECT_EQ(s.crypto.coalesce_timeout, 0u);
  EXPECT_EQ(s.crypto.max_job_bytes, 4096u);
  EXPECT_EQ(s.crypto.callback, kernel::CryptoCallbackMode::Default);
}

TEST(CryptoIpsecScenario, CryptoKeysAreRead) {
  const Scenario s = load_scenario(kScenarios.write(
      "crypto_set",
      "crypto:\n  priority: 6\n  cpus: [0, 1]\n  ring_entries: 1024\n  coalesce_count: 255\n"
      "  coalesce_timeout: 65535\n  max_job_bytes: 16384\n  callback: thread\n"));
  EXPECT_EQ(s.crypto.priority, 6u);
  EXPECT_EQ(s.crypto.cpus, (std::vector<unsigned>{0, 1}));
  EXPECT_EQ(s.crypto.ring_entries, 1024u);
  EXPECT_EQ(s.crypto.coalesce_count, 255u);
  EXPECT_EQ(s.crypto.coalesce_timeout, 65535u);
  EXPECT_EQ(s.crypto.max_job_bytes, 16384u);
  EXPECT_EQ(s.crypto.callback, kernel::CryptoCallbackMode::Thread);
  const std::filesystem::path f = kScenarios.write("crypto_modes", "crypto: {}\n");
  EXPECT_EQ(load_scenario(f, {"crypto.callback=immediate"}).crypto.callback,
            kernel::CryptoCallbackMode::Immediate);
  EXPECT_EQ(load_scenario(f, {"crypto.callback=deferred"}).crypto.callback,
            kernel::CryptoCallbackMode::Deferred);
  EXPECT_EQ(load_scenario(f, {"crypto.callback=default"}).crypto.callback,
            kernel::CryptoCallbackMode::Default);
  EXPECT_EQ(load_scenario(f, {"crypto.ring_entries=2"}).crypto.ring_entries, 2u);
}

TEST(CryptoIpsecScenario, CryptoErrorsNameFileLineAndKey) {
  const std::filesystem::path f = kScenarios.write("crypto_bad", "crypto:\n  ring_entries: 48\n");
  EXPECT_NE(load_error(f).find(f.string() +
                               ":5: key 'crypto.ring_entries': must be a power of 2, got 48"),
            std::string::npos)
      << load_error(f);
  const std::filesystem::path g = kScenarios.write("crypto_ok", "crypto: {}\n");
  const std::pair<const char*, const char*> cases[] = {
      {"crypto.ring_entries=2048",
       "key 'crypto.ring_entries': must be between 2 and 1024, got 2048"},
      {"crypto.ring_entries=1", "key 'crypto.ring_entries': must be between 2 and 1024, got 1"},
      {"crypto.coalesce_count=256",
       "key 'crypto.coalesce_count': must be between 0 and 255, got 256"},
      {"crypto.coalesce_timeout=65536",
       "key 'crypto.coalesce_timeout': must be between 0 and 65535, got 65536"},
      {"crypto.max_job_bytes=16385",
       "key 'crypto.max_job_bytes': must be between 1 and 16384, got 16385"},
      {"crypto.max_job_bytes=0", "key 'crypto.max_job_bytes': must be between 1 and 16384, got 0"},
      {"crypto.priority=0", "key 'crypto.priority': must be between 1 and 7, got 0"},
      {"crypto.cpus=[2]", "key 'crypto.cpus[0]': must be below platform.harts (2), got 2"},
      {"crypto.callback=later",
       "key 'crypto.callback': expected default, immediate, deferred or thread, got 'later'"},
      {"crypto.engine=2", "key 'crypto.engine': unknown key"},
  };
  expect_load_errors(g, cases);
}

TEST(CryptoIpsecScenario, IpsecNeedsTheNicAndCryptoBlocks) {
  const std::filesystem::path f =
      kScenarios.write("ipsec_alone", "ipsec:\n" + kOneSa);  // the map is at its first key
  EXPECT_NE(
      load_error(f).find(f.string() +
                         ":5: key 'ipsec': the ESP receive path needs a nic: and a crypto: block"),
      std::string::npos)
      << load_error(f);
  EXPECT_NE(
      load_error(f, {"crypto={}"}).find("key 'ipsec': the ESP receive path needs a nic: block"),
      std::string::npos);
  EXPECT_NE(
      load_error(f, {"nic={}"}).find("key 'ipsec': the ESP receive path needs a crypto: block"),
      std::string::npos);
  EXPECT_TRUE(load_scenario(f, {"nic={}", "crypto={}"}).ipsec.present);
}

TEST(CryptoIpsecScenario, IpsecDefaultsAndKeys) {
  Scenario s =
      load_scenario(kScenarios.write("ipsec_defaults", "nic: {}\ncrypto: {}\nipsec:\n" + kOneSa));
  ASSERT_TRUE(s.ipsec.present);
  EXPECT_EQ(s.ipsec.local_ip, (std::array<std::uint8_t, 4>{10, 0, 0, 2}));
  EXPECT_EQ(s.ipsec.udp_port, 5001u);
  ASSERT_EQ(s.ipsec.sas.size(), 1u);
  EXPECT_EQ(s.ipsec.sas[0].spi, 4096u);
  for (unsigned i = 0; i < 32; ++i) EXPECT_EQ(s.ipsec.sas[0].key[i], i) << i;
  EXPECT_EQ(s.ipsec.sas[0].salt, (std::array<std::uint8_t, 4>{0xDE, 0xAD, 0xBE, 0xEF}));
  EXPECT_EQ(s.ipsec.socket_queue, 64u);
  EXPECT_EQ(s.ipsec.receiver_cpu, 0u);
  EXPECT_TRUE(s.ipsec.busy_user);
  EXPECT_EQ(s.ipsec.busy_cpu, 0u);
  EXPECT_EQ(s.ipsec.rekey_period, 0u);
  EXPECT_EQ(s.ipsec.rekey_hold, 0u);

  s = load_scenario(kScenarios.write(
      "ipsec_set",
      "nic: {}\ncrypto: {}\nipsec:\n  local_ip: 192.168.255.7\n  udp_port: 65535\n"
      "  sa:\n    - {spi: 256, key: " +
          std::string(64, 'F') +
          ", salt: \"00000001\"}\n"
          "    - {spi: 4294967295, key: " +
          kKeyHex +
          ", salt: A0b1C2d3}\n"
          "  socket_queue: 3\n  receiver_cpu: 1\n  busy_user: true\n  busy_cpu: 1\n"
          "  rekey: {period_cycles: 100000, hold_cycles: 99999}\n"));
  EXPECT_EQ(s.ipsec.local_ip, (std::array<std::uint8_t, 4>{192, 168, 255, 7}));
  EXPECT_EQ(s.ipsec.udp_port, 65535u);
  ASSERT_EQ(s.ipsec.sas.size(), 2u);
  EXPECT_EQ(s.ipsec.sas[0].spi, 256u);
  for (std::uint8_t byte : s.ipsec.sas[0].key) EXPECT_EQ(byte, 0xFF);
  EXPECT_EQ(s.ipsec.sas[0].salt, (std::array<std::uint8_t, 4>{0, 0, 0, 1}));
  EXPECT_EQ(s.ipsec.sas[1].spi, 0xFFFFFFFFu);
  EXPECT_EQ(s.ipsec.sas[1].salt, (std::array<std::uint8_t, 4>{0xA0, 0xB1, 0xC2, 0xD3}));
  EXPECT_EQ(s.ipsec.socket_queue, 3u);
  EXPECT_EQ(s.ipsec.receiver_cpu, 1u);
  EXPECT_EQ(s.ipsec.busy_cpu, 1u);
  EXPECT_EQ(s.ipsec.rekey_period, 100'000u);
  EXPECT_EQ(s.ipsec.rekey_hold, 99'999u);
}

TEST(CryptoIpsecScenario, IpsecErrorsNameFileLineAndKey) {
  const std::filesystem::path f = kScenarios.write(
      "ipsec_bad", "nic: {}\ncrypto: {}\nipsec:\n  sa:\n    - {spi: 4096, key: " + kKeyHex +
                       ", salt: deadbeef}\n    - {spi: 4096, key: " + kKeyHex +
                       ", salt: deadbeef}\n");
  EXPECT_NE(
      load_error(f).find(
          f.string() + ":9: key 'ipsec.sa[1].spi': SPI 4096 is declared twice (also ipsec.sa[0])"),
      std::string::npos)
      << load_error(f);
  const std::filesystem::path g =
      kScenarios.write("ipsec_ok", "nic: {}\ncrypto: {}\nipsec:\n" + kOneSa);
  const auto sa = [](const std::string& spi, const std::string& key, const std::string& salt) {
    return "ipsec.sa=[{spi: " + spi + ", key: " + key + ", salt: " + salt + "}]";
  };
  const std::pair<std::string, const char*> cases[] = {
      {sa("4096", kKeyHex.substr(1), "deadbeef"),
       "key 'ipsec.sa[0].key': expected 64 hex digits (32 bytes), got 63 characters"},
      {sa("4096", kKeyHex + "00", "deadbeef"),
       "key 'ipsec.sa[0].key': expected 64 hex digits (32 bytes), got 66 characters"},
      {sa("4096", "g" + kKeyHex.substr(1), "deadbeef"),
       "key 'ipsec.sa[0].key': 'g' (character 1) is not a hex digit"},
      {sa("4096", kKeyHex, "deadbee"),
       "key 'ipsec.sa[0].salt': expected 8 hex digits (4 bytes), got 7 characters"},
      {sa("4096", kKeyHex, "deadbeefd"),
       "key 'ipsec.sa[0].salt': expected 8 hex digits (4 bytes), got 9 characters"},
      {sa("255", kKeyHex, "deadbeef"),
       "key 'ipsec.sa[0].spi': must be between 256 and 4294967295, got 255"},
      {sa("4294967296", kKeyHex, "deadbeef"),
       "key 'ipsec.sa[0].spi': must be between 256 and 4294967295"},
      {"ipsec.sa=[{spi: 4096, key: " + kKeyHex + "}]", "key 'ipsec.sa[0].salt'"},
      {"ipsec.sa=[]", "key 'ipsec.sa': declare at least one SA"},
      {"ipsec.local_ip=10.0.0.256",
       "key 'ipsec.local_ip': expected an IPv4 address a.b.c.d (each 0..255), got '10.0.0.256'"},
      {"ipsec.local_ip=10.0.0", "key 'ipsec.local_ip': expected an IPv4 address"},
      {"ipsec.local_ip=10.0.0.1.5", "key 'ipsec.local_ip': expected an IPv4 address"},
      {"ipsec.local_ip=10..0.1", "key 'ipsec.local_ip': expected an IPv4 address"},
      {"ipsec.local_ip=0010.0.0.1", "key 'ipsec.local_ip': expected an IPv4 address"},
      {"ipsec.local_ip=host", "key 'ipsec.local_ip': expected an IPv4 address"},
      {"ipsec.udp_port=0", "key 'ipsec.udp_port': must be between 1 and 65535, got 0"},
      {"ipsec.udp_port=65536", "key 'ipsec.udp_port': must be between 1 and 65535, got 65536"},
      {"ipsec.socket_queue=0", "key 'ipsec.socket_queue': must be between 1 and 65535, got 0"},
      {"ipsec.receiver_cpu=2", "key 'ipsec.receiver_cpu': must be below platform.harts (2), got 2"},
      {"ipsec.busy_cpu=3", "key 'ipsec.busy_cpu': must be below platform.harts (2), got 3"},
      {"ipsec.rekey={period_cycles: 100, hold_cycles: 100}",
       "key 'ipsec.rekey.hold_cycles': must be below period_cycles (100)"},
      {"ipsec.rekey={period_cycles: 100}", "key 'ipsec.rekey.hold_cycles'"},
      {"ipsec.rekey={period_cycles: 0, hold_cycles: 0}",
       "key 'ipsec.rekey.period_cycles': must be between 1 and 1000000000000, got 0"},
      {"ipsec.spd=1", "key 'ipsec.spd': unknown key"},
  };
  expect_load_errors(g, cases);
  const std::filesystem::path h =
      kScenarios.write("ipsec_no_sa", "nic: {}\ncrypto: {}\nipsec: {udp_port: 7}\n");
  EXPECT_NE(load_error(h).find(":6: key 'ipsec"), std::string::npos) << load_error(h);
  EXPECT_NE(load_error(h).find("sa"), std::string::npos) << load_error(h);
}

TEST(CryptoIpsecScenario, BusyCpuOnlyWithABusyUser) {
  const std::filesystem::path f =
      kScenarios.write("ipsec_idle", "nic: {}\ncrypto: {}\nipsec:\n" + kOneSa);
  EXPECT_NE(load_error(f, {"ipsec.busy_user=false", "ipsec.busy_cpu=1"})
                .find("key 'ipsec.busy_cpu': only with ipsec.busy_user true"),
            std::string::npos);
  EXPECT_FALSE(load_scenario(f, {"ipsec.busy_user=false"}).ipsec.busy_user);
}

const std::string kEspBlocks =
    "nic: {}\ncrypto: {}\nipsec:\n  local_ip: 10.1.2.3\n  udp_port: 6000\n" + kOneSa;

TEST(CryptoIpsecScenario, EspTrafficTakesTheSasAddressAndPortOfIpsec) {
  Scenario s =
      load_scenario(kScenarios.write("esp_defaults", kEspBlocks + "traffic:\n  payload: esp\n"));
  EXPECT_EQ(s.traffic.payload, models::net::TrafficPayload::Esp);
  ASSERT_EQ(s.traffic.esp.sas.size(), 1u);
  EXPECT_EQ(s.traffic.esp.sas[0].spi, 4096u);
  EXPECT_EQ(s.traffic.esp.sas[0].key, s.ipsec.sas[0].key);
  EXPECT_EQ(s.traffic.esp.sas[0].salt, (std::array<std::uint8_t, 4>{0xDE, 0xAD, 0xBE, 0xEF}));
  EXPECT_EQ(s.traffic.esp.local_ip, (std::array<std::uint8_t, 4>{10, 1, 2, 3}));
  EXPECT_EQ(s.traffic.esp.udp_port, 6000u);
  EXPECT_EQ(s.traffic.esp.payload_bytes.min, 64u);
  EXPECT_EQ(s.traffic.esp.payload_bytes.max, 64u);
  EXPECT_EQ(s.traffic.esp.bad_tag_every, 0u);
  EXPECT_EQ(s.traffic.esp.malformed_every, 0u);

  s = load_scenario(kScenarios.write(
      "esp_set", kEspBlocks + "traffic:\n  payload: esp\n  esp:\n    payload_bytes: [1, 1437]\n"
                              "    bad_tag_every: 10\n    malformed_every: 33\n"));
  EXPECT_EQ(s.traffic.esp.payload_bytes.min, 1u);
  EXPECT_EQ(s.traffic.esp.payload_bytes.max, 1437u);
  EXPECT_EQ(s.traffic.esp.bad_tag_every, 10u);
  EXPECT_EQ(s.traffic.esp.malformed_every, 33u);
  s = load_scenario(kScenarios.write(
      "esp_fixed", kEspBlocks + "traffic:\n  payload: esp\n  esp: {payload_bytes: 500}\n"));
  EXPECT_EQ(s.traffic.esp.payload_bytes.min, 500u);
  EXPECT_EQ(s.traffic.esp.payload_bytes.max, 500u);
  // Plain UDP frames stay the default.
  s = load_scenario(kScenarios.write("udp_default", kEspBlocks + "traffic: {}\n"));
  EXPECT_EQ(s.traffic.payload, models::net::TrafficPayload::Udp);
}

TEST(CryptoIpsecScenario, EspTrafficErrorsNameFileLineAndKey) {
  const std::filesystem::path f =
      kScenarios.write("esp_alone", "nic: {}\ntraffic:\n  payload: esp\n");
  EXPECT_NE(load_error(f).find(f.string() + ":6: key 'traffic.payload': esp traffic needs an "
                                            "ipsec: block (its SAs, address and port)"),
            std::string::npos)
      << load_error(f);
  const std::filesystem::path g =
      kScenarios.write("esp_ok", kEspBlocks + "traffic:\n  payload: esp\n");
  const std::vector<std::pair<std::vector<std::string>, const char*>> cases = {
      {{"traffic.payload=tcp"}, "key 'traffic.payload': expected udp or esp, got 'tcp'"},
      {{"traffic.frame_bytes=100"}, "key 'traffic.frame_bytes': only with traffic.payload udp"},
      {{"traffic.payload=udp", "traffic.esp={bad_tag_every: 2}"},
       "key 'traffic.esp': only with traffic.payload esp"},
      {{"traffic.pattern=pcap", "traffic.pcap={file: x.pcap}"},
       "key 'traffic.payload': only with traffic.pattern constant, poisson or bursts"},
      {{"traffic.esp={payload_bytes: [10]}"},
       "key 'traffic.esp.payload_bytes': expected n or [min, max], got a list of 1"},
      {{"traffic.esp={payload_bytes: [10, 9]}"},
       "key 'traffic.esp.payload_bytes[1]': must be at least min"},
      {{"traffic.esp={payload_bytes: [10, 1438]}"},
       "key 'traffic.esp.payload_bytes[1]': must be between 1 and 1437, got 1438"},
      {{"traffic.esp={payload_bytes: 0}"},
       "key 'traffic.esp.payload_bytes': must be between 1 and 1437, got 0"},
      // 64 + (8 + 1000 + 2 + 2 padding) = 1076 bytes per job
      {{"crypto.max_job_bytes=1075", "traffic.esp={payload_bytes: 1000}"},
       "key 'traffic.esp.payload_bytes': packets with 1000 payload bytes need crypto jobs of 1076 "
       "bytes, above "
       "crypto.max_job_bytes (1075)"},
      {{"traffic.esp={colour: red}"}, "key 'traffic.esp.colour': unknown key"},
  };
  expect_load_errors(g, cases);
  EXPECT_EQ(load_scenario(g, {"crypto.max_job_bytes=1076", "traffic.esp={payload_bytes: 1000}"})
                .crypto.max_job_bytes,
            1076u);
  // A malformed packet with zeroed padding may need 4 bytes more: 64 + 8 + 1002 + 4 + 2.
  EXPECT_NE(load_error(g, {"crypto.max_job_bytes=1076",
                           "traffic.esp={payload_bytes: 1002, malformed_every: 5}"})
                .find("need crypto jobs of 1080 bytes"),
            std::string::npos);
}

}  // namespace crypto_ipsec_scenario_test
}  // namespace irqlab::cosim
