#pragma once
// Turns the kernel's trace stream into per-hart signals of the SoC's waves: what runs,
// whether the hart is in an interrupt, and whose handler runs. A hart emits events at
// its own cycle, where the RTL stands when the hart runs (sync/lazy_clock.h), so each
// change lands in the FST at the cycle the kernel reported. The first kLockProbes locks
// also get their owner shown.
#include <array>

#include "rtl/rtl_domain.h"
#include "trace/trace.h"

namespace irqlab::cosim {

class KernelProbes : public kernel::TraceSink {
 public:
  explicit KernelProbes(RtlDomain& rtl) : rtl_(rtl) {}
  void record(const kernel::TraceEvent& event) override;

 private:
  void check_cycle(const kernel::TraceEvent& event) const;

  RtlDomain& rtl_;
  std::array<RtlDomain::KernelProbe, soc::kMaxHarts> harts_{};
};

}  // namespace irqlab::cosim
