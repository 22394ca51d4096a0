#pragma once
// The lazy RTL clock: the time-synchronisation policy between the SystemC harts and the
// Verilated SoC.
//
// Rules:
// - Every hart is a client with a `next touch`: the earliest cycle at which it may touch
//   the RTL again (read its interrupt line, drive the bus, change a kernel probe). A
//   running hart's next touch is its current cycle; a hart inside consume(n) touches at
//   its end; a hart sleeping in WFI or waiting for the bus has none until woken, and
//   whoever wakes it sets it.
// - The RTL may be stepped from cycle x to x+1 only when every other client's next
//   touch is after x. So the RTL never runs past a cycle where some hart could still
//   change its inputs, and a hart that runs always finds the RTL at or before its time.
// - The RTL is stepped by whoever needs it: a hart catching up at a step boundary, the
//   bus bridge running a handshake, or, while any hart sleeps in WFI, the idle stepper,
//   which runs the RTL in a plain C++ loop up to the next touch of the busy harts. No
//   SystemC process wakes per cycle.
// - Each step checks the sleeping harts' interrupt lines, so a sleeping hart wakes at
//   the exact cycle its line rises, whoever stepped the RTL there.
#include <cstdint>
#include <limits>
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

  // The idle stepper stops at end_cycle.
  LazyClock(const sc_core::sc_module_name& name, RtlDomain& rtl, sc_core::sc_time period,
            unsigned harts, Cycle end_cycle);

  // HartSync
  Cycle now() const override;
  void advance(unsigned hart, Cycle n) override;
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

 private:
  void idle_stepper();
  void step_one();
  Cycle horizon(unsigned self) const;
  void set_next_touch(unsigned hart, Cycle at);

  RtlDomain& rtl_;
  sc_core::sc_time period_;
  Cycle end_cycle_;
  std::vector<Cycle> next_touch_;
  std::vector<sc_core::sc_event> wake_;
  unsigned idle_mask_ = 0;
  sc_core::sc_event progress_;
};

}  // namespace irqlab::cosim
