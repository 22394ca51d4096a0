#pragma once
// The names behind the waves' ids: a run's LWPs, locks, interrupt sources and deferred work,
// as announced on the event stream (trace/trace.h), written at the end of the run as GTKWave
// translate filter files in waves-filters/ (run_outputs.h). The save file attaches one to
// each probe that carries an id, so GTKWave shows names instead of numbers.
//
// A filter file holds one "value text" line per value, the value as GTKWave prints it with
// the trace's number format (decimal here); GTKWave 3.3.118 reads the text up to the end
// of the line and takes a text starting with '?' as a colour. So a name is escaped
// (gtkwave_filter_text()) into printable ASCII that stays one line and never starts with
// '?' or a space.
//
// Called from the simulation thread only (a run sink's record() and end()).
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "trace/trace.h"

namespace irqlab::cosim {

// `name` as a translate filter's text: printable ASCII kept, a backslash doubled, any other
// byte (and a leading '?', a leading or trailing space) as \xHH; an empty name, which
// GTKWave would skip, as "(unnamed)".
std::string gtkwave_filter_text(std::string_view name);

// The filter files, by the signal values they name (file names inside waves-filters/).
struct WaveFilterFiles {
  static constexpr const char* kLwps = "lwps.txt";                 // lwp: LWP id
  static constexpr const char* kLockOwners = "lock-owners.txt";    // owner: 1 + LWP id, 0 free
  static constexpr const char* kLocksWaited = "locks-waited.txt";  // lock_wait: 1 + lock id
  static constexpr const char* kSources = "sources.txt";           // handler: PLIC source, 0 none
  static constexpr const char* kDeferred = "deferred.txt";         // deferred: 1 + work id
  static constexpr const char* kTlulAOpcodes = "tlul-a-opcodes.txt";  // TL-UL A channel
  static constexpr const char* kTlulDOpcodes = "tlul-d-opcodes.txt";  // TL-UL D channel
};

class WaveNames {
 public:
  // Takes the names of Announce* events; ignores every other event.
  void record(const kernel::TraceEvent& event);
  std::size_t locks() const { return locks_.size(); }
  // Writes every filter file into `dir` (created if missing), each through an AtomicFile.
  void write_filters(const std::filesystem::path& dir) const;

 private:
  std::map<std::uint32_t, std::string> lwps_;
  std::map<std::uint32_t, std::string> locks_;
  std::map<std::uint32_t, std::string> sources_;
  std::map<std::uint32_t, std::string> deferred_;
};

}  // namespace irqlab::cosim
