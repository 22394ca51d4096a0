// Pcap files (models/net/pcap_file.h): a written file reads back byte for byte with its
// timestamps, tshark reads it, and bad files (built byte by byte here, in the classic
// pcap format) give the documented errors naming the file and the record. Replay through
// the traffic source honours, rescales or drops the timestamps.
#include <cstdio>
#include <fstream>
#include <gtest/gtest.h>
#include <memory>

#include "net/pcap_file.h"
#include "net/traffic.h"
#include "net_test_support.h"

namespace irqlab::models::net {
namespace net_pcap_test {

// A classic pcap file: microsecond timestamps, little-endian.
class PcapBytes {
 public:
  explicit PcapBytes(std::uint32_t link_type = 1, std::uint32_t snaplen = 65535) {
    put32(0xa1b2c3d4);
    put16(2);
    put16(4);
    put32(0);
    put32(0);
    put32(snaplen);
    put32(link_type);
  }
  PcapBytes& record(std::uint32_t sec, std::uint32_t usec, const Frame& data,
                    std::uint32_t len = 0) {
    put32(sec);
    put32(usec);
    put32(static_cast<std::uint32_t>(data.size()));
    put32(len != 0 ? len : static_cast<std::uint32_t>(data.size()));
    bytes_.insert(bytes_.end(), data.begin(), data.end());
    return *this;
  }
  PcapBytes& cut(std::size_t n) {
    bytes_.resize(bytes_.size() - n);
    return *this;
  }
  std::filesystem::path save(const std::string& name) const {
    std::filesystem::path file = test::scratch(name);
    std::ofstream(file, std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes_.data()),
               static_cast<std::streamsize>(bytes_.size()));
    return file;
  }

 private:
  void put16(std::uint16_t v) {
    for (int i = 0; i < 2; ++i) bytes_.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  }
  void put32(std::uint32_t v) {
    for (int i = 0; i < 4; ++i) bytes_.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  }
  std::vector<std::uint8_t> bytes_;
};

std::string read_error(const std::filesystem::path& file) {
  try {
    PcapReader reader(file);
    while (reader.next()) {
    }
  } catch (const PcapError& e) {
    return e.what();
  }
  return "no error";
}

std::string run(const std::string& command) {
  std::string out;
  const std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  char buffer[4096];
  while (pipe && std::fgets(buffer, sizeof buffer, pipe.get()) != nullptr) out += buffer;
  return out;
}

TEST(Pcap, WrittenFramesReadBackByteForByte) {
  const std::filesystem::path file = test::scratch("round_trip.pcap");
  constexpr std::uint64_t kPeriod = 3333;  // ps: timestamps are cycle x 3333 ps, in whole ns
  const std::vector<Cycle> cycles = {0, 1, 7, 300'000'001, 9'000'000'000'000ULL};
  std::vector<Frame> frames;
  {
    PcapWriter writer(file, kPeriod);
    for (std::size_t i = 0; i < cycles.size(); ++i) {
      frames.push_back(test::pattern_frame(i == 2 ? 1514 : 60 + i, static_cast<unsigned>(i)));
      writer.write(cycles[i], frames.back());
    }
    writer.flush();  // readable while the writer is open (a run that stops keeps its frames)
    EXPECT_EQ(PcapReader(file).next()->bytes, frames[0]);
  }
  PcapReader reader(file);
  for (std::size_t i = 0; i < cycles.size(); ++i) {
    const std::optional<PcapRecord> r = reader.next();
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->number, i + 1);
    EXPECT_EQ(r->bytes, frames[i]);
    EXPECT_EQ(r->time_ns, cycles[i] * kPeriod / 1000) << i;
  }
  EXPECT_FALSE(reader.next().has_value());
}

TEST(Pcap, TsharkDecodesGeneratedTraffic) {
  TrafficSpec spec;
  spec.frame_bytes = {60, 1514};
  spec.count = 5;
  spec.rate_pps = 1'000'000;
  const auto source = make_traffic(spec, 11);
  const std::filesystem::path file = test::scratch("tshark.pcap");
  std::string expected;
  {
    PcapWriter writer(file, 10'000);
    Cycle cycle = 100;
    while (std::optional<TimedFrame> f = source->next()) {
      writer.write(cycle, f->bytes);
      // time (cycle x 10 ns), length, station address, IPv4 destination, UDP port and
      // length, header checksum good (1)
      char time[32];
      std::snprintf(time, sizeof time, "0.%09llu", static_cast<unsigned long long>(cycle) * 10);
      expected += std::string(time) + "\t" + std::to_string(f->bytes.size()) +
                  "\t52:54:00:12:34:56\t10.0.0.2\t9\t" + std::to_string(f->bytes.size() - 34) +
                  "\t1\n";
      cycle += 1000;
    }
  }
  // tshark's own notes go to stderr; its fields to stdout.
  EXPECT_EQ(run(std::string(TSHARK_BINARY) + " -r " + file.string() +
                " -o ip.check_checksum:TRUE -T fields -e frame.time_epoch -e frame.len -e eth.dst "
                "-e ip.dst"
                " -e udp.dstport -e udp.length -e ip.checksum.status 2>/dev/null"),
            expected);
}

TEST(Pcap, MicrosecondFilesReadInNanoseconds) {
  const std::filesystem::path file = PcapBytes()
                                         .record(2, 5, test::pattern_frame(60))
                                         .record(2, 999'999, test::pattern_frame(70))
                                         .save("usec.pcap");
  PcapReader reader(file);
  EXPECT_EQ(reader.next()->time_ns, 2'000'005'000u);
  EXPECT_EQ(reader.next()->time_ns, 2'999'999'000u);
  EXPECT_FALSE(reader.next().has_value());
}

TEST(Pcap, BadFilesNameTheFileAndTheRecord) {
  const Frame frame = test::pattern_frame(60);
  const std::filesystem::path missing = test::scratch("does_not_exist.pcap");
  EXPECT_NE(read_error(missing).find(missing.string() + ": not a readable pcap file"),
            std::string::npos)
      << read_error(missing);

  std::filesystem::path f = test::scratch("garbage.pcap");
  std::ofstream(f) << "this is not a capture file at all, just text\n";
  EXPECT_NE(read_error(f).find(f.string() + ": not a readable pcap file"), std::string::npos)
      << read_error(f);

  f = PcapBytes(101).record(0, 0, frame).save("raw_ip.pcap");  // LINKTYPE_RAW
  EXPECT_NE(read_error(f).find(
                f.string() + ": link type RAW (Raw IP, DLT 12), expected Ethernet (EN10MB, DLT 1)"),
            std::string::npos)
      << read_error(f);

  f = PcapBytes().record(0, 0, frame).record(0, 1, frame).cut(10).save("truncated_data.pcap");
  EXPECT_NE(read_error(f).find(f.string() + ": record 2: malformed or truncated"),
            std::string::npos)
      << read_error(f);

  f = PcapBytes()
          .record(0, 0, frame)
          .record(0, 1, frame)
          .record(0, 2, frame)
          .cut(60 + 8)
          .save("truncated_header.pcap");
  EXPECT_NE(read_error(f).find(f.string() + ": record 3: malformed or truncated"),
            std::string::npos)
      << read_error(f);

  f = PcapBytes().record(0, 0, frame).record(0, 1, test::pattern_frame(1515)).save("too_long.pcap");
  EXPECT_NE(read_error(f).find(f.string() +
                               ": record 2: 1515 bytes, longer than the longest frame (1514 bytes"),
            std::string::npos)
      << read_error(f);

  f = PcapBytes().record(0, 0, frame, 100).save("snapped.pcap");
  EXPECT_NE(read_error(f).find(f.string() + ": record 1: captured 60 of its 100 bytes"),
            std::string::npos)
      << read_error(f);

  TrafficSpec spec;
  spec.pattern = TrafficPattern::Pcap;
  spec.pcap.file = f;
  EXPECT_THROW(check_traffic(spec), PcapError);
}

TEST(Pcap, ReplayHonoursRescalesOrDropsTimestamps) {
  const Frame a = test::pattern_frame(42);  // shorter than the minimum: padded to 60
  const Frame b = test::pattern_frame(100, 1);
  const Frame c = test::pattern_frame(200, 2);
  const std::filesystem::path file =
      PcapBytes().record(10, 0, a).record(10, 3, b).record(10, 2, c).save(
          "replay.pcap");  // c goes back in time
  TrafficSpec spec;
  spec.pattern = TrafficPattern::Pcap;
  spec.pcap.file = file;
  spec.start_ps = 500;
  check_traffic(spec);
  const auto frames_of = [](const TrafficSpec& s) {
    const auto source = make_traffic(s, 1);
    std::vector<TimedFrame> out;
    while (std::optional<TimedFrame> f = source->next()) out.push_back(std::move(*f));
    return out;
  };
  std::vector<TimedFrame> frames = frames_of(spec);
  ASSERT_EQ(frames.size(), 3u);
  Frame padded = a;
  padded.resize(60, 0);
  EXPECT_EQ(frames[0].bytes, padded);
  EXPECT_EQ(frames[1].bytes, b);
  EXPECT_EQ(frames[2].bytes, c);
  EXPECT_EQ(frames[0].earliest_ps, 500u);
  EXPECT_EQ(frames[1].earliest_ps, 500u + 3'000'000);
  EXPECT_EQ(frames[2].earliest_ps, 500u + 3'000'000);  // not before the record before it

  spec.pcap.time_scale = 0.5;
  frames = frames_of(spec);
  EXPECT_EQ(frames[1].earliest_ps, 500u + 1'500'000);

  spec.pcap.timing = PcapTiming::BackToBack;
  spec.line_rate_gbps = 1;
  frames = frames_of(spec);
  EXPECT_EQ(frames[1].earliest_ps, 500u + (8 + 60 + 4 + 12) * 8000);
  EXPECT_EQ(frames[2].earliest_ps, 500u + (8 + 60 + 4 + 12) * 8000 + (8 + 100 + 4 + 12) * 8000);

  spec.count = 2;
  EXPECT_EQ(frames_of(spec).size(), 2u);
}

}  // namespace net_pcap_test
}  // namespace irqlab::models::net
