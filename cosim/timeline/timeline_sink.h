#pragma once
// The Perfetto timeline of a run: timeline.json in the Chrome JSON trace format
// (chrome_trace_writer.h), written from the event stream as the run goes, under a
// temporary name renamed into place at end() (output/atomic_file.h), so a reader never
// sees a partial file. On unless the scenario says `timeline: false`.
//
// Layout. One process per hart ("hart N", pid N + 1) and one for the SoC's RTL ("SoC",
// pid harts + 1). A hart's threads (tracks):
//   - one per LWP that ran on it, named by the LWP: what the LWP did while current there,
//     as slices "user", "kernel", "idle", "interrupt" (the hart's CpuActivity);
//   - "hard interrupts": a "trap" slice from trap entry to trap exit, and inside it one
//     slice per handler, named "irq N: <source name>";
//   - one per deferred work item, named "<work name> · <mechanism>" (the mechanism is
//     known at end(): the personality sets it after the work is announced): its runs;
//   - "packets": the packet path's stages as instants (kernel/net/net_events.h).
// Counters: per hart, its interrupt line's level, its IPL (the index in the kernel's IPL
// table, IplChange) and its run queue's length (RunQueueDepth); on the SoC, each source
// line's level and the NIC's RX FIFO fill in words (NicRxFifoLevel). A counter sample is
// written only when its value changes; IPL, run queue and FIFO start at 0 (boot level,
// empty), written at cycle 0 before their first change.
// Instants on the SoC: each request the PLIC's gateway takes (T0), and the NIC's frames.
// Flows: from a handler (or deferred work) to the deferred work it raised, at its next
// run, and to an LWP it woke, at its next switch-in; several raises before one run all
// end at that run.
//
// Traps, handlers and deferred work are frames of the LWP they run on, not of the hart:
// a trap that switches away in its return path (preemption) resumes with its LWP,
// possibly on another hart. So each LWP keeps its stack of open frames; a switch closes
// the outgoing LWP's frames on its hart and reopens the incoming LWP's (args.resumed),
// which keeps every track properly nested as the format requires.
//
// Memory: per LWP its open frames and at most kMaxPendingFlows pending flows, per work
// item the same; nothing grows with the run's length. Called through a Tracer (the
// simulator's one thread); begin() before the first event, end() once.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "output/atomic_file.h"
#include "run/run_sink.h"
#include "timeline/chrome_trace_writer.h"
#include "trace/trace.h"

namespace irqlab::cosim {

class TimelineSink : public RunSink {
 public:
  // Flows waiting for their target, per target; further ones are not drawn.
  static constexpr std::size_t kMaxPendingFlows = 8;

  // Opens timeline.json's temporary file; throws std::runtime_error when it cannot.
  void begin(const RunInfo& info) override;
  void record(const kernel::TraceEvent& event) override;
  // Closes the slices still open at the end of the run and commits the file; a failure
  // to write marks the summary failed.
  void end(RunSummary& summary) override;

 private:
  enum class Track : std::uint8_t { Lwp, Interrupts, Deferred, Packets };
  enum class FrameKind : std::uint8_t { Trap, Handler, Deferred };
  struct Frame {
    FrameKind kind;
    std::uint32_t id;  // source (Handler) or work id (Deferred)
  };
  // Where a flow starts: a slice open on (pid, tid) at cycle.
  struct FlowOrigin {
    unsigned pid;
    unsigned tid;
    kernel::Cycle cycle;
  };
  struct LwpState {
    std::string name;
    std::vector<Frame> frames;           // open, outermost first
    std::vector<FlowOrigin> wake_flows;  // wake-ups waiting for its next switch-in
  };
  // A counter track of a level that starts at 0: its last written sample.
  struct Level {
    std::uint64_t value = 0;
    bool written = false;
  };
  struct HartState {
    std::optional<std::uint32_t> lwp;  // current LWP
    Level ipl, run_queue;
    std::optional<kernel::CpuActivity> activity;
    kernel::Cycle activity_since = 0;
  };

  void record_kernel(const kernel::TraceEvent& event);
  // Writes `value` on counter `name` of `pid` if it differs from the last sample.
  void sample_level(unsigned pid, const std::string& name, Level& level, kernel::Cycle cycle,
                    std::uint64_t value);
  void record_rtl(const kernel::TraceEvent& event);
  void announce(const kernel::TraceEvent& event);

  unsigned pid(unsigned hart) const { return hart + 1; }
  unsigned soc_pid() const { return static_cast<unsigned>(harts_.size()) + 1; }
  unsigned tid(unsigned hart, Track track, std::uint32_t id = 0);
  LwpState& lwp(std::uint32_t id);
  const std::string& source_label(std::uint32_t source);  // quoted "irq N: name"

  void close_activity(unsigned hart, kernel::Cycle cycle);
  void switch_to(unsigned hart, std::uint32_t next, kernel::Cycle cycle);
  void open_frame(unsigned hart, Frame frame, kernel::Cycle cycle);
  void close_frames_to(unsigned hart, FrameKind kind, std::uint32_t id, kernel::Cycle cycle);
  unsigned frame_tid(unsigned hart, const Frame& frame);
  std::string frame_name(const Frame& frame);
  static std::string frame_args(const Frame& frame, bool resumed);
  // The slice a flow from the current context of `hart` starts at, if any.
  std::optional<FlowOrigin> flow_origin(unsigned hart, kernel::Cycle cycle);
  void draw_flows(std::vector<FlowOrigin>& origins, unsigned pid, unsigned tid, kernel::Cycle cycle,
                  const std::string& name);

  std::unique_ptr<AtomicFile> file_;
  std::unique_ptr<ChromeTraceWriter> trace_;
  std::vector<HartState> harts_;
  std::map<std::uint32_t, LwpState> lwps_;
  std::map<std::uint32_t, std::string> sources_;  // quoted labels, made on first use
  std::map<std::uint32_t, std::string> source_names_;
  struct Work {
    std::string name;
    std::string quoted;
    std::vector<FlowOrigin> raise_flows;  // raises waiting for its next run
  };
  std::map<std::uint32_t, Work> works_;
  std::map<std::tuple<unsigned, Track, std::uint32_t>, unsigned> tids_;
  std::map<std::uint32_t, std::string> packet_stages_;  // quoted names by PacketStage
  Level nic_rx_fifo_;
  std::uint64_t next_flow_ = 1;
  unsigned next_tid_ = 1;
};

}  // namespace irqlab::cosim
