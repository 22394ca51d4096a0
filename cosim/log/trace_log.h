#pragma once
// The event stream as debug log lines, with the names the stream announced and source
// numbers in decimal: "cycle 812 hart 1: Claim source 17 (timer1)", "cycle 900 hart 0:
// Switch to LWP 6 (worker) full", "cycle 0 hart 0: announce lock 0 (runq)". In the run's
// sink list only when the log level is debug or lower (run/runner.cpp), so it costs
// nothing otherwise.
//
// Called on the simulation thread, as every sink.
#include <map>
#include <string>

#include "run/run_sink.h"

namespace irqlab::cosim {

class TraceLog : public RunSink {
 public:
  void begin(const RunInfo&) override {}
  void record(const kernel::TraceEvent& event) override;
  void end(RunSummary&) override {}

  // The line for `event` (without the log's own prefix); learns names from announcements.
  std::string describe(const kernel::TraceEvent& event);

 private:
  using Names = std::map<std::uint32_t, std::string>;
  static std::string named(const char* what, std::uint32_t id, const Names& names);

  Names sources_;
  Names lwps_;
  Names locks_;
  Names deferred_;
};

// `name` with anything but printable ASCII written as \xNN, so a log line stays one line.
std::string printable(std::string_view name);

}  // namespace irqlab::cosim
