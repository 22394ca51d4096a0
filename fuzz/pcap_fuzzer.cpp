// libFuzzer target: the pcap replay path (models/net/pcap_file, the pcap pattern of
// models/net/traffic) on arbitrary files.
//
// Input: the bytes of a pcap file, written to a scratch file. Each input is checked as a
// run would check it (check_traffic, which reads every record through PcapReader), and
// when accepted it is replayed with both timings (timestamps, time scale 1; back to back).
// Contract checked (pcap_file.h, traffic.h): a bad file or record is a PcapError; an
// accepted file replays with non-decreasing start times and frames of kMinFrameBytes to
// kMaxFrameBytes bytes. Anything else, a crash or a sanitizer report, is a finding.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>

#include "fuzz_scratch.h"
#include "net/pcap_file.h"
#include "net/traffic.h"

namespace {

using namespace irqlab::models::net;

std::unique_ptr<irqlab::fuzz::FuzzScratch> scratch;

void replay(TrafficSpec spec, PcapTiming timing) {
  spec.pcap.timing = timing;
  const std::unique_ptr<TrafficSource> source = make_traffic(spec, 1);
  std::uint64_t previous = 0;
  while (const std::optional<TimedFrame> frame = source->next()) {
    if (frame->earliest_ps < previous) std::abort();  // out of order
    if (frame->bytes.size() < kMinFrameBytes || frame->bytes.size() > kMaxFrameBytes)
      std::abort();  // a frame the MAC cannot send
    previous = frame->earliest_ps;
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  scratch = std::make_unique<irqlab::fuzz::FuzzScratch>("pcap");
  std::atexit([] { scratch.reset(); });
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  TrafficSpec spec;
  spec.present = true;
  spec.pattern = TrafficPattern::Pcap;
  spec.pcap.file = scratch->write("input.pcap", data, size);
  try {
    check_traffic(spec);
  } catch (const PcapError&) {
    return 0;  // rejected before a run: the documented outcome of a bad file
  }
  // Accepted: the replay must read it to the end without an error.
  replay(spec, PcapTiming::Timestamps);
  replay(spec, PcapTiming::BackToBack);
  return 0;
}
