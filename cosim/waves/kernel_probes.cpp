#include "waves/kernel_probes.h"

#include <algorithm>
#include <iterator>
#include <stdexcept>
#include <string>

#include "run/sink_registry.h"
#include "waves/gtkw_writer.h"

namespace irqlab::cosim {

std::optional<std::string> lock_probe_shortage(std::size_t locks) {
  if (locks <= soc::kLockProbes) return std::nullopt;
  return "the run has " + std::to_string(locks) + " kernel locks; the waves have " +
         std::to_string(soc::kLockProbes) +
         " lock probes: raise cosim_top.lock_probes in rtl/soc/soc.yaml and NumLocks in "
         "cosim/rtl/irqlab_cosim_top.sv to match (python3 tools/socgen.py, then rebuild), or "
         "turn the waves off (waves.enabled: false)";
}

void KernelProbes::check_cycle(const kernel::TraceEvent& event) const {
  if (rtl_.cycle() != event.cycle)
    throw std::logic_error("kernel event at cycle " + std::to_string(event.cycle) +
                           " while the RTL stands at " + std::to_string(rtl_.cycle()));
}

void KernelProbes::record(const kernel::TraceEvent& event) {
  if (kernel::is_announcement(event.kind)) {
    names_.record(event);
    return;
  }
  RtlDomain::KernelProbe& h = harts_[event.cpu];
  std::vector<unsigned>& deferred = deferred_[event.cpu];
  switch (event.kind) {
    case kernel::TraceKind::Activity:
      h.activity = static_cast<kernel::CpuActivity>(event.arg);
      break;
    case kernel::TraceKind::TrapEnter:
      h.in_interrupt = true;
      break;
    case kernel::TraceKind::TrapExit:
      h.in_interrupt = false;
      break;
    case kernel::TraceKind::HandlerStart:
      h.handler = event.arg;
      first_handler_start_.try_emplace(event.arg, event.cycle);
      break;
    case kernel::TraceKind::HandlerEnd:
      h.handler = 0;
      break;
    case kernel::TraceKind::Switch:
      h.lwp = event.arg;
      h.lock_wait = 0;  // a blocked LWP leaves the hart
      break;
    case kernel::TraceKind::LockWait:
      h.lock_wait = event.arg + 1;
      break;
    case kernel::TraceKind::DeferStart:
      deferred.push_back(event.arg + 1);
      h.deferred = deferred.back();
      break;
    case kernel::TraceKind::DeferEnd: {
      const auto running = std::find(deferred.rbegin(), deferred.rend(), event.arg + 1);
      if (running != deferred.rend()) deferred.erase(std::next(running).base());
      h.deferred = deferred.empty() ? 0 : deferred.back();
      break;
    }
    case kernel::TraceKind::LockAcquire:
    case kernel::TraceKind::LockRelease: {
      const bool acquire = event.kind == kernel::TraceKind::LockAcquire;
      if (acquire) h.lock_wait = 0;
      if (event.arg < soc::kLockProbes) {  // a run with more fails (lock_probe_shortage())
        check_cycle(event);
        rtl_.set_lock_owner(event.arg, acquire ? event.arg2 + 1 : 0);
      }
      break;
    }
    default:
      return;
  }
  check_cycle(event);
  rtl_.set_kernel_probe(event.cpu, h);
}

void KernelProbes::end(RunSummary&) {
  const Scenario& s = info_->scenario;
  GtkwView view{s.harts,           static_cast<unsigned>(names_.locks()),
                s.nic.present,     s.crypto.present,
                s.clock_period_ps, std::nullopt,
                std::nullopt};
  // The first request of a scenario source: where a user looking at the waves starts; its
  // T2 is that source's first handler start (no handler runs before the first request).
  unsigned first_source = 0;
  for (const SourceLatency& l : metrics_.metrics().sources())
    for (const InjectedSource& src : s.sources)
      if (src.irq.source == l.source && l.first_t0 &&
          (!view.first_t0 || *l.first_t0 < *view.first_t0)) {
        view.first_t0 = *l.first_t0;
        first_source = l.source;
      }
  if (view.first_t0)
    if (const auto t2 = first_handler_start_.find(first_source); t2 != first_handler_start_.end())
      view.first_t2 = t2->second;
  names_.write_filters(info_->out_dir / "waves-filters");  // names: output/run_outputs.h
  write_gtkw(info_->out_dir / "waves.gtkw", view);
}

namespace {
// On with the scenario's waves; after the metrics, which say where the view starts.
const SinkRegistration kKernelProbes{
    "waves' kernel probes", 500, [](const SinkContext& c) -> std::unique_ptr<RunSink> {
      if (!c.scenario.waves.enabled) return nullptr;
      return std::make_unique<KernelProbes>(c.rtl, c.required<MetricsSink>());
    }};
}  // namespace

}  // namespace irqlab::cosim
