#pragma once
// The waves' kernel side as a run sink. record() turns the kernel's events into per-hart
// signals of the SoC's waves: what runs, whether the hart is in an interrupt, whose
// handler runs, which LWP runs and which lock it waits for; the first kLockProbes locks
// also get their owner shown. A hart emits events at its own cycle, where the RTL stands
// when the hart runs (sync/lazy_clock.h), so each change lands in the FST at the cycle the
// kernel reported. end() writes waves.gtkw (the FST itself is closed by the RTL domain
// before). On when the scenario's waves are.
#include <array>
#include <optional>

#include "metrics/metrics_sink.h"
#include "rtl/rtl_domain.h"
#include "run/run_sink.h"
#include "trace/trace.h"

namespace irqlab::cosim {

class KernelProbes : public RunSink {
 public:
  // `metrics` (for where the view starts: the first injected request) must outlive it.
  KernelProbes(RtlDomain& rtl, const MetricsSink& metrics) : rtl_(rtl), metrics_(metrics) {}
  void begin(const RunInfo& info) override { info_.emplace(info); }
  void record(const kernel::TraceEvent& event) override;
  // Writes waves.gtkw; throws when it cannot.
  void end(RunSummary& summary) override;

 private:
  void check_cycle(const kernel::TraceEvent& event) const;

  RtlDomain& rtl_;
  const MetricsSink& metrics_;
  std::optional<RunInfo> info_;
  std::array<RtlDomain::KernelProbe, soc::kMaxHarts> harts_{};
};

}  // namespace irqlab::cosim
