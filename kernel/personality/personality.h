#pragma once
// Personalities: one interrupt architecture of research/kernel-semantics.md each
// (KernelConfig::personality, scenario key kernel.personality), each registered from its
// own folder (personality/registry.h). docs/personalities.md explains how to add one.
//
// Life cycle, driven by the kernel core:
//   1. configure(KernelConfig&)   before the Kernel exists: the personality sets the IPL
//                                 table and SchedOptions it needs (apply_personality();
//                                 validate_personality() checks its options).
//   2. make_personality(kernel)   at the end of Kernel's constructor; then attach():
//                                 establish soft levels, create LWPs (before boot).
//   3. hooks, on the hart concerned:
//        boot_cpu(cpu)            boot_hart(), after the hart's PLIC/timer setup, before
//                                 its idle loop; interrupts disabled
//        wrap_irq(src, prio, h)   Kernel::attach_irq(): the handler actually registered
//                                 (big lock, filter/ithread split, irq_enter/irq_exit)
//        irq_exit()               trap path after the claim loop, before the preemption
//                                 point (default: Spl::doreti(), the soft levels)
//        clock_tick(cpu)          every tick, after the scheduler's accounting
//        user_return()            Kernel::user(), before the AST check (returns to user)
//        establish(work)          Kernel::establish_deferred(): map a neutral DeferredWork
//                                 onto the mechanism (set work.mechanism); throw
//                                 std::invalid_argument if the personality cannot
//   4. queries, any context:
//        crypto_callback_default()  where the crypto framework runs callbacks when the
//                                 scenario leaves crypto.callback at default (as shipped)
//        dispatches_directly(work)  DeferredWork::dispatch() runs `work` in the caller's
//                                 context (FreeBSD direct netisr dispatch) instead of
//                                 scheduling it
// With the personality "none" every hook is the identity, so the core behaves exactly as
// without personalities.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "drivers/crypto/crypto_config.h"
#include "irq/irq_table.h"
#include "personality/deferred.h"
#include "personality/options.h"

namespace irqlab::kernel {

class Kernel;
struct KernelConfig;

class Personality {
 public:
  explicit Personality(Kernel& kernel) : kernel_(kernel) {}
  virtual ~Personality() = default;
  Personality(const Personality&) = delete;
  Personality& operator=(const Personality&) = delete;

  // The name it registered under (personality/registry.h).
  virtual std::string_view name() const = 0;

  virtual void attach() {}
  virtual void boot_cpu(unsigned /*cpu*/) {}
  virtual IrqHandler wrap_irq(unsigned /*source*/, unsigned /*priority*/, IrqHandler handler) {
    return handler;
  }
  virtual void irq_exit();
  virtual void clock_tick(unsigned /*cpu*/) {}
  virtual void user_return() {}
  virtual void establish(DeferredWork& work);  // default: throws (no mechanism)
  virtual CryptoCallbackMode crypto_callback_default() const { return CryptoCallbackMode::Immediate; }
  virtual bool dispatches_directly(const DeferredWork& /*work*/) const { return false; }

 protected:
  // The lowest hardware level of the kernel's IPL table that masks PLIC `priority`.
  unsigned device_level(unsigned priority) const;
  // `handler` run with the CPU's level at device_level(priority), as a CPU takes an
  // interrupt at the device's IPL: only the level variable is raised (interrupts are off
  // in a handler); on return the entry level is restored with Spl::set_level (a
  // THRESHOLD write only if the handler left another threshold). So an splx() inside
  // the handler never drops below the device level or serves soft levels there.
  IrqHandler at_device_level(unsigned priority, IrqHandler handler);
  // An OrInline bottom half (DeferredSpec::bottom_half) where it does not run in an
  // interrupt thread: wraps work.mechanism, set by establish(), so that a schedule() from
  // hard interrupt context runs the work at once, in the handler that scheduled it
  // (run_in_place); a schedule() from anywhere else keeps the mechanism. Host side, from
  // establish().
  void run_inline_from_hard_interrupt(DeferredWork& work);
  // Raises `work` and runs it on the calling context now. Any context the work may run in.
  static void run_in_place(DeferredWork& work);

  Kernel& kernel_;
};

// The kernel's personality, checked to be the one named `name`: panics when the kernel
// runs another one. Each personality's of(kernel) accessor casts the result to its class.
Personality& expect_personality(Kernel& kernel, std::string_view name);

// The personality's changes to a config (IPL table, SchedOptions); identity for "none"
// and for a name no personality registered (validate_personality() reports it).
KernelConfig apply_personality(KernelConfig config);
// Problems with the personality part of a config (one sentence each): an unknown
// personality, options of an unknown personality, unknown or out-of-range options, and
// the selected personality's own checks.
std::vector<std::string> validate_personality(const KernelConfig& config);
// The personality object for `kernel` (its config already applied).
std::unique_ptr<Personality> make_personality(Kernel& kernel);

}  // namespace irqlab::kernel
