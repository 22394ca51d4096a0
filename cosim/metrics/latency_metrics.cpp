#include "metrics/latency_metrics.h"

namespace irqlab::cosim {

namespace {

// `to - from`, or nothing when the points are out of order: no part is ever a wrapped
// subtraction.
std::optional<Cycle> elapsed(Cycle from, Cycle to) {
  if (to < from) return std::nullopt;
  return to - from;
}

}  // namespace

SourceLatency& LatencyMetrics::source(unsigned id) {
  SourceLatency& s = sources_[id];
  s.source = id;
  return s;
}

LatencyMetrics::OpenTrap* LatencyMetrics::open_trap(unsigned cpu) {
  if (cpu >= soc::kMaxHarts || !current_lwp_[cpu]) return nullptr;
  const auto it = traps_.find(*current_lwp_[cpu]);
  if (it == traps_.end() || it->second.empty()) return nullptr;
  return &it->second.back();
}

LatencyMetrics::Pending* LatencyMetrics::pending(std::uint64_t sequence) {
  if (sequence < first_pending_ || sequence - first_pending_ >= pending_.size()) return nullptr;
  return &pending_[sequence - first_pending_];
}

void LatencyMetrics::add_latency(const LatencySample& sample) {
  SourceLatency& s = source(sample.source);
  if (!s.first_t0) s.first_t0 = sample.t0;
  const std::optional<Cycle> whole = elapsed(sample.t0, sample.t2);
  if (!whole) return;  // cannot happen: T2 follows the request it serves
  s.latency.add(*whole);
  s.latency_per_cpu[sample.cpu].add(*whole);
  if (sample.cpu < soc::kMaxHarts) per_hart_[sample.cpu].add(*whole);
  if (sample.claimed_in_running_trap) ++s.claimed_in_running_trap;
  if (sample.irq) {
    if (const auto part = elapsed(sample.t0, *sample.irq)) s.controller.add(*part);
    if (const auto part = elapsed(*sample.irq, sample.t1)) s.sampling.add(*part);
  }
  if (const auto part = elapsed(sample.t1, sample.t2)) s.trap_to_handler.add(*part);
}

void LatencyMetrics::on_source_line(const kernel::TraceEvent& event) {
  if (event.arg2 == 0) return;
  ++source(event.arg).asserted;
  settle_edge(event.arg);
  SourceState& state = source_state_[event.arg];
  state.edge = std::make_pair(event.cycle, state.unclaimed > 0);
}

void LatencyMetrics::on_gateway_request(const kernel::TraceEvent& event) {
  ++source(event.arg).requests;
  open_requests_[event.arg].push_back(event.cycle);
  SourceState& state = source_state_[event.arg];
  ++state.unclaimed;
  if (state.edge && state.edge->first == event.cycle) state.edge.reset();  // the edge was taken
}

// An edge still untaken when the source's next edge comes (or the run ends) was dropped.
void LatencyMetrics::settle_edge(unsigned id) {
  SourceState& state = source_state_[id];
  if (!state.edge) return;
  GatewayDrops& drops = source(id).dropped;
  ++(state.edge->second ? drops.while_pending : drops.while_in_service);
  state.edge.reset();
}

void LatencyMetrics::on_claim(const kernel::TraceEvent& event) {
  if (OpenTrap* trap = open_trap(event.cpu)) {
    trap->claim = event.cycle;
    trap->rise_at_claim = irq_rise_[event.cpu];
  }
  if (event.arg == 0) return;
  SourceState& state = source_state_[event.arg];
  if (state.unclaimed > 0) --state.unclaimed;
  ++state.in_service;
}

void LatencyMetrics::on_handler_start(const kernel::TraceEvent& event) {
  SourceLatency& s = source(event.arg);
  ++s.handled;
  std::deque<Cycle>& open = open_requests_[event.arg];
  OpenTrap* trap = open_trap(event.cpu);
  if (open.empty() || trap == nullptr || !trap->claim) return;  // run by software, not by a request
  LatencySample sample;
  sample.source = event.arg;
  sample.cpu = event.cpu;
  sample.t0 = open.front();
  open.pop_front();
  sample.t2 = event.cycle;
  if (trap->rise_at_claim && *trap->rise_at_claim >= sample.t0) sample.irq = trap->rise_at_claim;
  sample.claimed_in_running_trap = trap->enter < sample.irq.value_or(sample.t0);
  sample.t1 = sample.claimed_in_running_trap ? *trap->claim : trap->enter;
  if (sample.irq && *sample.irq > sample.t1) sample.irq.reset();  // rose for a later request
  add_latency(sample);

  const std::uint64_t sequence = first_pending_ + pending_.size();
  pending_.push_back({sample});
  trap->handler = sequence;
  trap->served.push_back(sequence);
  for (const auto& [work, served] : deferred_source_)
    if (served == event.arg && !deferred_t0_[work]) deferred_t0_[work] = sample.t0;
}

void LatencyMetrics::on_trap_exit(const kernel::TraceEvent& event) {
  if (event.cpu >= soc::kMaxHarts || !current_lwp_[event.cpu]) return;
  std::vector<OpenTrap>& stack = traps_[*current_lwp_[event.cpu]];
  if (stack.empty()) return;
  for (const std::uint64_t sequence : stack.back().served)
    if (Pending* p = pending(sequence)) p->sample.t5 = event.cycle;
  stack.pop_back();
  flush(false);
}

void LatencyMetrics::on_defer_raise(const kernel::TraceEvent& event) {
  const OpenTrap* trap = open_trap(event.cpu);
  if (trap == nullptr || !trap->handler) return;
  Pending* p = pending(*trap->handler);
  if (p == nullptr || p->sample.t3) return;
  p->raised = true;
  awaiting_t3_[event.arg].push_back(*trap->handler);
}

void LatencyMetrics::on_deferred_start(const kernel::TraceEvent& event) {
  if (const auto waiting = awaiting_t3_.find(event.arg); waiting != awaiting_t3_.end()) {
    for (const std::uint64_t sequence : waiting->second)
      if (Pending* p = pending(sequence); p != nullptr && !p->sample.t3) p->sample.t3 = event.cycle;
    awaiting_t3_.erase(waiting);
    flush(false);
  }
  const auto it = deferred_source_.find(event.arg);
  if (it == deferred_source_.end()) return;
  std::optional<Cycle>& t0 = deferred_t0_[event.arg];
  if (!t0) return;  // scheduled by software, not by a request
  if (const auto latency = elapsed(*t0, event.cycle)) {
    source(it->second).t0_to_t3.add(*latency);
    work_latency_[event.arg].add(*latency);
    samples_.deferred({it->second, *t0, event.cycle});
  }
  t0.reset();
}

void LatencyMetrics::on_wakeup(const kernel::TraceEvent& event) {
  const OpenTrap* trap = open_trap(event.cpu);
  if (trap == nullptr || !trap->handler) return;
  for (const std::optional<std::uint32_t>& lwp : current_lwp_)
    if (lwp == event.arg) return;  // still on a hart: it runs on without a switch
  Pending* p = pending(*trap->handler);
  if (p == nullptr || p->sample.t4) return;
  p->woke = true;
  awaiting_t4_[event.arg].push_back(*trap->handler);
}

void LatencyMetrics::on_switch(const kernel::TraceEvent& event) {
  if (event.cpu < soc::kMaxHarts) current_lwp_[event.cpu] = event.arg;
  const auto waiting = awaiting_t4_.find(event.arg);
  if (waiting == awaiting_t4_.end()) return;
  for (const std::uint64_t sequence : waiting->second)
    if (Pending* p = pending(sequence); p != nullptr && !p->sample.t4) p->sample.t4 = event.cycle;
  awaiting_t4_.erase(waiting);
  flush(false);
}

void LatencyMetrics::on_lock_wait(const kernel::TraceEvent& event) {
  std::optional<unsigned> handler_source;
  if (const OpenTrap* trap = open_trap(event.cpu);
      trap != nullptr && trap->handler && current_lwp_[event.cpu] == event.arg2)
    if (const Pending* p = pending(*trap->handler)) handler_source = p->sample.source;
  waits_[{event.arg, event.arg2}] = {event.cycle, handler_source};
}

void LatencyMetrics::on_lock_acquire(const kernel::TraceEvent& event) {
  const auto it = waits_.find({event.arg, event.arg2});
  if (it == waits_.end()) return;  // taken without waiting
  if (const auto blocked = elapsed(it->second.since, event.cycle)) {
    lock_blocked_[event.arg].add(*blocked);
    if (it->second.handler_source) source(*it->second.handler_source).handler_blocked.add(*blocked);
  }
  waits_.erase(it);
}

// Hands on the complete samples at the front (all of them at the end of the run), so the
// file keeps handler-start order.
void LatencyMetrics::flush(bool all) {
  while (!pending_.empty()) {
    const Pending& front = pending_.front();
    const bool complete =
        front.sample.t5 && (!front.raised || front.sample.t3) && (!front.woke || front.sample.t4);
    if (!complete && !all) return;
    samples_.latency(front.sample);
    pending_.pop_front();
    ++first_pending_;
  }
}

void LatencyMetrics::finish() {
  flush(true);
  for (auto& [id, state] : source_state_) settle_edge(id);
}

void LatencyMetrics::record(const kernel::TraceEvent& event) {
  using kernel::TraceKind;
  switch (event.kind) {
    case TraceKind::SourceLine:
      on_source_line(event);
      break;
    case TraceKind::GatewayRequest:
      on_gateway_request(event);
      break;
    case TraceKind::HartLine:
      if (event.arg2 != 0 && event.cpu < soc::kMaxHarts) irq_rise_[event.cpu] = event.cycle;
      break;
    case TraceKind::AnnounceLwp:
      if (event.arg2 != 0 && event.arg2 - 1 < soc::kMaxHarts)
        current_lwp_[event.arg2 - 1] = event.arg;
      break;
    case TraceKind::AnnounceDeferred:
      if (event.arg2 == 0) break;  // serves no interrupt source
      deferred_source_[event.arg] = event.arg2;
      deferred_t0_[event.arg];
      break;
    case TraceKind::Switch:
      on_switch(event);
      break;
    case TraceKind::TrapEnter:
      if (event.cpu < soc::kMaxHarts && current_lwp_[event.cpu])
        traps_[*current_lwp_[event.cpu]].push_back({event.cycle, {}, {}, {}, {}});
      break;
    case TraceKind::Claim:
      on_claim(event);
      break;
    case TraceKind::HandlerStart:
      on_handler_start(event);
      break;
    case TraceKind::HandlerEnd:
      if (OpenTrap* trap = open_trap(event.cpu)) trap->handler.reset();
      break;
    case TraceKind::Complete:
      if (SourceState& state = source_state_[event.arg]; state.in_service > 0) --state.in_service;
      break;
    case TraceKind::TrapExit:
      on_trap_exit(event);
      break;
    case TraceKind::DeferRaise:
      on_defer_raise(event);
      break;
    case TraceKind::DeferStart:
      on_deferred_start(event);
      break;
    case TraceKind::Wakeup:
      on_wakeup(event);
      break;
    case TraceKind::LockWait:
      on_lock_wait(event);
      break;
    case TraceKind::LockAcquire:
      on_lock_acquire(event);
      break;
    case TraceKind::Unhandled:
      ++unhandled_;
      break;
    default:
      break;
  }
}

std::vector<SourceLatency> LatencyMetrics::sources() const {
  std::vector<SourceLatency> out;
  for (const auto& [id, s] : sources_) out.push_back(s);
  return out;
}

}  // namespace irqlab::cosim
