#pragma once
// NetBSD 5 (research §3): hard interrupts on the interrupted LWP that never block, and
// fast software interrupts on their own LWPs (Andrew Doran's design, kern_softint.c).
//
// configure: the N-IPL-1 table (netbsd_ipl_table), SchedOptions::kernel_preemption =
// options.kernel_preemption (__HAVE_PREEMPTION; N-SI-12 needs it for the "runs as a
// high-priority LWP through kernel preemption" part).
// Hard interrupt handlers (Kernel::attach_irq) run on the interrupted LWP at their
// device's IPL (VM, SCHED or HIGH by PLIC priority), so an splx inside them never serves
// softints; they may take spin mutexes, never adaptive ones (panic).
//
// Softints (N-SI-1..17):
// - Four levels per CPU, clock < bio < net < serial, each with an LWP bound to the CPU at
//   the top four priorities of the Interrupt band (Spl OwnLwp levels SOFTCLOCK..SOFTSERIAL;
//   ids cpus + cpus*level + cpu, created by attach()).
// - softint_establish(flags, name, fn): one handler slot, replicated on every CPU;
//   level = flags & SOFTINT_LVLMASK; SOFTINT_MPSAFE: no kernel lock; no cookie when the
//   table (options.softint_max) is full.
// - softint_schedule(cookie): current CPU only; PENDING -> nothing; else PENDING, append
//   to the level's FIFO, trigger the level only if it is idle (si_active == 0).
// - Dispatch (fast path): the pending bit is served at splx/doreti, highest level first,
//   only below the level (Spl); the softint LWP is reached by an LS with the interrupted
//   LWP pinned (Scheduler::softint_dispatch); it takes handlers one at a time from the
//   FIFO (PENDING -> ACTIVE, call, clear ACTIVE) until the FIFO is empty; handlers
//   without MPSAFE run under the kernel lock, taken lazily and dropped before an MPSAFE
//   handler; a handler returning above the level (holding a spin mutex) panics.
// - Blocking on a mutex/rwlock: LS back to the pinned LWP; woken, the softint LWP is a
//   runnable Interrupt-band LWP that preempts (kernel preemption); when it finishes it
//   makes a full switch away. cv_wait panics (CondVar). While its level is active
//   (even blocked) the level is not re-triggered on that CPU: schedules only queue.
// - Slow path (options.fast_softints = false, N-SI-16): the trigger wakes the level's
//   LWP (an ordinary runnable LWP: need_resched = the AST); it runs after a full switch,
//   picked ahead of the run queue by priority (serial > net > bio > clock), and ends
//   with a full switch. softint_overlay is not modelled (docs/personalities.md).
// - softint_disestablish(cookie), thread context: waits, one tick per poll, until the
//   handler is neither PENDING nor ACTIVE on any CPU; then frees the slot.
// - schednetisr(n): softint_schedule of netisr n's handler (netisr_establish), each a
//   SOFTINT_NET | SOFTINT_MPSAFE handler (N-SI-17).
//
// Neutral API: DeferLevel -> softint level, mpsafe -> SOFTINT_MPSAFE, may_block is
// allowed (softints may block on mutexes and rwlocks). Bottom halves: OrDeferred is the
// softint, OrInline runs at once in the hard handler that schedules it (NetBSD has no
// interrupt threads). DeferredWork::dispatch() always queues (schednetisr). Crypto
// callbacks: Thread (OCF's cryptoret), Deferred with options.softint_continuation.
//
// mutex_init (N-HI-1/2): NetbsdMutex(kernel, name, ipl): adaptive when ipl is NONE or a
// soft level, else a spin mutex raising to ipl; an adaptive mutex taken in a hard
// interrupt handler panics (AdaptiveMutex).
#include <cstdint>
#include <deque>
#include <memory>
#include <span>
#include <string_view>
#include <optional>
#include <vector>

#include "ipl/ipl_table.h"
#include "personality/personality.h"
#include "sync/adaptive_mutex.h"
#include "sync/spin_mutex.h"

namespace irqlab::kernel {

struct Lwp;
class SleepQueue;

struct NetbsdOptions {
  // N-SI-6..9 fast path (__HAVE_FAST_SOFTINTS): softints reached by an LS with the
  // interrupted LWP pinned. false = N-SI-16 slow path (full switch, softint_picklwp).
  bool fast_softints = true;
  // __HAVE_PREEMPTION: kernel preemption (N-SI-12). Needs fast_softints (N-SI-16 #error).
  bool kernel_preemption = true;
  // Handler slots (softint_establish returns no cookie when they are used up, N-SI-2).
  unsigned softint_max = 64;
  // Crypto callbacks (the ESP continuation) on a net softint, as Matt Thomas and Andrew
  // Doran intended (research §6); false: OCF's cryptoret thread, as NetBSD 5 shipped.
  bool softint_continuation = false;
};

// NetBSD 5 x86 (research N-IPL-1): NONE, PREEMPT, SOFTCLOCK, SOFTBIO, SOFTNET,
// SOFTSERIAL, VM, SCHED, HIGH; thresholds by the ipl/ipl_table.h convention.
IplTable netbsd_ipl_table(unsigned plic_max_priority);

namespace netbsd {

// The name it registers under: scenario value of kernel.personality, options under
// kernel.netbsd.
inline constexpr std::string_view kName = "netbsd";

// sys/intr.h
inline constexpr unsigned SOFTINT_CLOCK = 0;
inline constexpr unsigned SOFTINT_BIO = 1;
inline constexpr unsigned SOFTINT_NET = 2;
inline constexpr unsigned SOFTINT_SERIAL = 3;
inline constexpr unsigned SOFTINT_COUNT = 4;
inline constexpr unsigned SOFTINT_LVLMASK = 0xff;
inline constexpr unsigned SOFTINT_MPSAFE = 0x100;

// netisr numbers (net/netisr.h)
inline constexpr unsigned NETISR_IP = 2;
inline constexpr unsigned NETISR_IPV6 = 24;
inline constexpr unsigned NETISR_ARP = 18;

using SoftintCookie = std::uint32_t;  // handler slot index

class Netbsd : public Personality {
 public:
  Netbsd(Kernel& kernel, const NetbsdOptions& options);
  ~Netbsd() override;
  std::string_view name() const override { return kName; }
  void attach() override;
  void establish(DeferredWork& work) override;
  CryptoCallbackMode crypto_callback_default() const override;
  void clock_tick(unsigned cpu) override;
  // Hard handlers run at their device's IPL (VM, SCHED or HIGH, N-IPL-1).
  IrqHandler wrap_irq(unsigned /*source*/, unsigned priority, IrqHandler handler) override {
    return at_device_level(priority, std::move(handler));
  }

  // kern_softint.c
  std::optional<SoftintCookie> softint_establish(unsigned flags, std::string name,
                                                 std::function<void()> fn);
  void softint_schedule(SoftintCookie cookie);
  void softint_disestablish(SoftintCookie cookie);
  // net/netisr: netisr_establish before use; schednetisr from any context.
  void netisr_establish(unsigned netisr, std::string name, std::function<void()> fn);
  void schednetisr(unsigned netisr);

  // IPL names (N-IPL-1): level indices in the kernel's table.
  unsigned ipl(const std::string& name) const;
  unsigned softint_ipl(unsigned softint_level) const { return soft_ipl_[softint_level]; }
  // splnet() = splvm(), splbio/spltty too; splclock/splaudio = splsched; splserial = splhigh.
  unsigned splsoftnet();
  unsigned splnet();
  unsigned splvm();
  unsigned splsched();
  unsigned splhigh();
  void splx(unsigned s);

  // Inspection, for tests.
  Lwp& softint_lwp(unsigned cpu, unsigned level) const;
  bool pending(SoftintCookie cookie, unsigned cpu) const;
  bool active(SoftintCookie cookie, unsigned cpu) const;
  bool level_active(unsigned cpu, unsigned level) const { return levels_[cpu][level].active; }
  std::uint64_t softint_blocks(unsigned cpu, unsigned level) const {
    return levels_[cpu][level].blocks;
  }
  DeferredWork& work_of(SoftintCookie cookie) const { return *handlers_.at(cookie).work; }

 private:
  static constexpr std::uint8_t kPending = 1, kActive = 2;
  struct Handler {
    bool used = false;
    unsigned level = 0;
    bool mpsafe = false;
    DeferredWork* work = nullptr;
    std::vector<std::uint8_t> flags;  // per CPU: kPending | kActive
  };
  struct Level {  // per CPU and softint level (softcpu_t / softint_t)
    std::deque<SoftintCookie> queue;
    bool active = false;  // si_active
    std::uint64_t blocks = 0;
    Lwp* lwp = nullptr;   // slow path: the level's LWP
    SleepQueue* idle = nullptr;  // slow path: where it waits for a trigger
  };
  SoftintCookie bind(unsigned flags, DeferredWork& work);
  void schedule(DeferredWork& work, SoftintCookie cookie);
  void trigger(unsigned cpu, unsigned level);
  void execute(unsigned cpu, unsigned level);  // softint_execute, on the level's LWP
  void slow_loop(unsigned cpu, unsigned level);

  NetbsdOptions options_;
  std::vector<Handler> handlers_;
  std::vector<std::vector<Level>> levels_;  // [cpu][softint level]
  std::vector<std::unique_ptr<SleepQueue>> slow_idle_;
  std::unique_ptr<SleepQueue> tick_waiters_;
  unsigned soft_ipl_[SOFTINT_COUNT] = {};
  std::vector<std::optional<SoftintCookie>> netisrs_;  // indexed by netisr number
};

// Its options, declared once (personality/options.h).
std::span<const OptionField<NetbsdOptions>> option_fields();
// KernelConfig::personality running this personality with `options`.
PersonalityConfig selected(const NetbsdOptions& options = {});
// The kernel's NetBSD personality; panics (KernelPanic) if the kernel runs another.
Netbsd& of(Kernel& kernel);

// mutex_init(9) with MUTEX_DEFAULT (N-HI-2).
class NetbsdMutex {
 public:
  NetbsdMutex(Kernel& kernel, std::string name, unsigned ipl);
  void enter();
  void exit();
  bool spin() const { return spin_ != nullptr; }
  LockBase& lock() { return spin_ ? static_cast<LockBase&>(*spin_) : *adaptive_; }

 private:
  std::unique_ptr<SpinMutex> spin_;
  std::unique_ptr<AdaptiveMutex> adaptive_;
};

}  // namespace netbsd
}  // namespace irqlab::kernel
