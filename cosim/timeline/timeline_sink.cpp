#include "timeline/timeline_sink.h"

#include <algorithm>

#include "net/net_events.h"
#include "run/sink_registry.h"

namespace irqlab::cosim {

using kernel::CpuActivity;
using kernel::TraceEvent;
using kernel::TraceKind;

namespace {

const std::string& activity_label(CpuActivity activity) {
  static const std::string labels[] = {"\"idle\"", "\"kernel\"", "\"user\"", "\"interrupt\""};
  return labels[static_cast<unsigned>(activity) & 3];
}

const std::string kTrap = "\"trap\"";
const std::string kRaise = "\"raise\"";
const std::string kWake = "\"wake\"";
const std::string kLine = "\"irq line\"";
const std::string kIpl = "\"IPL\"";
const std::string kRunQueue = "\"run queue\"";
const std::string kNicRxFifo = "\"NIC RX FIFO words\"";

}  // namespace

void TimelineSink::begin(const RunInfo& info) {
  file_ = std::make_unique<AtomicFile>(info.out_dir / "timeline.json");
  trace_ = std::make_unique<ChromeTraceWriter>(file_->stream(), info.scenario.clock_period_ps);
  harts_.assign(info.scenario.harts, {});
  for (unsigned h = 0; h < harts_.size(); ++h)
    trace_->process_name(pid(h), "hart " + std::to_string(h), static_cast<int>(h));
  trace_->process_name(soc_pid(), "SoC", static_cast<int>(harts_.size()));
}

unsigned TimelineSink::tid(unsigned hart, Track track, std::uint32_t id) {
  const auto [it, added] = tids_.try_emplace({hart, track, id}, next_tid_);
  if (!added) return it->second;
  ++next_tid_;
  const unsigned p = hart < harts_.size() ? pid(hart) : soc_pid();
  switch (track) {
    case Track::Lwp:
      trace_->thread_name(p, it->second, lwp(id).name, 10 + static_cast<int>(id));
      break;
    case Track::Interrupts:
      trace_->thread_name(p, it->second,
                          hart < harts_.size() ? "hard interrupts" : "PLIC requests (T0)", 0);
      break;
    case Track::Packets:
      trace_->thread_name(p, it->second, hart < harts_.size() ? "packets" : "NIC frames", 2);
      break;
    case Track::Deferred:  // named at end(), when the mechanism is known
      break;
  }
  return it->second;
}

TimelineSink::LwpState& TimelineSink::lwp(std::uint32_t id) {
  const auto [it, added] = lwps_.try_emplace(id);
  if (added) it->second.name = "LWP " + std::to_string(id);
  return it->second;
}

const std::string& TimelineSink::source_label(std::uint32_t source) {
  const auto [it, added] = sources_.try_emplace(source);
  if (added) {
    const auto name = source_names_.find(source);
    it->second = ChromeTraceWriter::quoted(
        "irq " + std::to_string(source) + (name != source_names_.end() ? ": " + name->second : ""));
  }
  return it->second;
}

void TimelineSink::record(const TraceEvent& event) {
  if (kernel::is_announcement(event.kind)) return announce(event);
  if (event.kind >= TraceKind::SourceLine) return record_rtl(event);
  if (event.cpu < harts_.size()) record_kernel(event);
}

void TimelineSink::announce(const TraceEvent& event) {
  switch (event.kind) {
    case TraceKind::AnnounceLwp:
      lwp(event.arg).name = std::string(event.name);
      if (event.arg2 != 0 && event.arg2 - 1 < harts_.size()) harts_[event.arg2 - 1].lwp = event.arg;
      break;
    case TraceKind::AnnounceSource:
      source_names_[event.arg] = std::string(event.name);
      sources_.erase(event.arg);
      break;
    case TraceKind::AnnounceDeferred: {
      Work& w = works_[event.arg];
      w.name = std::string(event.name);
      w.quoted = ChromeTraceWriter::quoted(w.name);
      break;
    }
    default:
      break;
  }
}

void TimelineSink::record_kernel(const TraceEvent& event) {
  const unsigned h = event.cpu;
  const kernel::Cycle c = event.cycle;
  switch (event.kind) {
    case TraceKind::Activity:
      close_activity(h, c);
      harts_[h].activity = static_cast<CpuActivity>(event.arg);
      harts_[h].activity_since = c;
      break;
    case TraceKind::Switch:
      switch_to(h, event.arg, c);
      break;
    case TraceKind::TrapEnter:
      open_frame(h, {FrameKind::Trap, 0}, c);
      break;
    case TraceKind::TrapExit:
      close_frames_to(h, FrameKind::Trap, 0, c);
      break;
    case TraceKind::HandlerStart:
      open_frame(h, {FrameKind::Handler, event.arg}, c);
      break;
    case TraceKind::HandlerEnd:
      close_frames_to(h, FrameKind::Handler, event.arg, c);
      break;
    case TraceKind::Unhandled:
      trace_->instant(pid(h), tid(h, Track::Interrupts), c,
                      ChromeTraceWriter::quoted("unhandled irq " + std::to_string(event.arg)));
      break;
    case TraceKind::DeferRaise: {
      Work& w = works_[event.arg];
      const std::optional<FlowOrigin> origin = flow_origin(h, c);
      if (origin && w.raise_flows.size() < kMaxPendingFlows) w.raise_flows.push_back(*origin);
      break;
    }
    case TraceKind::DeferStart: {
      Work& w = works_[event.arg];
      draw_flows(w.raise_flows, pid(h), tid(h, Track::Deferred, event.arg), c, kRaise);
      open_frame(h, {FrameKind::Deferred, event.arg}, c);
      break;
    }
    case TraceKind::DeferEnd:
      close_frames_to(h, FrameKind::Deferred, event.arg, c);
      break;
    case TraceKind::Wakeup: {
      const bool running = std::any_of(harts_.begin(), harts_.end(),
                                       [&](const HartState& s) { return s.lwp == event.arg; });
      LwpState& woken = lwp(event.arg);
      const std::optional<FlowOrigin> origin = flow_origin(h, c);
      if (origin && !running && woken.wake_flows.size() < kMaxPendingFlows)
        woken.wake_flows.push_back(*origin);
      break;
    }
    case TraceKind::IplChange:
      sample_level(pid(h), kIpl, harts_[h].ipl, c, event.arg);
      break;
    case TraceKind::RunQueueDepth:
      sample_level(pid(h), kRunQueue, harts_[h].run_queue, c, event.arg);
      break;
    case TraceKind::IpiSend:
      trace_->instant(pid(h), tid(h, Track::Interrupts), c,
                      ChromeTraceWriter::quoted("IPI to hart " + std::to_string(event.arg)));
      break;
    case TraceKind::PacketStage:
    case TraceKind::PacketDrop: {
      const bool drop = event.kind == TraceKind::PacketDrop;
      const std::uint32_t key = (drop ? 0x100 : 0) | (event.arg2 & 0xFF);
      auto [it, added] = packet_stages_.try_emplace(key);
      if (added)
        it->second = ChromeTraceWriter::quoted(
            drop ? std::string("drop: ") +
                       kernel::net_drop_cause_name(static_cast<kernel::NetDropCause>(event.arg2))
                 : kernel::packet_stage_name(static_cast<kernel::PacketStage>(event.arg2)));
      trace_->instant(pid(h), tid(h, Track::Packets), c, it->second,
                      "\"packet\":" + std::to_string(event.arg));
      break;
    }
    default:
      break;
  }
}

void TimelineSink::record_rtl(const TraceEvent& event) {
  const kernel::Cycle c = event.cycle;
  const unsigned soc = static_cast<unsigned>(harts_.size());  // the SoC's "hart" in tids_
  switch (event.kind) {
    case TraceKind::SourceLine:
      trace_->counter(soc_pid(), c, source_label(event.arg), event.arg2);
      break;
    case TraceKind::GatewayRequest:
      trace_->instant(soc_pid(), tid(soc, Track::Interrupts), c, source_label(event.arg));
      break;
    case TraceKind::HartLine:
      if (event.cpu < harts_.size()) trace_->counter(pid(event.cpu), c, kLine, event.arg2);
      break;
    case TraceKind::NicRxFifoLevel:
      sample_level(soc_pid(), kNicRxFifo, nic_rx_fifo_, c, event.arg2);
      break;
    case TraceKind::FrameOffered:
    case TraceKind::FrameDropped:
    case TraceKind::FrameTransmitted: {
      static const std::string offered = "\"frame offered\"";
      static const std::string dropped = "\"frame dropped\"";
      static const std::string sent = "\"frame transmitted\"";
      const std::string& name = event.kind == TraceKind::FrameOffered   ? offered
                                : event.kind == TraceKind::FrameDropped ? dropped
                                                                        : sent;
      trace_->instant(
          soc_pid(), tid(soc, Track::Packets), c, name,
          "\"arg\":" + std::to_string(event.arg) + ",\"arg2\":" + std::to_string(event.arg2));
      break;
    }
    default:
      break;
  }
}

void TimelineSink::sample_level(unsigned pid, const std::string& name, Level& level,
                                kernel::Cycle cycle, std::uint64_t value) {
  if (level.written && value == level.value) return;
  if (!level.written && cycle > 0 && value != 0) trace_->counter(pid, 0, name, 0);
  trace_->counter(pid, cycle, name, value);
  level = {value, true};
}

void TimelineSink::close_activity(unsigned hart, kernel::Cycle cycle) {
  HartState& s = harts_[hart];
  if (!s.activity || !s.lwp || cycle <= s.activity_since) return;
  // An LWP track holds only these consecutive slices, so each is written whole at its end.
  const unsigned t = tid(hart, Track::Lwp, *s.lwp);
  trace_->begin(pid(hart), t, s.activity_since, activity_label(*s.activity));
  trace_->end(pid(hart), t, cycle);
}

void TimelineSink::switch_to(unsigned hart, std::uint32_t next, kernel::Cycle cycle) {
  HartState& s = harts_[hart];
  close_activity(hart, cycle);
  s.activity_since = cycle;  // the hart's activity goes on, now on the next LWP's track
  if (s.lwp) {
    const std::vector<Frame>& frames = lwp(*s.lwp).frames;
    for (auto f = frames.rbegin(); f != frames.rend(); ++f)
      trace_->end(pid(hart), frame_tid(hart, *f), cycle);
  }
  s.lwp = next;
  LwpState& n = lwp(next);
  draw_flows(n.wake_flows, pid(hart), tid(hart, Track::Lwp, next), cycle, kWake);
  for (const Frame& f : n.frames)
    trace_->begin(pid(hart), frame_tid(hart, f), cycle, frame_name(f), frame_args(f, true));
}

unsigned TimelineSink::frame_tid(unsigned hart, const Frame& frame) {
  return frame.kind == FrameKind::Deferred ? tid(hart, Track::Deferred, frame.id)
                                           : tid(hart, Track::Interrupts);
}

std::string TimelineSink::frame_name(const Frame& frame) {
  switch (frame.kind) {
    case FrameKind::Trap:
      return kTrap;
    case FrameKind::Handler:
      return source_label(frame.id);
    case FrameKind::Deferred: {
      const Work& w = works_[frame.id];
      return w.quoted.empty() ? ChromeTraceWriter::quoted("work " + std::to_string(frame.id))
                              : w.quoted;
    }
  }
  return kTrap;
}

std::string TimelineSink::frame_args(const Frame& frame, bool resumed) {
  std::string args = frame.kind == FrameKind::Handler    ? "\"source\":" + std::to_string(frame.id)
                     : frame.kind == FrameKind::Deferred ? "\"work\":" + std::to_string(frame.id)
                                                         : std::string();
  if (resumed) args += args.empty() ? "\"resumed\":true" : ",\"resumed\":true";
  return args;
}

void TimelineSink::open_frame(unsigned hart, Frame frame, kernel::Cycle cycle) {
  HartState& s = harts_[hart];
  if (!s.lwp) return;  // before the hart adopted its idle LWP: nothing to attach it to
  lwp(*s.lwp).frames.push_back(frame);
  trace_->begin(pid(hart), frame_tid(hart, frame), cycle, frame_name(frame),
                frame_args(frame, false));
}

void TimelineSink::close_frames_to(unsigned hart, FrameKind kind, std::uint32_t id,
                                   kernel::Cycle cycle) {
  HartState& s = harts_[hart];
  if (!s.lwp) return;
  std::vector<Frame>& frames = lwp(*s.lwp).frames;
  const auto match = std::find_if(frames.rbegin(), frames.rend(),
                                  [&](const Frame& f) { return f.kind == kind && f.id == id; });
  if (match == frames.rend()) return;  // opened before the LWP was known: nothing drawn
  const std::size_t keep = static_cast<std::size_t>(frames.rend() - match) - 1;
  while (frames.size() > keep) {  // inner frames left open close with it: tracks stay nested
    trace_->end(pid(hart), frame_tid(hart, frames.back()), cycle);
    frames.pop_back();
  }
}

std::optional<TimelineSink::FlowOrigin> TimelineSink::flow_origin(unsigned hart,
                                                                  kernel::Cycle cycle) {
  const HartState& s = harts_[hart];
  if (!s.lwp) return std::nullopt;
  const std::vector<Frame>& frames = lwp(*s.lwp).frames;
  if (frames.empty() || frames.back().kind == FrameKind::Trap) return std::nullopt;
  return FlowOrigin{pid(hart), frame_tid(hart, frames.back()), cycle};
}

void TimelineSink::draw_flows(std::vector<FlowOrigin>& origins, unsigned target_pid,
                              unsigned target_tid, kernel::Cycle cycle, const std::string& name) {
  // Both ends are written when the target is known, so every flow in the file is whole.
  for (const FlowOrigin& o : origins) {
    trace_->flow_start(o.pid, o.tid, o.cycle, name, next_flow_);
    trace_->flow_finish(target_pid, target_tid, cycle, name, next_flow_);
    ++next_flow_;
  }
  origins.clear();
}

void TimelineSink::end(RunSummary& summary) {
  const kernel::Cycle last = summary.simulated_cycles;
  try {
    for (unsigned h = 0; h < harts_.size(); ++h) {
      close_activity(h, std::max(last, harts_[h].activity_since));
      if (!harts_[h].lwp) continue;
      std::vector<Frame>& frames = lwp(*harts_[h].lwp).frames;
      for (auto f = frames.rbegin(); f != frames.rend(); ++f)
        trace_->end(pid(h), frame_tid(h, *f), last);
    }
    std::map<std::uint32_t, std::string> mechanisms;
    for (const kernel::DeferredStats& d : summary.kernel.deferred) mechanisms[d.id] = d.mechanism;
    for (const auto& [key, t] : tids_) {
      const auto& [hart, track, id] = key;
      if (track != Track::Deferred) continue;
      const std::string& mechanism = mechanisms[id];
      trace_->thread_name(pid(hart), t,
                          works_[id].name + (mechanism.empty() ? "" : " · " + mechanism),
                          1 + static_cast<int>(id));
    }
    trace_->close();
    file_->commit();
  } catch (const std::exception& e) {
    summary.fail(e.what());
  }
}

namespace {
const SinkRegistration kTimelineSink{"timeline", 600,
                                     [](const SinkContext& c) -> std::unique_ptr<RunSink> {
                                       if (!c.scenario.timeline) return nullptr;
                                       return std::make_unique<TimelineSink>();
                                     }};
}  // namespace

}  // namespace irqlab::cosim
