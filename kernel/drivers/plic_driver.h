#pragma once
// Driver for the RISC-V PLIC (riscv-plic-spec 1.0.0), modelled on Linux's
// drivers/irqchip/irq-sifive-plic.c.
//
// Context n is hart n. Setup is split so no hart waits for another:
//   set_priority()   global PRIO registers; written by hart 0 at boot. A source with
//                    priority 0 never interrupts, so enabling it on a context first is
//                    harmless: it becomes live when its priority lands.
//   init_context()   the calling hart's own enable words and threshold (0, i.e. every
//                    non-zero priority passes); no other hart touches them.
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

#include "drivers/regs/plic_regs.h"
#include "irq/irq_table.h"
#include "machine/machine.h"
#include "platform/platform_map.h"
#include "trace/trace.h"

namespace irqlab::kernel {

class PlicDriver {
 public:
  PlicDriver(Machine& machine, const PlatformMap& platform, Tracer& tracer, IrqTable& irqs);

  void set_priority(unsigned source, unsigned priority);
  // Writes every enable word of context `ctx` (bits of `sources` set, others clear), then
  // its threshold.
  void init_context(unsigned ctx, const std::vector<unsigned>& sources);
  // The calling hart's context threshold (spl: sources of priority <= value stay pending).
  void set_threshold(unsigned ctx, unsigned value);
  // Returns the number of sources claimed (0 = the trap found nothing pending).
  unsigned claim_loop(unsigned ctx);

 private:
  Machine& machine_;
  const PlatformMap& platform_;
  Tracer& tracer_;
  IrqTable& irqs_;
};

}  // namespace irqlab::kernel
