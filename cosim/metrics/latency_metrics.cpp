#include "metrics/latency_metrics.h"

namespace irqlab::cosim {

SourceLatency& LatencyMetrics::source(unsigned id) {
  SourceLatency& s = sources_[id];
  s.source = id;
  return s;
}

void LatencyMetrics::add_latency(const LatencySample& sample) {
  SourceLatency& s = source(sample.source);
  if (!s.first_t0) s.first_t0 = sample.t0;
  s.latency.add(sample.t2 - sample.t0);
  if (sample.irq) s.controller.add(*sample.irq - sample.t0);
  if (sample.t1 < sample.irq.value_or(sample.t0)) {
    ++s.claimed_in_running_trap;
  } else {
    if (sample.irq) s.sampling.add(sample.t1 - *sample.irq);
    s.trap_to_handler.add(sample.t2 - sample.t1);
  }
  samples_.latency(sample);
}

void LatencyMetrics::on_handler_start(const kernel::TraceEvent& event) {
  SourceLatency& s = source(event.arg);
  ++s.handled;
  std::deque<Cycle>& open = open_requests_[event.arg];
  if (open.empty()) return;  // a handler run by software, not by a request
  const Cycle t0 = open.front();
  open.pop_front();
  const std::optional<Cycle> irq =
      irq_rise_[event.cpu] >= t0 ? std::optional<Cycle>(irq_rise_[event.cpu]) : std::nullopt;
  add_latency({event.arg, event.cpu, t0, irq, trap_enter_[event.cpu], event.cycle});
  const auto deferred = deferred_t0_.find(event.arg);
  if (deferred != deferred_t0_.end() && !deferred->second) deferred->second = t0;
}

void LatencyMetrics::on_deferred_start(const kernel::TraceEvent& event) {
  const auto it = deferred_source_.find(event.arg);
  if (it == deferred_source_.end()) return;
  std::optional<Cycle>& pending = deferred_t0_[it->second];
  if (!pending) return;  // scheduled by software, not by a request
  source(it->second).t0_to_t3.add(event.cycle - *pending);
  samples_.deferred({it->second, *pending, event.cycle});
  pending.reset();
}

void LatencyMetrics::record(const kernel::TraceEvent& event) {
  using kernel::TraceKind;
  switch (event.kind) {
    case TraceKind::SourceLine:
      if (event.arg2 != 0) ++source(event.arg).asserted;
      break;
    case TraceKind::GatewayRequest:
      ++source(event.arg).requests;
      open_requests_[event.arg].push_back(event.cycle);
      break;
    case TraceKind::HartLine:
      if (event.arg2 != 0) irq_rise_[event.cpu] = event.cycle;
      break;
    case TraceKind::AnnounceDeferred:
      if (event.arg2 == 0) break;  // serves no interrupt source
      deferred_source_[event.arg] = event.arg2;
      deferred_t0_[event.arg2];
      break;
    case TraceKind::TrapEnter:
      trap_enter_[event.cpu] = event.cycle;
      break;
    case TraceKind::HandlerStart:
      on_handler_start(event);
      break;
    case TraceKind::DeferStart:
      on_deferred_start(event);
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
