#pragma once
// Driver for the RISC-V PLIC (riscv-plic-spec 1.0.0), modelled on Linux's
// drivers/irqchip/irq-sifive-plic.c. Registered as device "plic"; the platform's
// interrupt controller, so it attaches and boots before every other driver.
//
// Context n is hart n. boot_cpu() is split so no hart waits for another:
//   set_priority()   global PRIO registers; written by hart 0 at boot for every source
//                    the kernel requested (drivers', injected, attached, in that order).
//                    A source with priority 0 never interrupts, so enabling it on a
//                    context first is harmless: it becomes live when its priority lands.
//   init_context()   the calling hart's own enable words and threshold: its floor
//                    (KernelConfig::threshold_floor, 0 by default: every non-zero
//                    priority passes); no other hart touches them.
//
// The threshold floor is firmware's boot-time choice, which the kernel keeps: spl asks
// for its IPL level's threshold (ipl/spl.h) and set_threshold() writes the larger of that
// and the hart's floor, skipping the write when the register holds it already (levels
// whose thresholds are both at or under the floor cost no bus access). So a source whose
// priority is at or under a hart's floor never raises that hart's interrupt; the claim
// ignores the threshold (PLIC spec), so a trap taken for another source claims it too.
//
// claim_loop() runs in the trap, interrupts disabled, on the hart that took the
// external interrupt. As Linux's plic_handle_irq() it claims until the PLIC returns 0:
//
//   id = CLAIM[ctx]                      Claim(id) when the read returns
//   id == 0 -> done
//   irqs.dispatch(id)                    irq_dispatch, HandlerStart (T2), handler, HandlerEnd
//   COMPLETE[ctx] = id                   Complete(id) when the write returns
//
// Every source claimed is completed, handled or not, or its gateway would stay closed.
#include <vector>

#include "drivers/driver.h"
#include "drivers/regs/plic_regs.h"
#include "irq/irq_table.h"
#include "machine/machine.h"
#include "trace/trace.h"

namespace irqlab::kernel {

class PlicDriver final : public Driver, public InterruptController {
 public:
  PlicDriver(Kernel& kernel, const PlatformDevice& device);

  // Driver. The PLIC serves no source of its own.
  void attach() override {}
  void boot_cpu(unsigned cpu) override;
  InterruptController* as_interrupt_controller() override { return this; }

  // InterruptController
  void set_priority(unsigned source, unsigned priority) override;
  void set_threshold(unsigned ctx, unsigned value) override;
  unsigned claim_loop(unsigned ctx) override;

  // Writes every enable word of context `ctx` (bits of `sources` set, others clear), then
  // its threshold (the floor). On hart `ctx`, interrupts disabled.
  void init_context(unsigned ctx, const std::vector<unsigned>& sources);

 private:
  Machine& machine_;
  Tracer& tracer_;
  IrqTable& irqs_;
  Addr base_;
  unsigned plic_sources_;
  std::vector<unsigned> floor_;    // per context: KernelConfig::threshold_floor
  std::vector<unsigned> written_;  // per context: THRESHOLD as last written (its hart's)
};

}  // namespace irqlab::kernel
