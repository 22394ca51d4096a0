#include "net/pcap_file.h"

#include <cstring>
#include <limits>
#include <pcap/pcap.h>

namespace irqlab::models::net {

PcapReader::PcapReader(const std::filesystem::path& file, std::size_t max_frame_bytes)
    : file_(file), max_frame_bytes_(max_frame_bytes) {
  char error[PCAP_ERRBUF_SIZE] = {};
  // Nanosecond precision whatever the file's: microsecond files are scaled by libpcap.
  handle_ =
      pcap_open_offline_with_tstamp_precision(file.c_str(), PCAP_TSTAMP_PRECISION_NANO, error);
  if (handle_ == nullptr) throw PcapError(file_.string() + ": not a readable pcap file: " + error);
  const int link = pcap_datalink(handle_);
  if (link != DLT_EN10MB) {
    // libpcap maps the file's LINKTYPE_ value to its DLT_ value, which it names.
    const char* name = pcap_datalink_val_to_name(link);
    const char* description = pcap_datalink_val_to_description(link);
    pcap_close(handle_);
    handle_ = nullptr;
    throw PcapError(file_.string() + ": link type " + (name ? name : "unknown") + " (" +
                    (description ? description : "no description") + ", DLT " +
                    std::to_string(link) + "), expected Ethernet (EN10MB, DLT 1)");
  }
}

PcapReader::~PcapReader() {
  if (handle_ != nullptr) pcap_close(handle_);
}

void PcapReader::fail_record(const std::string& what) const {
  throw PcapError(file_.string() + ": record " + std::to_string(records_) + ": " + what);
}

std::optional<PcapRecord> PcapReader::next() {
  pcap_pkthdr* header = nullptr;
  const u_char* data = nullptr;
  ++records_;
  const int status = pcap_next_ex(handle_, &header, &data);
  if (status == PCAP_ERROR_BREAK) {
    --records_;
    return std::nullopt;
  }
  if (status != 1) fail_record(std::string("malformed or truncated: ") + pcap_geterr(handle_));
  if (header->caplen < header->len)
    fail_record("captured " + std::to_string(header->caplen) + " of its " +
                std::to_string(header->len) +
                " bytes (snapshot length too short); a replay needs whole frames");
  if (header->caplen > max_frame_bytes_)
    fail_record(std::to_string(header->caplen) + " bytes, longer than the longest frame (" +
                std::to_string(max_frame_bytes_) + " bytes without FCS)");
  PcapRecord record;
  record.number = records_;
  // With nanosecond precision ts.tv_usec holds nanoseconds.
  record.time_ns = static_cast<std::uint64_t>(header->ts.tv_sec) * 1'000'000'000ULL +
                   static_cast<std::uint64_t>(header->ts.tv_usec);
  record.bytes.assign(data, data + header->caplen);
  return record;
}

PcapWriter::PcapWriter(const std::filesystem::path& file, std::uint64_t clock_period_ps)
    : file_(file), clock_period_ps_(clock_period_ps) {
  handle_ = pcap_open_dead_with_tstamp_precision(
      DLT_EN10MB, std::numeric_limits<std::uint16_t>::max(), PCAP_TSTAMP_PRECISION_NANO);
  if (handle_ == nullptr) throw PcapError(file_.string() + ": libpcap could not start a capture");
  dumper_ = pcap_dump_open(handle_, file.c_str());
  if (dumper_ == nullptr) {
    const std::string why = pcap_geterr(handle_);
    pcap_close(handle_);
    throw PcapError(file_.string() + ": cannot write: " + why);
  }
}

PcapWriter::~PcapWriter() {
  pcap_dump_close(dumper_);
  pcap_close(handle_);
}

void PcapWriter::write(Cycle cycle, std::span<const std::uint8_t> frame) {
  const auto ns =
      static_cast<std::uint64_t>(static_cast<unsigned __int128>(cycle) * clock_period_ps_ / 1000);
  pcap_pkthdr header{};
  header.ts.tv_sec = static_cast<time_t>(ns / 1'000'000'000ULL);
  header.ts.tv_usec =
      static_cast<suseconds_t>(ns % 1'000'000'000ULL);  // nanoseconds: see the dead handle
  header.caplen = static_cast<bpf_u_int32>(frame.size());
  header.len = header.caplen;
  pcap_dump(reinterpret_cast<u_char*>(dumper_), &header, frame.data());
}

void PcapWriter::flush() {
  if (pcap_dump_flush(dumper_) != 0) throw PcapError(file_.string() + ": write failed");
}

}  // namespace irqlab::models::net
