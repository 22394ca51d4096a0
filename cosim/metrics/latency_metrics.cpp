#include "metrics/latency_metrics.h"

namespace irqlab::cosim {

SourceLatency& LatencyMetrics::source(unsigned id) {
  SourceLatency& s = sources_[id];
  s.source = id;
  return s;
}

void LatencyMetrics::on_source_asserted(unsigned id, Cycle) { ++source(id).asserted; }

void LatencyMetrics::on_request(unsigned id, Cycle cycle) {
  ++source(id).requests;
  open_requests_[id].push_back(cycle);
}

void LatencyMetrics::on_irq_line(unsigned hart, bool level, Cycle cycle) {
  if (level) irq_rise_[hart] = cycle;
}

void LatencyMetrics::record(const kernel::TraceEvent& event) {
  switch (event.kind) {
    case kernel::TraceKind::TrapEnter:
      trap_enter_[event.cpu] = event.cycle;
      break;
    case kernel::TraceKind::HandlerStart: {
      SourceLatency& s = source(event.arg);
      ++s.handled;
      std::deque<Cycle>& open = open_requests_[event.arg];
      if (open.empty()) break;  // a handler run by software, not by a request
      const Cycle t0 = open.front();
      open.pop_front();
      const std::optional<Cycle> irq =
          irq_rise_[event.cpu] >= t0 ? std::optional<Cycle>(irq_rise_[event.cpu]) : std::nullopt;
      s.samples.push_back({t0, irq, trap_enter_[event.cpu], event.cycle, event.cpu});
      const auto deferred = deferred_t0_.find(event.arg);
      if (deferred != deferred_t0_.end() && !deferred->second) deferred->second = t0;
      break;
    }
    case kernel::TraceKind::DeferStart: {
      const auto it = deferred_source_.find(event.arg);
      if (it == deferred_source_.end()) break;
      std::optional<Cycle>& pending = deferred_t0_[it->second];
      if (!pending) break;  // scheduled by software, not by a request
      source(it->second).t0_to_t3.push_back(event.cycle - *pending);
      pending.reset();
      break;
    }
    case kernel::TraceKind::Unhandled:
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
