#include "trace/stream_counters.h"

#include <utility>

namespace irqlab::kernel {

StreamCounters::StreamCounters(unsigned cpus, unsigned sources)
    : cpus_(cpus), track_(cpus), sources_(sources) {}

LwpStats& StreamCounters::lwp(std::uint32_t id) {
  if (id >= lwps_.size()) {
    lwps_.resize(id + 1);
    lwp_state_.resize(id + 1);
    for (std::uint32_t i = 0; i <= id; ++i) lwps_[i].id = i;
  }
  return lwps_[id];
}

std::vector<std::uint32_t>& StreamCounters::running_deferred(std::uint32_t lwp_id) {
  lwp(lwp_id);
  return lwp_state_[lwp_id].running_deferred;
}

std::uint64_t& StreamCounters::deferred_interrupts_of(std::uint32_t id) {
  if (id >= deferred_interrupts_.size()) deferred_interrupts_.resize(id + 1);
  return deferred_interrupts_[id];
}

std::uint64_t StreamCounters::deferred_interrupts(std::uint32_t id) const {
  return id < deferred_interrupts_.size() ? deferred_interrupts_[id] : 0;
}

void StreamCounters::on_trap_enter(unsigned cpu) {
  CpuStats& c = cpus_[cpu];
  ++c.interrupts;
  ++c.switches.interrupt;
  track_[cpu].awaiting_first_claim = true;
  const std::int64_t current = track_[cpu].current_lwp;
  if (current < 0) return;
  const auto id = static_cast<std::uint32_t>(current);
  ++lwp(id).switches.interrupt;
  const std::vector<std::uint32_t>& running = running_deferred(id);
  if (!running.empty()) ++deferred_interrupts_of(running.back());
}

void StreamCounters::record(const TraceEvent& event) {
  switch (event.kind) {
    case TraceKind::AnnounceLwp:
      lwp(event.arg).name = std::string(event.name);
      if (event.arg2 != 0 && event.arg2 - 1 < track_.size()) track_[event.arg2 - 1].current_lwp = event.arg;
      break;
    case TraceKind::AnnounceDeferred:
      deferred_interrupts_of(event.arg);
      break;
    case TraceKind::TrapEnter:
      on_trap_enter(event.cpu);
      break;
    case TraceKind::Claim:
      if (std::exchange(track_[event.cpu].awaiting_first_claim, false) && event.arg == 0)
        ++cpus_[event.cpu].spurious;
      break;
    case TraceKind::Switch: {
      const bool full = static_cast<SwitchKind>(event.arg2) == SwitchKind::Full;
      ++(full ? cpus_[event.cpu].switches.full : cpus_[event.cpu].switches.light);
      LwpStats& to = lwp(event.arg);
      ++(full ? to.switches.full : to.switches.light);
      track_[event.cpu].current_lwp = event.arg;
      break;
    }
    case TraceKind::HandlerEnd:
      if (event.arg < sources_.size()) ++sources_[event.arg].handled;
      break;
    case TraceKind::Unhandled:
      if (event.arg < sources_.size()) ++sources_[event.arg].unhandled;
      break;
    case TraceKind::DeferStart:
    case TraceKind::DeferEnd: {
      const std::int64_t current = track_[event.cpu].current_lwp;
      if (current < 0) break;
      std::vector<std::uint32_t>& running = running_deferred(static_cast<std::uint32_t>(current));
      if (event.kind == TraceKind::DeferStart)
        running.push_back(event.arg);
      else if (!running.empty())
        running.pop_back();
      break;
    }
    default:
      break;
  }
}

}  // namespace irqlab::kernel
