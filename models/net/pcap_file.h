#pragma once
// Pcap files through libpcap: the replay source's reader and the writer of the frames a
// run delivers and transmits.
//
// Reader: Ethernet files only (link type DLT_EN10MB), classic pcap in micro- or
// nanosecond resolution (and what else libpcap's pcap_open_offline reads); records hold
// frames without FCS, at most `max_frame_bytes` long and captured whole (caplen == len).
// Every failure throws PcapError whose message names the file and, for a record, its
// number (1-based): "<file>: record 7: truncated: ...".
//
// Writer: classic pcap with NANOSECOND timestamps (magic 0xa1b23c4d; tshark, Wireshark
// and libpcap read it). A record's timestamp is the simulated time of its cycle,
// cycle × clock period, in whole nanoseconds (rounded down), from time 0 at cycle 0.
//
// Neither class is thread-safe; each belongs to the one simulation thread.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>

#include "net/ethernet.h"

struct pcap;
struct pcap_dumper;

namespace irqlab::models::net {

class PcapError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct PcapRecord {
  std::uint64_t number = 0;   // 1-based position in the file
  std::uint64_t time_ns = 0;  // timestamp, nanoseconds since the epoch the file uses
  Frame bytes;                // without FCS
};

class PcapReader {
 public:
  // Opens `file`; throws PcapError when it cannot be read, is not a pcap file ("<file>: not
  // a readable pcap file: <libpcap's reason>"), or its link type is not Ethernet ("<file>:
  // link type RAW (Raw IP, DLT 12), expected Ethernet (EN10MB, DLT 1)").
  PcapReader(const std::filesystem::path& file, std::size_t max_frame_bytes = kMaxFrameBytes);
  ~PcapReader();
  PcapReader(const PcapReader&) = delete;
  PcapReader& operator=(const PcapReader&) = delete;

  // The next record, nullopt at the end of the file. Throws PcapError "<file>: record N: "
  // followed by "malformed or truncated: <libpcap's reason>", "captured C of its L bytes
  // ..." (cut by the snapshot length) or "B bytes, longer than the longest frame ...".
  std::optional<PcapRecord> next();
  const std::filesystem::path& file() const { return file_; }

 private:
  [[noreturn]] void fail_record(const std::string& what) const;

  std::filesystem::path file_;
  std::size_t max_frame_bytes_;
  pcap* handle_ = nullptr;
  std::uint64_t records_ = 0;
};

class PcapWriter {
 public:
  // Creates (or truncates) `file`; throws PcapError when it cannot be written.
  PcapWriter(const std::filesystem::path& file, std::uint64_t clock_period_ps);
  ~PcapWriter();  // flushes and closes
  PcapWriter(const PcapWriter&) = delete;
  PcapWriter& operator=(const PcapWriter&) = delete;

  // Appends one record: `frame` stamped with `cycle`'s time.
  void write(Cycle cycle, std::span<const std::uint8_t> frame);
  // Writes what is buffered to the file (the destructor does too).
  void flush();

 private:
  std::filesystem::path file_;
  std::uint64_t clock_period_ps_;
  pcap* handle_ = nullptr;
  pcap_dumper* dumper_ = nullptr;
};

}  // namespace irqlab::models::net
