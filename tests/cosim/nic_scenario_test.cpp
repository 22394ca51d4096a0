// The nic: and traffic: blocks of a scenario (docs/scenario-format.md): defaults from the
// NicConfig (kernel/drivers/nic/nic_config.h), ranges from the NIC's registers
// (16-bit ITR/RDTR/RADV fields, rings of 8..256 descriptors in multiples of 8, the four
// RCTL.BSIZE sizes), and errors naming file, line and key.
#include <fstream>
#include <gtest/gtest.h>

#include "net/pcap_file.h"
#include "scenario/scenario.h"
#include "scenario_file_support.h"

namespace irqlab::cosim {
namespace nic_scenario_test {

const ScenarioFiles kScenarios{"nic_scenario"};

TEST(NicScenario, AbsentBlocksLeaveTheNicOut) {
  const Scenario s = load_scenario(kScenarios.write("none", ""));
  EXPECT_FALSE(s.nic.present);
  EXPECT_FALSE(s.traffic.present);
}

TEST(NicScenario, AnEmptyNicBlockTakesTheContractDefaults) {
  const Scenario s = load_scenario(kScenarios.write("nic_defaults", "nic: {}\n"));
  EXPECT_TRUE(s.nic.present);
  EXPECT_EQ(s.nic.priority, 3u);
  EXPECT_TRUE(s.nic.cpus.empty());
  EXPECT_EQ(s.nic.rx_descriptors, 64u);
  EXPECT_EQ(s.nic.tx_descriptors, 64u);
  EXPECT_EQ(s.nic.buffer_size, 2048u);
  EXPECT_EQ(s.nic.itr, 0u);
  EXPECT_EQ(s.nic.rdtr, 0u);
  EXPECT_EQ(s.nic.radv, 0u);
  EXPECT_TRUE(s.nic.polling);
  EXPECT_EQ(s.nic.budget, 64u);
  EXPECT_FALSE(s.nic.echo);
}

TEST(NicScenario, NicKeysAreRead) {
  const Scenario s = load_scenario(kScenarios.write(
      "nic_set",
      "nic:\n  priority: 5\n  cpus: [1]\n  rx_descriptors: 256\n  tx_descriptors: 8\n  "
      "buffer_size: 512\n"
      "  itr: 500\n  rdtr: 32\n  radv: 65535\n  polling: false\n  budget: 16\n  echo: true\n"));
  EXPECT_EQ(s.nic.priority, 5u);
  EXPECT_EQ(s.nic.cpus, std::vector<unsigned>{1});
  EXPECT_EQ(s.nic.rx_descriptors, 256u);
  EXPECT_EQ(s.nic.tx_descriptors, 8u);
  EXPECT_EQ(s.nic.buffer_size, 512u);
  EXPECT_EQ(s.nic.itr, 500u);
  EXPECT_EQ(s.nic.rdtr, 32u);
  EXPECT_EQ(s.nic.radv, 65535u);
  EXPECT_FALSE(s.nic.polling);
  EXPECT_EQ(s.nic.budget, 16u);
  EXPECT_TRUE(s.nic.echo);
}

TEST(NicScenario, NicErrorsNameFileLineAndKey) {
  const std::filesystem::path f = kScenarios.write("nic_bad", "nic:\n  rx_descriptors: 12\n");
  EXPECT_NE(load_error(f).find(f.string() +
                               ":5: key 'nic.rx_descriptors': must be a multiple of 8, got 12"),
            std::string::npos)
      << load_error(f);
  const std::pair<const char*, const char*> cases[] = {
      {"nic.rx_descriptors=264", "key 'nic.rx_descriptors': must be between 8 and 256, got 264"},
      {"nic.tx_descriptors=4", "key 'nic.tx_descriptors': must be between 8 and 256, got 4"},
      {"nic.buffer_size=4096", "key 'nic.buffer_size': must be between 256 and 2048, got 4096"},
      {"nic.buffer_size=768", "key 'nic.buffer_size': must be 256, 512, 1024 or 2048, got 768"},
      {"nic.priority=8", "key 'nic.priority': must be between 1 and 7, got 8"},
      {"nic.itr=65536", "key 'nic.itr': must be between 0 and 65535, got 65536"},
      {"nic.rdtr=70000", "key 'nic.rdtr': must be between 0 and 65535, got 70000"},
      {"nic.cpus=[2]", "key 'nic.cpus[0]': must be below platform.harts (2), got 2"},
      {"nic.budget=0", "key 'nic.budget': must be between 1 and 65535, got 0"},
      {"nic.polling=7", "key 'nic.polling'"},
      {"nic.rx_fifo_bytes=8192", "key 'nic.rx_fifo_bytes': unknown key"},
  };
  const std::filesystem::path g = kScenarios.write("nic_ok", "nic: {}\n");
  expect_load_errors(g, cases);
}

TEST(NicScenario, TrafficDefaultsAndDestination) {
  const Scenario s = load_scenario(kScenarios.write("traffic_defaults", "traffic: {}\n"));
  EXPECT_TRUE(s.traffic.present);
  EXPECT_EQ(s.traffic.line_rate_gbps, 10u);
  EXPECT_EQ(s.traffic.pattern, models::net::TrafficPattern::Constant);
  EXPECT_EQ(s.traffic.rate_pps, 0u);
  EXPECT_EQ(s.traffic.start_ps, 0u);
  EXPECT_EQ(s.traffic.frame_bytes.min, 60u);
  EXPECT_EQ(s.traffic.frame_bytes.max, 60u);
  EXPECT_EQ(s.traffic.count, 0u);
  EXPECT_FALSE(s.traffic.duration_ps.has_value());
  // The station address NicConfig defaults to: 52:54:00:12:34:56.
  const models::net::MacAddress station = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
  EXPECT_EQ(s.traffic.destination, station);
}

TEST(NicScenario, TrafficPatternsAndTheirKeys) {
  Scenario s = load_scenario(kScenarios.write(
      "poisson",
      "traffic:\n  pattern: poisson\n  line_rate_gbps: 25\n  rate_pps: 250000\n  start_ns: 40\n"
      "  frame_bytes: {min: 64, max: 1514}\n  count: 100\n  duration_ns: 1000000\n"));
  EXPECT_EQ(s.traffic.pattern, models::net::TrafficPattern::Poisson);
  EXPECT_EQ(s.traffic.line_rate_gbps, 25u);
  EXPECT_EQ(s.traffic.rate_pps, 250'000u);
  EXPECT_EQ(s.traffic.start_ps, 40'000u);
  EXPECT_EQ(s.traffic.frame_bytes.min, 64u);
  EXPECT_EQ(s.traffic.frame_bytes.max, 1514u);
  EXPECT_EQ(s.traffic.count, 100u);
  EXPECT_EQ(s.traffic.duration_ps, 1'000'000'000u);
  s = load_scenario(kScenarios.write(
      "bursts",
      "traffic:\n  pattern: bursts\n  burst_frames: 32\n  burst_period_ns: 500000\n"
      "  frame_bytes: 1514\n  line_rate_gbps: 1\n"));
  EXPECT_EQ(s.traffic.pattern, models::net::TrafficPattern::Bursts);
  EXPECT_EQ(s.traffic.burst_frames, 32u);
  EXPECT_EQ(s.traffic.burst_period_ps, 500'000'000u);
  EXPECT_EQ(s.traffic.frame_bytes.min, 1514u);
  EXPECT_EQ(s.traffic.frame_bytes.max, 1514u);
}

TEST(NicScenario, TrafficErrorsNameFileLineAndKey) {
  const std::filesystem::path f = kScenarios.write("traffic_bad", "traffic:\n  pattern: poisson\n");
  EXPECT_NE(load_error(f).find(f.string() +
                               ":5: key 'traffic.pattern': poisson traffic needs rate_pps above 0"),
            std::string::npos)
      << load_error(f);
  const std::filesystem::path g = kScenarios.write("traffic_ok", "traffic: {}\n");
  const std::vector<std::pair<std::vector<std::string>, const char*>> cases = {
      {{"traffic.line_rate_gbps=5"}, "key 'traffic.line_rate_gbps': must be 1, 10 or 25, got 5"},
      {{"traffic.line_rate_gbps=40"},
       "key 'traffic.line_rate_gbps': must be between 1 and 25, got 40"},
      {{"traffic.pattern=tcp"},
       "key 'traffic.pattern': expected constant, poisson, bursts or pcap, got 'tcp'"},
      {{"traffic.frame_bytes=59"},
       "key 'traffic.frame_bytes': must be between 60 and 1514, got 59"},
      {{"traffic.frame_bytes={min: 100, max: 80}"},
       "key 'traffic.frame_bytes.max': must be at least min"},
      {{"traffic.frame_bytes={min: 100, max: 1515}"},
       "key 'traffic.frame_bytes.max': must be between 60 and 1514"},
      {{"traffic.pattern=poisson", "traffic.rate_pps=0"},
       "key 'traffic.rate_pps': poisson traffic needs rate_pps above 0"},
      {{"traffic.burst_frames=4"}, "key 'traffic.burst_frames': only with traffic.pattern bursts"},
      {{"traffic.pattern=bursts", "traffic.burst_frames=4"}, "key 'traffic.burst_period_ns'"},
      {{"traffic.pattern=bursts", "traffic.burst_frames=0", "traffic.burst_period_ns=5"},
       "key 'traffic.burst_frames': must be at least 1, got 0"},
      {{"traffic.pcap={file: x.pcap}"}, "key 'traffic.pcap': only with traffic.pattern pcap"},
      {{"traffic.pattern=pcap"}, "key 'traffic.pcap'"},
      {{"traffic.pattern=pcap", "traffic.frame_bytes=60", "traffic.pcap={file: x.pcap}"},
       "key 'traffic.frame_bytes': only with traffic.pattern constant, poisson or bursts"},
      {{"traffic.colour=red"}, "key 'traffic.colour': unknown key"},
  };
  expect_load_errors(g, cases);
}

TEST(NicScenario, PcapPathIsRelativeToTheScenarioAndChecked) {
  const std::filesystem::path dir = kScenarios.dir() / "replay";
  std::filesystem::create_directories(dir);
  {
    models::net::PcapWriter good(dir / "good.pcap", 10'000);
    good.write(0, models::net::Frame(60, 0xAB));
    models::net::PcapWriter bad(dir / "long.pcap", 10'000);
    bad.write(0, models::net::Frame(60, 0xAB));
    bad.write(1, models::net::Frame(1515, 0xCD));
  }
  const std::filesystem::path scenario = dir / "replay.yaml";
  std::ofstream(scenario)
      << "duration_cycles: 1000\nkernel:\n  cost_profile: " << kDefaultCosts.string()
      << "\ntraffic:\n  pattern: pcap\n  pcap:\n    file: good.pcap\n    time_scale: 2.5\n";
  const Scenario s = load_scenario(scenario);
  EXPECT_EQ(s.traffic.pattern, models::net::TrafficPattern::Pcap);
  EXPECT_EQ(s.traffic.pcap.file, dir / "good.pcap");
  EXPECT_EQ(s.traffic.pcap.timing, models::net::PcapTiming::Timestamps);
  EXPECT_EQ(s.traffic.pcap.time_scale, 2.5);
  EXPECT_EQ(load_scenario(scenario, {"traffic.pcap={file: good.pcap, timing: back_to_back}"})
                .traffic.pcap.timing,
            models::net::PcapTiming::BackToBack);

  std::string e = load_error(scenario, {"traffic.pcap.timing=back_to_back"});
  EXPECT_NE(e.find("key 'traffic.pcap.time_scale': only with traffic.pcap.timing timestamps"),
            std::string::npos)
      << e;
  e = load_error(scenario, {"traffic.pcap.file=long.pcap"});
  EXPECT_NE(e.find("key 'traffic.pcap.file': " + (dir / "long.pcap").string() +
                   ": record 2: 1515 bytes, longer than the longest frame"),
            std::string::npos)
      << e;
  e = load_error(scenario, {"traffic.pcap.file=missing.pcap"});
  EXPECT_NE(e.find("key 'traffic.pcap.file': " + (dir / "missing.pcap").string() +
                   ": not a readable pcap file"),
            std::string::npos)
      << e;
  e = load_error(scenario, {"traffic.pcap.time_scale=0"});
  EXPECT_NE(e.find("key 'traffic.pcap.time_scale': must be above 0"), std::string::npos) << e;
  e = load_error(scenario, {"traffic.pcap.timing=fast"});
  EXPECT_NE(e.find("key 'traffic.pcap.timing': expected timestamps or back_to_back, got 'fast'"),
            std::string::npos)
      << e;
}

}  // namespace nic_scenario_test
}  // namespace irqlab::cosim
