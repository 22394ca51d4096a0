#pragma once
// The Verilated SoC (--cc) and its clock, stepped from C++ one cycle at a time.
//
// Cycle c is the state after c rising edges; cycle 0 is the state right after reset.
// One step(): inputs of cycle c are applied (line changes due, kernel probes, bus pins
// already set by the bridge) and evaluated with the clock low, then the rising edge
// makes cycle c+1. Inputs thus change at the falling edge, mid-cycle, away from the
// active edge. The waves get two samples per cycle: the rising edge at c*P and the
// falling edge at c*P + P/2. When no input (kernel probes included) has changed since the
// last evaluation, the falling edge is not evaluated: it would change nothing but the
// model's record of the clock, which rtl/clock_edge.h makes instead; its wave sample is
// written all the same. The rising edge is evaluated without Verilator's input pass, which
// would recompute what the last evaluation settled (rtl/clock_edge.h).
// `evaluate_every_falling_edge` turns both off: every edge is a whole eval() (the reference the
// tests compare it with).
//
// Skipping quiescent RTL: when the SoC reports quiescent_o (no flop but the timer's
// free-running counters changes at the next edge, rtl/soc/irqlab_soc.sv), no input has
// changed since the last evaluation and no pending line change comes sooner, then
// nothing but those counters and the NIC's running moderation intervals can change before
// the timer's next compare match or the first interval's expiry. run_until() then jumps
// there (or to its limit) in one go: the counters are computed (rtl/timer_counters.h,
// rtl/nic_interval_timers.h), nothing else is evaluated, and no wave sample is written for the
// skipped cycles (the FST keeps every other signal's changes at their cycles; the clock and
// the counters are not drawn while skipped). Results are identical with skipping off.
//
// The NIC's pins (DMA master, MAC streams) are served while stepping by rtl/nic_port.h once
// attach_nic() is called: its outstanding DMA response and the wire's next beat are pending
// input changes, so a quiescent jump stops at them as at a pending line change. The crypto
// engine's DMA master and job pulses are served likewise by rtl/crypto_port.h once
// attach_crypto() is called.
//
// RTL assertions (rtl/rtl_assertions.h): the model is Verilated with --assert; after every
// evaluation that can fail one, a failed assertion throws RtlAssertionFailure naming the
// assertion, its block (scope), its source line and the cycle: step() and run_until() may
// throw it. The waves stay open for close_waves(). A quiescent skip writes the timer's
// counters out of band, so the rising edge right after a skip is evaluated with assertions
// off (their $past values are still sampled there): an assertion that compares a counter
// across an edge would see a jump no clock made.
//
// Nothing here knows about SystemC: who may step and how far is the business of the
// sync policy (sync/lazy_clock.h).
#include <cstdint>
#include <filesystem>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "bridge/tlul.h"
#include "machine/machine.h"
#include "net/mac_tx_sink.h"
#include "net/mac_wire.h"
#include "nic/nic_counter_values.h"
#include "rtl/dma_port.h"
#include "rtl/nic_interval_timers.h"
#include "rtl/timer_counters.h"
#include "soc_map.h"
#include "stimulus/irq_line_schedule.h"
#include "trace/trace.h"

class Virqlab_cosim_top;
class VerilatedContext;
class VerilatedFstC;

namespace irqlab::cosim {

using kernel::Cycle;
class NicPort;
class CryptoPort;

// What goes into the FST: the cycles [start, end), and the signals down to `depth` levels
// below the co-simulation top (1: its ports; 2 adds the SoC's own nets; more reaches into
// the blocks), plus the kernel probes of the run's `harts` and the lock probes at any depth.
struct WaveOptions {
  std::filesystem::path file;
  Cycle start = 0;
  Cycle end = std::numeric_limits<Cycle>::max();
  unsigned depth = 2;
  unsigned harts = soc::kMaxHarts;
};

class RtlDomain : public models::IrqLineSchedule {
 public:
  static constexpr unsigned kNumExtLines = soc::kMaxExtIrqs;

  // period_ps: clock period in picoseconds (even). waves: the FST to write, if any.
  RtlDomain(std::uint64_t period_ps, const std::optional<WaveOptions>& waves,
            bool skip_quiescent = true, bool evaluate_every_falling_edge = false);
  ~RtlDomain() override;
  RtlDomain(const RtlDomain&) = delete;
  RtlDomain& operator=(const RtlDomain&) = delete;

  Cycle cycle() const { return cycle_; }
  // One cycle, always evaluated (the bus bridge's handshakes).
  void step();
  // Runs until `limit`, or until a hart in `hart_mask` has its interrupt line high, whichever
  // comes first (checked from the current cycle on), skipping quiescent stretches.
  Cycle run_until(Cycle limit, unsigned hart_mask);
  // Cycles evaluated and cycles skipped so far.
  Cycle evaluated_cycles() const { return evaluated_; }
  Cycle skipped_cycles() const { return cycle_ - evaluated_; }

  bool irq_line(unsigned hart) const;
  unsigned irq_lines() const;

  // Register port (TL-UL subset, docs/rtl.md), driven by the bridge.
  void drive_request(const TlRequest& request);
  void drive_idle();
  bool request_accepted_at_edge() const;  // a_valid && a_ready, sampled before the edge
  std::optional<TlResponse> response() const;  // d_valid in the current cycle

  // Serves the NIC's pins from now on (rtl/nic_port.h): its DMA master through `dma`, its
  // MAC receive pins from `wire` (idle when null), its transmit beats into `tx`. All must
  // outlive the stepping. Call before the first step.
  void attach_nic(DmaTarget& dma, models::net::MacWire* wire, models::net::MacTxSink& tx);
  // The NIC's statistics counters as they stand now, read hierarchically
  // (irqlab_cosim_top.sv) without the clear a register read does.
  NicCounterValues nic_counters() const;
  // Serves the crypto engine's pins from now on (rtl/crypto_port.h): its DMA master through
  // `dma`, which must outlive the stepping. Call before the first step.
  void attach_crypto(DmaTarget& dma);

  // Pulls `source`'s changes one at a time, each applied at its cycle.
  void attach_line(unsigned line, models::LineSource& source) override;
  struct KernelProbe {
    kernel::CpuActivity activity = kernel::CpuActivity::Kernel;
    bool in_interrupt = false;
    unsigned handler = 0;  // PLIC source whose handler runs, 0 = none
    unsigned lwp = 0;      // LWP running or being switched to
    unsigned lock_wait = 0;  // 1 + id of the lock waited for, 0 = none
    unsigned deferred = 0;   // 1 + id of the deferred work running, 0 = none
  };
  void set_kernel_probe(unsigned hart, const KernelProbe& probe);
  // Owner of lock `lock` (< kLockProbes): 1 + LWP id, 0 = free.
  void set_lock_owner(unsigned lock, unsigned owner);
  // The RTL's events go into the run's one event stream (trace/trace.h), cycle-exact:
  //   SourceLine      a source line changed at the PLIC input; cycle: the first with the level
  //   GatewayRequest  the gateway took a request: its pending bit is set at the rising edge
  //                   ending `cycle` (the request was presented in `cycle`: T0)
  //   HartLine        a hart's interrupt line changed; cycle: the first with the new level
  //   FrameDropped    the NIC dropped a received frame (rtl/nic_port.h)
  //   CryptoJobStart / CryptoJobDone  the crypto engine's job pulses (rtl/crypto_port.h)
  // Set before the first step; the tracer must outlive the stepping.
  void emit_into(const kernel::Tracer& tracer);

  // Writes the last sample and closes the FST (also done by the destructor). Call at the
  // end of a run: from then on the process's heap is trimmed only above 4 MB of free top.
  void close_waves();

 private:
  void apply_line_changes();
  // Throws RtlAssertionFailure when an evaluation failed an assertion (see above).
  void check_assertions();
  void sample(std::uint64_t time_ps);  // a wave sample, inside the window
  // How far the RTL may jump from here without evaluating: 0 if it must evaluate.
  Cycle quiescent_cycles(Cycle limit);
  void skip(Cycle k);
  void observe_inputs();
  void observe_state();

  std::unique_ptr<VerilatedContext> context_;
  std::unique_ptr<Virqlab_cosim_top> top_;
  std::unique_ptr<VerilatedFstC> fst_;
  std::pair<Cycle, Cycle> wave_window_;
  std::unique_ptr<TimerCounters> timer_;
  std::unique_ptr<NicIntervalTimers> nic_timers_;
  std::unique_ptr<NicPort> nic_;
  std::unique_ptr<CryptoPort> crypto_;
  std::uint64_t period_ps_;
  bool skip_quiescent_;
  bool evaluate_every_falling_edge_;
  bool inputs_changed_ = true;   // SoC inputs, since the last evaluation
  bool probes_changed_ = false;  // kernel probes (trace only), since the last wave sample
  Cycle cycle_ = 0;
  Cycle evaluated_ = 0;
  // The next change of each attached source, earliest first: quiescent_cycles() stops there.
  struct PendingChange {
    unsigned line;
    bool level;
    models::LineSource* source;
  };
  std::multimap<Cycle, PendingChange> pending_;
  std::uint32_t ext_lines_ = 0;
  std::uint32_t last_sources_ = 0;
  std::uint32_t last_pending_ = 0;
  std::uint32_t last_irq_ = 0;
  const kernel::Tracer* tracer_ = nullptr;
};

}  // namespace irqlab::cosim
