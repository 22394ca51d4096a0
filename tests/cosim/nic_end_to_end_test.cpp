// End to end with the NIC: the irqlab binary on small scenarios with a nic: block and
// traffic, its results.json `nic` block and its pcap files read back with libpcap.
// Expected values come from the traffic the test asks for (frames it builds itself, counts
// it sets), never from the simulator's own figures alone.
#include <algorithm>
#include <gtest/gtest.h>
#include <pcap/pcap.h>
#include <regex>
#include <string>
#include <vector>

#include "e2e_support.h"

namespace irqlab::test {
namespace nic_end_to_end_test {

using Frame = std::vector<std::uint8_t>;

// The records of a pcap file, in order (libpcap).
std::vector<Frame> read_pcap(const std::filesystem::path& file) {
  std::array<char, PCAP_ERRBUF_SIZE> error{};
  pcap_t* handle = pcap_open_offline_with_tstamp_precision(file.c_str(), PCAP_TSTAMP_PRECISION_NANO,
                                                           error.data());
  if (handle == nullptr)
    throw std::runtime_error(std::string("cannot read ") + file.string() + ": " + error.data());
  std::vector<Frame> frames;
  pcap_pkthdr* header = nullptr;
  const u_char* data = nullptr;
  while (pcap_next_ex(handle, &header, &data) == 1)
    frames.emplace_back(data, data + header->caplen);
  pcap_close(handle);
  return frames;
}

// Writes `frames` as an Ethernet pcap, one every `gap_us` microseconds (libpcap).
void write_pcap(const std::filesystem::path& file, const std::vector<Frame>& frames,
                unsigned gap_us) {
  pcap_t* dead = pcap_open_dead(DLT_EN10MB, 65535);
  pcap_dumper_t* dumper = pcap_dump_open(dead, file.c_str());
  ASSERT_NE(dumper, nullptr);
  for (std::size_t i = 0; i < frames.size(); ++i) {
    pcap_pkthdr header{};
    header.ts.tv_sec = 1;
    header.ts.tv_usec = static_cast<suseconds_t>(i * gap_us);
    header.caplen = header.len = static_cast<bpf_u_int32>(frames[i].size());
    pcap_dump(reinterpret_cast<u_char*>(dumper), &header, frames[i].data());
  }
  pcap_dump_close(dumper);
  pcap_close(dead);
}

// Broadcast Ethernet II frames of varied lengths, each with its own bytes.
std::vector<Frame> test_frames(unsigned n) {
  std::vector<Frame> frames;
  for (unsigned k = 0; k < n; ++k) {
    Frame f(60 + (k * 197) % 1455);
    for (unsigned i = 0; i < 6; ++i) f[i] = 0xFF;
    for (unsigned i = 6; i < f.size(); ++i) f[i] = static_cast<std::uint8_t>(k * 31 + i);
    f[12] = 0x88;  // a local experimental EtherType
    f[13] = 0xB5;
    frames.push_back(std::move(f));
  }
  return frames;
}

// A cost profile like the default one, with the protocol input of a frame costing `cycles`.
std::string cost_profile_with_rx_frame(const std::filesystem::path& dir, unsigned cycles) {
  const std::string text =
      std::regex_replace(read_text(kCostProfile), std::regex(R"(nic_rx_frame:\s*\d+)"),
                         "nic_rx_frame: " + std::to_string(cycles));
  write_text(dir / "costs.yaml", text);
  return (dir / "costs.yaml").string();
}

std::string nic_scenario(const std::string& cost_profile, const std::string& nic,
                         const std::string& traffic, std::uint64_t cycles,
                         const std::string& personality = "linux") {
  return "name: nic-e2e\nseed: 3\nduration_cycles: " + std::to_string(cycles) +
         "\nplatform:\n  harts: 2\n  clock_period_ps: 10000\n  bus: { request_cycles: 1, "
         "response_cycles: 1 }\n"
         "kernel:\n  cost_profile: " +
         cost_profile + "\n  tick_period: 0\n  personality: " + personality + "\nnic: " + nic +
         "\ntraffic: " + traffic + "\n";
}

TEST(NicEndToEnd, BurstOverflowingTheFifoUnderASlowHandlerCountsEveryDrop) {
  const auto dir = scratch_dir("nic_overflow_costs");  // run_scenario makes its own fresh dir
  const std::string costs = cost_profile_with_rx_frame(dir, 20'000);  // 200 us a frame
  constexpr unsigned kFrames = 40;
  const RunOutput r = run_scenario(
      "nic_overflow",
      nic_scenario(costs, "{ rx_descriptors: 8, polling: true, budget: 8 }",
                   "{ pattern: constant, rate_pps: 0, count: " + std::to_string(kFrames) +
                       ", frame_bytes: 1514, start_ns: 50000 }",
                   600'000));
  ASSERT_EQ(r.process.exit_status, 0) << r.process.output;
  const auto& nic = r.results["nic"];
  const std::uint64_t dropped = nic["dropped"]["fifo_overflow"];
  EXPECT_EQ(nic["offered"], kFrames);
  EXPECT_GT(dropped, 0U) << "the burst must overflow the FIFO";
  EXPECT_EQ(dropped, nic["counters"]["mpc"]["total"]) << "drops equal the RTL's MPC";
  EXPECT_EQ(nic["dropped"]["length"], 0U);
  EXPECT_EQ(nic["undelivered"], 0U) << "the run must be long enough to drain the ring";
  const std::vector<Frame> delivered = read_pcap(r.dir / "out/rx-delivered.pcap");
  EXPECT_EQ(kFrames - delivered.size(), dropped) << "drops equal the frames missing from the pcap";
  EXPECT_EQ(nic["delivered"], delivered.size());
  EXPECT_EQ(nic["mismatched"], 0U);
}

TEST(NicEndToEnd, ReplayedPcapIsDeliveredByteForByte) {
  const auto dir = scratch_dir("nic_replay_in");
  const std::vector<Frame> frames = test_frames(12);
  write_pcap(dir / "in.pcap", frames, 40);
  const RunOutput r = run_scenario(
      "nic_replay", nic_scenario(kCostProfile, "{ rx_descriptors: 16 }",
                                 "{ pattern: pcap, pcap: { file: " + (dir / "in.pcap").string() +
                                     " }, start_ns: 50000 }",
                                 120'000));
  ASSERT_EQ(r.process.exit_status, 0) << r.process.output;
  EXPECT_EQ(read_pcap(r.dir / "out/rx-delivered.pcap"), frames);
  EXPECT_EQ(r.results["nic"]["dropped"]["fifo_overflow"], 0U);
}

TEST(NicEndToEnd, EchoSendsEveryDeliveredFrameBackWithItsAddressesSwapped) {
  const auto dir = scratch_dir("nic_echo_in");
  const std::vector<Frame> frames = test_frames(12);
  write_pcap(dir / "in.pcap", frames, 40);
  const RunOutput r = run_scenario(
      "nic_echo",
      nic_scenario(
          kCostProfile, "{ rx_descriptors: 16, tx_descriptors: 16, echo: true }",
          "{ pattern: pcap, pcap: { file: " + (dir / "in.pcap").string() + " }, start_ns: 50000 }",
          150'000));
  ASSERT_EQ(r.process.exit_status, 0) << r.process.output;
  std::vector<Frame> expected = frames;  // destination and source MAC exchanged
  for (Frame& f : expected) std::swap_ranges(f.begin(), f.begin() + 6, f.begin() + 6);
  EXPECT_EQ(read_pcap(r.dir / "out/tx.pcap"), expected) << "the wire carries the echoed frames";
  EXPECT_EQ(r.results["nic"]["sent"], frames.size());
  EXPECT_EQ(r.results["nic"]["transmitted"], frames.size());
  EXPECT_EQ(r.results["nic"]["counters"]["gptc"]["total"], frames.size()) << "the RTL's GPTC";
}

TEST(NicEndToEnd, TheFourPersonalitiesDeliverTheSamePackets) {
  const RunOutput r = run_scenario(
      "nic_personalities",
      nic_scenario(
          kCostProfile, "{ rx_descriptors: 32, itr: 40 }",
          "{ pattern: poisson, rate_pps: 50000, count: 10, frame_bytes: { min: 60, max: 1514 }, "
          "start_ns: 50000 }",
          150'000, "[linux, freebsd, netbsd, bsd43]"));
  ASSERT_EQ(r.process.exit_status, 0) << r.process.output;
  const std::vector<Frame> linux_frames = read_pcap(r.dir / "out/linux/rx-delivered.pcap");
  EXPECT_EQ(linux_frames.size(), 10U);
  for (const char* personality : {"freebsd", "netbsd", "bsd43"}) {
    EXPECT_EQ(read_pcap(r.dir / "out" / personality / "rx-delivered.pcap"), linux_frames)
        << personality;
    EXPECT_EQ(r.results["runs"][personality]["nic"]["dropped"]["fifo_overflow"], 0U) << personality;
  }
}

}  // namespace nic_end_to_end_test
}  // namespace irqlab::test
