#pragma once
// Linux threaded interrupt handlers (research/kernel-semantics.md §1.8, L-TI-1..7),
// standalone on the kernel core: the Linux personality owns one ThreadedIrqs object (and
// uses forced_threaded() for threadirqs / PREEMPT_RT, L-RT-1), but nothing here needs it.
//
// request_threaded_irq(irq, priority, primary, thread_fn, flags, name), before the harts
// boot for the first action on a line (Kernel::attach_irq with the line's flow handler,
// PLIC priority `priority`); later sharers may come after boot. Returns 0, -kEinval or
// -kEbusy:
// - no primary and no thread_fn, irq outside the PLIC: -EINVAL; no primary: the default
//   primary (returns IRQ_WAKE_THREAD), which needs IRQF_ONESHOT unless the chip is
//   ONESHOT_SAFE (options.chip_oneshot_safe; the PLIC is not): else -EINVAL (L-TI-2).
// - Sharing (L-TI-5): every action needs IRQF_SHARED and the same IRQF_ONESHOT and
//   trigger bits, else -EBUSY; each ONESHOT action takes one bit of the 64-bit
//   thread_mask (BITS_PER_LONG on RV64): the 65th fails with -EBUSY.
// - An action with a thread_fn gets an LWP "irq/<irq>-<name>", Band::Interrupt at
//   options.thread_priority (SCHED_FIFO 50 -> offset 50: 178 on the 0..223 scale, above
//   every user real-time priority, below NetBSD-style softint LWPs; L-TI-6). It is not
//   bound; before boot it is runnable and goes to sleep when it first runs (FS in and out).
//
// Flow handler (handle_fasteoi_irq), in the trap, on the claiming hart:
//   ONESHOT line: mask (PLIC priority 0: one MMIO write through PlicDriver, as Linux's
//                 sifive-plic irq_mask)                                    (L-TI-4)
//   every action: primary(irq); IRQ_WAKE_THREAD -> __irq_wake_thread:       (L-TI-1)
//                 RUNTHREAD already set -> nothing (coalesced raise);       (L-TI-3)
//                 else set it, threads_oneshot |= thread_mask,
//                 threads_active++, wake the thread (wakeup cost)
//                 (WAKE_THREAD without a thread_fn counts as handled)
//   ONESHOT line still masked and threads_oneshot == 0: unmask (MMIO, before the
//                 PLIC complete that the claim loop writes after the handler returns;
//                 Linux writes EOI first, the cost is the same)
// irq thread (irq_thread): sleep until RUNTHREAD; test-and-clear it; thread_fn (as
// DeferredWork::run(), T3); irq_finalize_oneshot: unless RUNTHREAD was set again, clear
// its thread_mask bit and unmask (priority restored, one MMIO write) when
// threads_oneshot becomes 0; threads_active--, waking synchronize_irq waiters at 0.
// K interrupts during a run give exactly one more run: on a ONESHOT line they stay
// pending in the masked PLIC gateway (one trap after the unmask), otherwise each primary
// finds RUNTHREAD set (L-TI-3).
// synchronize_irq (L-TI-7): spins (spin_iteration per check) while a hard handler of the
// line runs on any hart, then sleeps until threads_active is 0. Thread context only.
//
// Statistics: each threaded action is a DeferredWork record "irq/<irq>-<name>"
// (mechanism "irq_thread"): a wake is a raise (coalesced when RUNTHREAD was set), a
// thread_fn run is a run; the FS into the thread is charged to the run after it, the FS
// away to the last run before it sleeps.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "irq/irq_table.h"
#include "personality/deferred.h"
#include "sched/lwp.h"
#include "sync/sleepq.h"

namespace irqlab::kernel {

class Kernel;

namespace lnx {

enum class IrqReturn : std::uint8_t { None, Handled, WakeThread };
using IrqFn = std::function<IrqReturn(unsigned irq)>;

// include/linux/interrupt.h
inline constexpr unsigned IRQF_TRIGGER_RISING = 0x1;
inline constexpr unsigned IRQF_TRIGGER_FALLING = 0x2;
inline constexpr unsigned IRQF_TRIGGER_HIGH = 0x4;
inline constexpr unsigned IRQF_TRIGGER_LOW = 0x8;
inline constexpr unsigned IRQF_TRIGGER_MASK = 0xf;
inline constexpr unsigned IRQF_SHARED = 0x80;
inline constexpr unsigned IRQF_ONESHOT = 0x2000;
inline constexpr unsigned IRQF_NO_THREAD = 0x10000;
inline constexpr int kEinval = 22;
inline constexpr int kEbusy = 16;
inline constexpr unsigned kThreadMaskBits = 64;  // BITS_PER_LONG (RV64)

struct ThreadedIrqOptions {
  unsigned thread_priority = 50;   // SCHED_FIFO priority -> offset in Band::Interrupt
  bool chip_oneshot_safe = false;  // IRQCHIP_ONESHOT_SAFE (the PLIC driver: no)
};

class ThreadedIrqs {
 public:
  ThreadedIrqs(Kernel& kernel, ThreadedIrqOptions options = {});
  ~ThreadedIrqs();
  ThreadedIrqs(const ThreadedIrqs&) = delete;
  ThreadedIrqs& operator=(const ThreadedIrqs&) = delete;

  // `primary` or `thread_fn` may be empty (see above). Throws std::logic_error for the
  // first action of a line after boot (the PLIC priority is written at boot).
  int request_threaded_irq(unsigned irq, unsigned priority, IrqFn primary, IrqFn thread_fn,
                           unsigned flags, std::string name);
  int request_irq(unsigned irq, unsigned priority, IrqFn handler, unsigned flags, std::string name) {
    return request_threaded_irq(irq, priority, std::move(handler), {}, flags, std::move(name));
  }
  // Forced threading (L-RT-1), for Personality::wrap_irq: `handler` becomes the thread
  // function of a ONESHOT action with the default primary; returns the flow handler to
  // register instead (the caller registers it; no attach here). Throws
  // std::invalid_argument if the line already has actions.
  // `thread_wrapper`, if set, runs the handler (irq_forced_thread_fn: BH disabled, L-RT-2).
  using ThreadWrapper = std::function<void(const std::function<void()>& fn)>;
  IrqHandler forced_threaded(unsigned irq, unsigned priority, IrqHandler handler,
                             std::string name = "irq", ThreadWrapper thread_wrapper = {});
  // True while request_threaded_irq() is inside Kernel::attach_irq (a wrap_irq that
  // forces threading must pass the flow handler through unchanged).
  bool attaching() const { return attaching_; }

  void synchronize_irq(unsigned irq);
  // irq_wake_thread(irq, dev_id): __irq_wake_thread for the threaded action `name` of the
  // line, from any context (panics if there is none).
  void irq_wake_thread(unsigned irq, const std::string& name);

  // Inspection.
  // Whether `lwp` is the thread of one of line `irq`'s threaded actions.
  bool is_thread_of(unsigned irq, const Lwp& lwp) const;
  bool masked(unsigned irq) const { return desc(irq).masked; }
  std::uint64_t threads_oneshot(unsigned irq) const { return desc(irq).threads_oneshot; }
  unsigned threads_active(unsigned irq) const { return desc(irq).threads_active; }
  std::uint64_t unhandled(unsigned irq) const { return desc(irq).unhandled; }
  Lwp* thread(unsigned irq, unsigned action) const { return desc(irq).actions.at(action)->thread; }
  std::uint64_t thread_mask(unsigned irq, unsigned action) const {
    return desc(irq).actions.at(action)->thread_mask;
  }
  DeferredWork& record(unsigned irq, unsigned action) const {  // threaded actions only
    return *desc(irq).actions.at(action)->record;
  }

 private:
  struct Desc;
  struct Action {
    Desc* desc = nullptr;
    std::string name;
    IrqFn primary;
    IrqFn thread_fn;
    unsigned flags = 0;
    std::uint64_t thread_mask = 0;
    bool runthread = false;  // IRQTF_RUNTHREAD
    bool switched_in = true;
    Lwp* thread = nullptr;
    SleepQueue wait;
    DeferredWork* record = nullptr;
  };
  struct Desc {
    unsigned irq = 0;
    unsigned priority = 0;
    std::vector<std::unique_ptr<Action>> actions;
    bool masked = false;
    std::uint64_t threads_oneshot = 0;
    unsigned threads_active = 0;
    unsigned in_progress = 0;  // hard handlers running (any hart)
    std::uint64_t unhandled = 0;
    SleepQueue wait_for_threads;
  };

  const Desc& desc(unsigned irq) const { return descs_.at(irq); }
  int add_action(Desc& d, IrqFn primary, IrqFn thread_fn, unsigned flags, std::string name);
  void handle(Desc& d);  // the flow handler
  void wake_thread(Desc& d, Action& a);
  void irq_thread(Action& a);
  void finalize_oneshot(Desc& d, Action& a);
  void mask(Desc& d);
  void unmask(Desc& d);

  Kernel& kernel_;
  ThreadedIrqOptions options_;
  std::map<unsigned, Desc> descs_;
  bool attaching_ = false;
};

}  // namespace lnx
}  // namespace irqlab::kernel
