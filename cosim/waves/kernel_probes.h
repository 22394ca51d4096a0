#pragma once
// The waves' kernel side as a run sink. record() turns the kernel's events into per-hart
// signals of the SoC's waves: what runs, whether the hart is in an interrupt, whose
// handler runs, which LWP runs, which lock it waits for and which deferred work runs; each
// lock's owner is shown too. A hart emits events at its own cycle, where the RTL stands
// when the hart runs (sync/lazy_clock.h), so each change lands in the FST at the cycle the
// kernel reported. It also keeps the run's names (waves/wave_names.h). end() writes the
// translate filters (waves-filters/) and waves.gtkw (the FST itself is closed by the RTL
// domain before). On when the scenario's waves are.
//
// The Verilated model has soc::kLockProbes lock probes (rtl/soc/soc.yaml,
// cosim_top.lock_probes): a run with waves whose kernel registers more locks fails before
// it starts (lock_probe_shortage(), checked by the runner), with a message saying how to
// raise the limit, rather than dropping locks from its waves.
#include <array>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "metrics/metrics_sink.h"
#include "rtl/rtl_domain.h"
#include "run/run_sink.h"
#include "trace/trace.h"
#include "waves/wave_names.h"

namespace irqlab::cosim {

// With waves, whether the lock probes can show a kernel's `locks` locks: nullopt if they
// can, else the run's error, naming the key that raises the limit. Callable anywhere.
std::optional<std::string> lock_probe_shortage(std::size_t locks);

class KernelProbes : public RunSink {
 public:
  // `metrics` (for where the view starts: the first injected request) must outlive it.
  KernelProbes(RtlDomain& rtl, const MetricsSink& metrics) : rtl_(rtl), metrics_(metrics) {}
  void begin(const RunInfo& info) override { info_.emplace(info); }
  void record(const kernel::TraceEvent& event) override;
  // Writes the filters and waves.gtkw; throws when it cannot.
  void end(RunSummary& summary) override;

 private:
  void check_cycle(const kernel::TraceEvent& event) const;

  RtlDomain& rtl_;
  const MetricsSink& metrics_;
  std::optional<RunInfo> info_;
  std::array<RtlDomain::KernelProbe, soc::kMaxHarts> harts_{};
  // Per hart, the deferred work running, innermost last (one may interrupt another).
  std::array<std::vector<unsigned>, soc::kMaxHarts> deferred_{};
  WaveNames names_;
  std::map<unsigned, kernel::Cycle> first_handler_start_;  // by PLIC source: its first T2
};

}  // namespace irqlab::cosim
