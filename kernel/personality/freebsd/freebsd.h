#pragma once
// FreeBSD 7..12 (research §2): interrupt filters, ithreads and swi threads
// (kern_intr.c, sys/interrupt.h, sys/bus.h, kern_switch.c, sched_ule.c).
//
// configure: the minimal IPL table (FreeBSD has no spl; a spin mutex disables
// interrupts: a SpinMutex at HIGH), SchedOptions::kernel_preemption = options.preemption
// (options PREEMPTION) and preempt_min_priority = the kernel priority of
// options.preempt_thresh (F-15).
//
// Priorities: FreeBSD's 0 (best) .. 255 maps onto the kernel's scale (sched/lwp.h) by
// kernel_priority(): ithreads 0..47 -> Interrupt band 223..176 (223 - p), realtime
// 48..79 -> 127..96, kernel 80..111 -> 95..64 (112..119 -> 64), timeshare 120..183 ->
// 63..0 (worse -> 0). FreeBSD 9..12 sys/priority.h: PI_REALTIME 0, PI_AV 4, PI_NET 8,
// PI_DISK 12, PI_TTY 16, PI_DULL 20, PI_SWI(x) = 24 + 4x, PRI_MIN_KERN 80.
//
// intr_event (F-1..F-13):
// - One event per PLIC source (bus_setup_intr, intr_event_create) or per swi (swi_add).
//   Handlers are kept sorted by priority, FIFO among equals (F-1); a handler has a
//   filter, an ithread handler, or both. An event gets its ithread ("irq<src>: <name>"
//   or "swi<pri>: <name>", an unbound Interrupt-band LWP) with its first ithread handler;
//   the thread's priority is its best handler's (F-2): intr_priority(INTR_TYPE_*) for
//   hardware, PI_SWI(pri) for swi.
// - intr_event_handle, in the trap (IrqHandler): an event without handlers is a stray
//   (EINVAL, counted, F-7). Otherwise td_intr_nesting_level++ and critical_enter
//   (preempt_disable); every non-suspended filter in list order; a handler without a
//   filter, or a filter returning exactly FILTER_SCHEDULE_THREAD, makes `thread` true
//   (HANDLED|SCHEDULE_THREAD does not, F-5); a filter result other than FILTER_STRAY or a
//   non-empty OR of HANDLED and SCHEDULE_THREAD panics (F-4). thread: pre_ithread masks
//   the source (PLIC priority 0, one MMIO write; the claim loop's COMPLETE is the EOI),
//   then intr_event_schedule_thread; else post_filter (the EOI only). critical_exit,
//   td_intr_nesting_level--. Unclaimed interrupts are not reported (F-7).
// - intr_event_schedule_thread (F-8): it_need = 1; if the thread is in IWAIT it leaves
//   it through an ordinary wake-up (wakeup + runq_insert; need_resched if it beats the
//   CPU's LWP), else nothing more: interrupts while it runs cause exactly one more pass.
// - The switch (F-15..F-18): intr_event_handle's critical_exit is inside the trap, where
//   nothing switches; the owed preemption is taken at the trap's preemption point
//   (Scheduler::trap_return), after the claim loop and before the interrupted thread
//   resumes: the ithread runs first (FS), the interrupted thread is re-queued at the head
//   and resumes when the ithread goes back to IWAIT (FS). Kernel code is preempted only
//   with options.preemption, outside critical sections (critical_enter/exit =
//   preempt_disable/enable: the switch happens at the outermost critical_exit, F-17) and
//   for a thread whose priority is within preempt_thresh; otherwise the ithread runs at
//   the next return to user or voluntary switch (F-18). Return to user always switches.
// - ithread_loop (F-9): while it_need: it_need = 0, one pass; then, atomically
//   (interrupts off, no step boundary), if it_need is still 0: IWAIT, ie_count = 0 and a
//   full switch away (Scheduler::block).
// - A pass (F-10, F-11, F-6, F-13): every ithread handler of a hardware event (filter-only
//   handlers skipped), only the handlers whose ih_need it clears for a swi; non-MPSAFE
//   handlers each under Giant (Kernel::big_lock(), taken and dropped around the
//   handler); then, hardware only, storm throttling (intr_storm_threshold != 0 and
//   ie_count >= threshold: pause one tick, else ie_count++), then post_ithread unmasks
//   the source (PLIC priority back, one MMIO write).
// - ithread handlers may block on turnstile mutexes; hardware ithreads may not sleep
//   (THREAD_NO_SLEEPING: CondVar::wait panics, the LWP is marked like a softint LWP);
//   swi threads (IE_SOFT) may. Filters run in interrupt context, where an adaptive
//   mutex panics: only spin mutexes (F-12).
// - swi_add/swi_sched (F-14): swi_add creates an IE_SOFT event (or adds to one) with the
//   handler at PI_SWI(pri); swi_sched sets ih_need and schedules the thread unless
//   SWI_DELAY. swi_add may be called after boot.
//
// Every ithread handler (and swi handler) is a DeferredWork ("ithread/<event>" or
// "swi/<event>" in the statistics): raised when its thread is scheduled for it, T3 when
// it runs; the FS into the thread is charged to the first handler a wake-up runs, the FS
// out (IWAIT) to the last.
//
// Neutral API (establish): one swi event per DeferLevel, created on first use: Net ->
// SWI_NET ("swi1: net"), Clock -> SWI_CLOCK, Bio -> SWI_CAMBIO, Serial -> SWI_TTY;
// mpsafe -> INTR_MPSAFE; may_block is allowed. schedule() = swi_sched(cookie, 0).
// Kernel::attach_irq handlers become a filter on their source's event (primary interrupt
// context: they may not block) returning FILTER_HANDLED, or FILTER_SCHEDULE_THREAD when
// they scheduled their source's bottom half.
// Bottom halves (DeferredSpec::bottom_half OrDeferred or OrInline, with a source; both
// alike, bottom_half.cpp): the work is the ithread handler of its source's event, at the
// priority of its level's interrupt type (Net -> PI_NET, Bio -> PI_DISK, Clock ->
// PI_REALTIME, Serial -> PI_TTY). On an attach_irq event it joins the filter's handler
// (one handler with a filter and an ithread part); a source whose hard handler is a
// driver's own (Kernel::attach_hard_irq, not wrapped) gets an event of its own whose
// filter is that handler. schedule(): from the source's filter, the filter returns
// FILTER_SCHEDULE_THREAD (intr_event_handle masks, raises and schedules the ithread);
// from a driver's own hard handler (hard interrupt context) the same pre_ithread mask
// and intr_event_schedule_thread; from thread context (the ithread itself, say)
// intr_event_schedule_thread alone. One bottom half per source.
// netisr (options.netisr_direct, FreeBSD 7's net.isr.direct): DeferredWork::dispatch()
// of Net-level work runs it in the caller (netisr_dispatch direct); otherwise, and for
// every schedule(), it is queued to swi net (netisr_queue).
// Crypto callbacks: CryptoCallbackMode::Thread (OCF's crypto returns thread, as ESP's
// CBIFSYNC requests on a hardware driver), Immediate with options.crypto_cbimm.
//
// Files: freebsd.cpp (the Personality subclass: priorities, config checks, hooks,
// critical sections, the neutral mapping), intr_event.cpp (events, bus_setup_intr,
// handler registration, intr_event_handle: filters and masking), ithread.cpp
// (intr_event_schedule_thread, ithread_loop, handler passes, storm throttling), swi.cpp
// (swi_add, swi_sched), bottom_half.cpp (drivers' bottom halves in their ithread).
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <span>
#include <string_view>
#include <string>
#include <vector>

#include "personality/personality.h"

namespace irqlab::kernel {

struct Lwp;
class SleepQueue;

struct FreebsdOptions {
  // options PREEMPTION (research F-16..F-18): a woken thread good enough for
  // preempt_thresh preempts kernel code at the end of the critical section (the
  // interrupt path's critical_exit, Scheduler::trap_return). false: it waits for the
  // next AST, return to user or voluntary switch.
  bool preemption = true;
  // kern.sched.preempt_thresh (ULE, F-15), in FreeBSD priorities (0 best .. 255): only a
  // thread of priority <= preempt_thresh preempts kernel code; default PRI_MIN_KERN (80),
  // which covers ithreads, swi threads and realtime threads.
  unsigned preempt_thresh = 80;
  // hw.intr_storm_threshold (F-13): 0 = off (FreeBSD's default); needs the tick.
  unsigned intr_storm_threshold = 0;
  // net.isr.direct (FreeBSD 7: 1): netisr_dispatch() of Net-level work runs the protocol
  // in the caller's thread (DeferredWork::dispatch); 0: queued to swi net.
  bool netisr_direct = true;
  // Crypto callbacks as with CRYPTO_F_CBIMM: in crypto_done's own context (the crypto
  // ithread) instead of the crypto returns thread (research §6, "FreeBSD with CBIMM").
  bool crypto_cbimm = false;
};

namespace freebsd {

// The name it registers under: scenario value of kernel.personality, options under
// kernel.freebsd.
inline constexpr std::string_view kName = "freebsd";

// sys/bus.h: filter results and interrupt types / flags
inline constexpr int FILTER_STRAY = 0x01;
inline constexpr int FILTER_HANDLED = 0x02;
inline constexpr int FILTER_SCHEDULE_THREAD = 0x04;
inline constexpr unsigned INTR_TYPE_TTY = 1;
inline constexpr unsigned INTR_TYPE_BIO = 2;
inline constexpr unsigned INTR_TYPE_NET = 4;
inline constexpr unsigned INTR_TYPE_CAM = 8;
inline constexpr unsigned INTR_TYPE_MISC = 16;
inline constexpr unsigned INTR_TYPE_CLK = 32;
inline constexpr unsigned INTR_TYPE_AV = 64;
inline constexpr unsigned INTR_MPSAFE = 512;

// sys/interrupt.h: swi levels and swi_sched flags
inline constexpr unsigned SWI_TTY = 0;
inline constexpr unsigned SWI_NET = 1;
inline constexpr unsigned SWI_CAMBIO = 2;
inline constexpr unsigned SWI_BUSDMA = 3;
inline constexpr unsigned SWI_CLOCK = 4;
inline constexpr unsigned SWI_TQ_FAST = 5;
inline constexpr unsigned SWI_TQ = 6;
inline constexpr unsigned SWI_DELAY = 0x2;

// sys/priority.h (FreeBSD 9..12)
inline constexpr unsigned PI_REALTIME = 0;
inline constexpr unsigned PI_AV = 4;
inline constexpr unsigned PI_NET = 8;
inline constexpr unsigned PI_DISK = 12;
inline constexpr unsigned PI_TTY = 16;
inline constexpr unsigned PI_DULL = 20;
inline constexpr unsigned PI_SOFT = 24;
constexpr unsigned PI_SWI(unsigned x) { return PI_SOFT + x * 4; }
inline constexpr unsigned PRI_MIN_REALTIME = 48;
inline constexpr unsigned PRI_MIN_KERN = 80;
inline constexpr unsigned PRI_MIN_TIMESHARE = 120;

// FreeBSD priority -> the kernel's priority (header comment).
unsigned kernel_priority(unsigned freebsd_priority);
// kern_intr.c:intr_priority; throws std::invalid_argument without exactly one type.
unsigned intr_priority(unsigned flags);

using DriverFilter = std::function<int()>;  // returns FILTER_*
using DriverIntr = std::function<void()>;
using IntrCookie = std::uint32_t;  // a handler
using EventId = std::uint32_t;     // an intr_event
inline constexpr EventId kNoEvent = ~EventId{0};

struct EventStats {
  std::uint64_t handled = 0;    // intr_event_handle calls with handlers
  std::uint64_t stray = 0;      // calls on an event without handlers (EINVAL)
  std::uint64_t scheduled = 0;  // intr_event_schedule_thread calls
  std::uint64_t wakeups = 0;    // ... that took the thread out of IWAIT
  std::uint64_t passes = 0;     // ithread passes (ithread_execute_handlers)
  std::uint64_t storm_pauses = 0;
};

class Freebsd : public Personality {
 public:
  Freebsd(Kernel& kernel, const FreebsdOptions& options);
  ~Freebsd() override;
  std::string_view name() const override { return kName; }
  IrqHandler wrap_irq(unsigned source, unsigned priority, IrqHandler handler) override;
  void establish(DeferredWork& work) override;
  void clock_tick(unsigned cpu) override;
  CryptoCallbackMode crypto_callback_default() const override;
  bool dispatches_directly(const DeferredWork& work) const override;

  // bus_setup_intr(9), before the harts boot: adds a handler (filter and/or ithread
  // handler) to the source's event, creating it (and registering it with the kernel at
  // PLIC priority `plic_priority`, enabled on `cpus`, empty = all) on first use; later
  // handlers keep the first registration. flags: one INTR_TYPE_* | INTR_MPSAFE.
  IntrCookie bus_setup_intr(unsigned source, unsigned plic_priority, unsigned flags,
                            DriverFilter filter, DriverIntr handler, std::string name,
                            std::vector<unsigned> cpus = {});
  // An event for `source` without handlers (interrupts on it are strays).
  EventId intr_event_create(unsigned source, unsigned plic_priority, std::vector<unsigned> cpus = {});
  // IH_SUSP: intr_event_handle skips the handler's filter; the ithread skips its handler.
  void intr_event_suspend_handler(IntrCookie cookie);
  void intr_event_resume_handler(IntrCookie cookie);

  // swi_add(9): *eventp == kNoEvent (or eventp null): a new IE_SOFT event (stored in
  // *eventp); else adds to that event, which must be a swi (std::invalid_argument:
  // EINVAL). The handler runs at PI_SWI(pri); flags: INTR_MPSAFE.
  IntrCookie swi_add(EventId* eventp, std::string name, DriverIntr handler, unsigned pri,
                     unsigned flags);
  void swi_sched(IntrCookie cookie, unsigned flags);

  // critical(9): critical_exit takes an owed preemption at the outermost exit.
  void critical_enter();
  void critical_exit();

  // Inspection, for tests.
  EventId event_of_source(unsigned source) const;
  EventId event_of(IntrCookie cookie) const { return handlers_.at(cookie).event; }
  Lwp* ithread(EventId event) const { return events_.at(event).thread; }
  bool it_need(EventId event) const { return events_.at(event).it_need; }
  bool iwait(EventId event) const { return events_.at(event).iwait; }
  bool masked(EventId event) const { return events_.at(event).masked; }
  const EventStats& event_stats(EventId event) const { return events_.at(event).stats; }
  unsigned handler_priority(IntrCookie cookie) const { return handlers_.at(cookie).pri; }
  std::vector<IntrCookie> handlers(EventId event) const { return events_.at(event).handlers; }
  DeferredWork* work_of(IntrCookie cookie) const { return handlers_.at(cookie).work; }
  unsigned intr_nesting_level(unsigned cpu) const { return nesting_.at(cpu); }
  EventId swi_event(DeferLevel level) const { return level_swi_[static_cast<unsigned>(level)]; }

 private:
  struct Handler {
    std::string name;
    EventId event = 0;
    DriverFilter filter;
    DeferredWork* work = nullptr;  // the ithread handler, if any
    unsigned pri = 0;              // FreeBSD priority
    bool mpsafe = false;
    bool suspended = false;
    bool need = false;  // ih_need (swi)
  };
  struct Event {
    std::string name;
    bool soft = false;
    unsigned source = 0;
    unsigned plic_priority = 0;        // 0 until known for a driver's own source (bottom_half.cpp)
    std::vector<IntrCookie> handlers;  // sorted by priority
    Lwp* thread = nullptr;
    bool it_need = false;
    bool iwait = true;
    bool masked = false;
    unsigned count = 0;  // ie_count (storm)
    bool thread_requested = false;  // the running filter scheduled the bottom half
    EventStats stats;
  };
  EventId new_event(std::string name, bool soft, unsigned source, unsigned plic_priority);
  void register_source(EventId event, std::vector<unsigned> cpus);
  IntrCookie add_handler(EventId event, std::string name, DriverFilter filter, DeferredWork* work,
                         unsigned pri, bool mpsafe);
  void handle(EventId event);  // intr_event_handle
  void attach_work(EventId event, IntrCookie cookie, DeferredWork& work);
  void establish_bottom_half(DeferredWork& work);
  void schedule_bottom_half(EventId event, DeferredWork& work);
  void pre_ithread_schedule(Event& ev);  // intr_event_handle's thread branch
  void schedule_thread(Event& ev);
  void ithread_loop(EventId event);
  void execute_handlers(Event& ev, DeferredWork*& first, DeferredWork*& last);
  void pause_tick();

  FreebsdOptions options_;
  std::deque<Event> events_;
  std::deque<Handler> handlers_;
  std::vector<unsigned> nesting_;  // td_intr_nesting_level, per CPU
  std::vector<EventId> filtering_;  // the event whose filters run, per CPU (kNoEvent)
  std::vector<EventId> source_event_;
  EventId level_swi_[4] = {kNoEvent, kNoEvent, kNoEvent, kNoEvent};
  bool registering_ = false;  // inside our own Kernel::attach_irq call
  std::unique_ptr<SleepQueue> tick_waiters_;
};

// Its options, declared once (personality/options.h).
std::span<const OptionField<FreebsdOptions>> option_fields();
// KernelConfig::personality running this personality with `options`.
PersonalityConfig selected(const FreebsdOptions& options = {});
// The kernel's FreeBSD personality; panics (KernelPanic) if the kernel runs another.
Freebsd& of(Kernel& kernel);

}  // namespace freebsd
}  // namespace irqlab::kernel
