#include "waves/kernel_probes.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "waves/gtkw_writer.h"

namespace irqlab::cosim {

void KernelProbes::check_cycle(const kernel::TraceEvent& event) const {
  if (rtl_.cycle() != event.cycle)
    throw std::logic_error("kernel event at cycle " + std::to_string(event.cycle) +
                           " while the RTL stands at " + std::to_string(rtl_.cycle()));
}

void KernelProbes::record(const kernel::TraceEvent& event) {
  RtlDomain::KernelProbe& h = harts_[event.cpu];
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
    case kernel::TraceKind::LockAcquire:
    case kernel::TraceKind::LockRelease: {
      const unsigned lock = event.arg;
      const bool acquire = event.kind == kernel::TraceKind::LockAcquire;
      if (acquire) h.lock_wait = 0;
      if (lock < soc::kLockProbes) {
        check_cycle(event);
        rtl_.set_lock_owner(lock, acquire ? event.arg2 + 1 : 0);
      }
      break;
    }
    default:
      return;
  }
  check_cycle(event);
  rtl_.set_kernel_probe(event.cpu, h);
}

void KernelProbes::end(RunSummary& summary) {
  const Scenario& s = info_->scenario;
  // The first request of a scenario source: where a user looking at the waves starts.
  std::optional<Cycle> first;
  for (const SourceLatency& l : metrics_.metrics().sources())
    for (const InjectedSource& src : s.sources)
      if (src.irq.source == l.source && l.first_t0) first = std::min(first.value_or(*l.first_t0), *l.first_t0);
  write_gtkw(info_->out_dir / "waves.gtkw", info_->out_dir / "waves.fst", s.harts,
             std::min<unsigned>(summary.kernel.locks.size(), soc::kLockProbes), s.nic.present,
             s.crypto.present, s.clock_period_ps, first);
}

}  // namespace irqlab::cosim
