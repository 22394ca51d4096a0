#pragma once
// The lazy RTL clock: the time-synchronisation policy between the SystemC harts and the
// Verilated SoC. Conservative lookahead, with no SystemC process woken per cycle.
//
// Agents and their next touch:
// - Every hart is a client with a `next touch`: the earliest cycle at which it may change
//   the RTL's inputs (drive the bus, change a kernel probe) or must read its interrupt
//   line. A running hart's next touch is its current cycle; a hart inside work of n cycles
//   touches at its end; a hart sleeping in WFI or waiting for the bus has none until woken,
//   and whoever wakes it sets it. Scheduled stimulus is applied by the RTL itself at its
//   cycle, so it needs no client.
// - Invariant 1 (safety): the RTL goes from cycle x to x+1 only when every other client's
//   next touch is after x. So the RTL never runs past a cycle at which some hart could
//   still change its inputs, and a running hart always finds the RTL at or before its time.
// - Invariant 2 (no late interrupt): a hart that can take an interrupt (in WFI, or in work
//   with interrupts open) is `watching` its line. Every RTL step, whoever makes it, checks
//   the watching harts' lines; when one is high in cycle r, that hart is cut there: its
//   next touch becomes its first instruction boundary b >= r (WFI: r itself) and it is
//   woken at b, which by invariant 1 is not in its past. The rest of its work resumes
//   after the trap. A cut that would fall at or after the end of the work is left to the
//   end, where the hart checks its line anyway.
// - Lookahead: while any hart watches, the RTL stepper runs the RTL in a plain C++ loop up
//   to the earliest next touch of all clients (or the end of the run), skipping quiescent
//   stretches (rtl/rtl_domain.h). Otherwise the harts catch the RTL up to their own cycle
//   when they touch it, and the bus bridge steps it through a handshake.
// - Cost: one SystemC wait per piece of work or wake-up, never per cycle.
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <systemc>
#include <vector>

#include "cpu/hart_sync.h"
#include "rtl/rtl_domain.h"

namespace irqlab::cosim {

class LazyClock : public sc_core::sc_module, public models::HartSync {
 public:
  SC_HAS_PROCESS(LazyClock);
  static constexpr Cycle kNever = std::numeric_limits<Cycle>::max();
  static constexpr unsigned kNoHart = std::numeric_limits<unsigned>::max();

  // The RTL stepper stops at end_cycle.
  LazyClock(const sc_core::sc_module_name& name, RtlDomain& rtl, sc_core::sc_time period,
            unsigned harts, Cycle end_cycle);

  // HartSync
  Cycle now() const override;
  void advance(unsigned hart, Cycle n) override;
  Cycle advance_interruptible(unsigned hart, Cycle n, models::InstructionBoundaries& boundaries) override;
  bool irq_line(unsigned hart) override;
  void wait_irq(unsigned hart) override;

  // For cycle-exact targets working on behalf of a hart (the bus bridge).
  RtlDomain& rtl() { return rtl_; }
  void sync(unsigned hart);      // catch the RTL up to the current cycle
  void step(unsigned hart);      // one RTL cycle, waiting until no other hart may act first
  void block(unsigned hart);     // the hart waits on an event it does not know the time of
  // Wake a blocked hart at cycle `at` by notifying `event` then.
  void unblock(unsigned hart, Cycle at, sc_core::sc_event& event);
  sc_core::sc_time period() const { return period_; }
  // Why the RTL stepper stopped the simulation (an RTL assertion failed while it stepped),
  // if it did. A hart that steps the RTL reports such a failure as its own (models/cpu).
  const std::optional<std::string>& failure() const { return failure_; }

 private:
  struct Client {
    Cycle next_touch = 0;
    Cycle deadline = kNever;  // while watching: the end of its work (WFI: never)
    models::InstructionBoundaries* boundaries = nullptr;  // while watching during work
    sc_core::sc_event wake;
  };

  void rtl_stepper();
  void run_rtl_to(Cycle target);
  void cut_watchers();
  void watch(unsigned hart, Cycle deadline, models::InstructionBoundaries* boundaries);
  Cycle horizon(unsigned self) const;
  void set_next_touch(unsigned hart, Cycle at);

  RtlDomain& rtl_;
  sc_core::sc_time period_;
  Cycle end_cycle_;
  std::vector<Client> clients_;
  unsigned watch_mask_ = 0;
  sc_core::sc_event progress_;
  std::optional<std::string> failure_;
};

}  // namespace irqlab::cosim
