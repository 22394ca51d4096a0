#pragma once
// Linux (research §1.1-1.6, §1.9): hardirqs on the interrupted context, softirqs on the
// outermost irq_exit and at local_bh_enable, ksoftirqd, tasklets, PREEMPT_RT.
// (The namespace is `lnx`: `linux` is a predefined macro under GNU C++.)
//
// configure: the minimal IPL table (Linux masks with local_irq_disable only) and
// SchedOptions::kernel_preemption = options.kernel_preemption (CONFIG_PREEMPT; preempt_rt
// without it is a config error).
//
// Context bookkeeping (L-CTX-1/2): preempt_count() = preempt depth + SOFTIRQ_OFFSET while
// a softirq is served + SOFTIRQ_DISABLE_OFFSET (2 x SOFTIRQ_OFFSET) per local_bh_disable
// + HARDIRQ_OFFSET per hardirq level. The preempt depth and BH count are per LWP (task);
// the hardirq depth is CpuState::hard_depth and "serving" is per CPU (per task on RT,
// where serving is preemptible). For the core, BH-disable and preempt_disable hold
// Lwp::nopreempt (non-RT, L-BH-3) and serving a softirq is CpuState::soft_depth
// (interrupt context: no blocking, no preemption).
//
// Softirqs (L-SI-1..16): ten vectors, open_softirq(nr, action) binds one (a DeferredWork
// record named "<NAME>", mechanism "softirq/<NAME>"); HI and TASKLET belong to the
// tasklets, TIMER/BLOCK/NET_RX to the neutral lists once used; one 32-bit pending mask
// per CPU.
// raise_softirq_irqoff ORs the bit; from task context with BH enabled it wakes
// ksoftirqd/n (L-SI-4; RT: only when no BH section is active on the CPU).
// irq_exit (the core calls it after dropping hard_depth): outside interrupt/BH context
// with bits pending it runs handle_softirqs() in place (IC, no switch) unless
// - ksoftirqd_defers (L-SI-10, v4.9..v6.4) and ksoftirqd/n is runnable and neither HI nor
//   TASKLET is pending: nothing;
// - force_irqthreads (threadirqs, L-SI-11): wake ksoftirqd;
// - PREEMPT_RT (L-RT-3): never in place; wake ksoftirqd if no BH section is active.
// handle_softirqs: snapshot and clear the mask (cost softirq_pass, IRQs still off),
// enable IRQs, run each set vector in ascending order; with IRQs off re-read the mask;
// restart while jiffies < start +
// max_softirq_jiffies, !need_resched and --restart != 0 (max_softirq_restart = 10), else
// wake ksoftirqd (L-SI-14). A handler that changes preempt_count is logged (warnings())
// and the count restored (L-SI-16).
// ksoftirqd/n: one bound LWP per CPU, Kernel band priority 0 (an ordinary SCHED_NORMAL
// thread: a wake-up does not preempt a Kernel-band LWP), Dormant until woken; it runs
// handle_softirqs(ksirqd) while bits are pending, cond_resched() between passes.
//
// local_bh_disable/enable (L-BH-1..4): counted per LWP; the outermost enable outside
// interrupt context with bits pending runs the softirqs in the caller, preemption still
// off, then the need-resched check (L-SI-8). Enable in hardirq or with IRQs off logs a
// warning (WARN_ON_ONCE / lockdep, L-BH-2). RT: the first disable of a task pins it to
// its CPU (migrate_disable: Lwp::affinity) and takes the CPU's local lock (a sleeping,
// priority-inheriting mutex "softirq_ctrl/<cpu>"); the per-CPU count softirq_ctrl.cnt
// counts all sections; the outermost enable runs pending softirqs in that task when it is
// preemptible, else wakes ksoftirqd; serving does not disable preemption.
//
// Tasklets (L-TL-1..10): tasklet_init(name, fn, hi) returns a Tasklet (a DeferredWork
// record, mechanism "tasklet" / "tasklet_hi", level Net / Serial); SCHED/RUN bits, disable count,
// per-CPU FIFO lists served by TASKLET_SOFTIRQ / HI_SOFTIRQ; tasklet_disable and tasklet_kill wait
// (sleep on the tasklet in thread context, spin in atomic context); takeover_tasklets(cpu) splices
// a dead CPU's lists onto the caller's (CPU hotplug).
//
// Threaded IRQs and work queues: the personality owns one ThreadedIrqs (threaded_irq.h,
// L-TI) and one Workqueues (workqueue.h, L-WQ), both with default options.
// Forced threading (L-RT-1/2): force_irqthreads() = threadirqs || preempt_rt. Then
// wrap_irq() turns every Kernel::attach_irq handler into the thread function of a ONESHOT
// action with the default primary (ThreadedIrqs::forced_threaded, irq thread
// "irq/<n>-irq"); request_threaded_irq's own registrations pass through unchanged (there
// IRQF_NO_THREAD is honoured). The thread runs the handler through irq_forced_thread_fn()
// (BH disabled, and IRQs off on non-RT), so softirqs it raises run at that
// local_bh_enable, in the irq thread.
//
// Neutral API (establish): may_block = false: Clock -> a per-CPU list served by
// TIMER_SOFTIRQ, Bio -> BLOCK_SOFTIRQ, Net -> NET_RX_SOFTIRQ (NAPI-style poll list),
// Serial -> a (normal) tasklet. Pending is global (NAPI_STATE_SCHED / TASKLET_STATE_SCHED):
// a schedule while pending on another CPU coalesces there. may_block = true: a work item
// on system_wq (Workqueues::bind; kworker of the scheduling CPU). mpsafe is ignored
// (Linux has no big kernel lock here).
// Bottom halves (DeferredSpec::bottom_half, bottom_half.cpp): without forced threading,
// OrDeferred takes the mechanism above and OrInline runs at once in the hard handler
// that schedules it. With force_irqthreads() (threadirqs, PREEMPT_RT) a bottom half with
// a source has an irq thread "irq/<source>-<name>" (Interrupt band, SCHED_FIFO 50 as
// L-TI-6, Dormant until woken): a schedule() in hard interrupt context (a driver's own
// handler, which the personality does not thread) or from that thread sets RUNTHREAD
// and wakes it (L-TI-3 coalescing); the thread runs, under irq_forced_thread_fn (BH
// disabled, L-RT-2), the OrInline work itself or the OrDeferred work's mechanism, whose
// softirq then runs at the thread's local_bh_enable, inside the thread. Scheduled from
// its source's forced irq thread (a Kernel::attach_irq handler, already threaded by
// wrap_irq), OrInline runs at once there and OrDeferred takes the mechanism, which runs
// at that thread's local_bh_enable the same way. No ONESHOT masking: the driver's hard
// handler quiets its device, as a non-ONESHOT threaded driver's primary must.
// netif_receive_skb: DeferredWork::dispatch() of Net-level work that may not block runs
// it at once when called in softirq context (NAPI poll -> ip_rcv is a plain call); from
// anywhere else it is queued (netif_rx -> the backlog, NET_RX). Crypto callbacks:
// Deferred (the crypto driver's completion tasklet / NET_RX, research §6).
//
// Files: linux.cpp (the Personality subclass: config checks, attach, hooks, forced
// threading glue, the neutral mapping, spinlock_t), bh.cpp (context / preempt_count,
// local_bh_disable/enable, the PREEMPT_RT BH lock), softirq.cpp (open/raise_softirq,
// irq_exit, do_softirq, handle_softirqs, ksoftirqd), tasklet.cpp (tasklets),
// bottom_half.cpp (bottom halves in irq threads), linux_internal.h (helpers private to those
// sources); threaded_irq.{h,cpp} and workqueue.{h,cpp} as above.
#include <array>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string_view>
#include <string>
#include <vector>

#include "personality/linux/linux_costs.h"
#include "personality/linux/threaded_irq.h"
#include "personality/linux/workqueue.h"
#include "personality/personality.h"
#include "sync/adaptive_mutex.h"
#include "sync/sleepq.h"
#include "sync/spin_mutex.h"

namespace irqlab::kernel {

struct Lwp;

struct LinuxOptions {
  // L-SI-10 (ver): true = v4.9..v6.4 ("softirq: Let ksoftirqd do its job"): while
  // ksoftirqd/n is runnable and neither HI nor TASKLET is pending, irq_exit and
  // do_softirq leave the work to it. false (default) = v6.5+ (the revert d15121be7485).
  bool ksoftirqd_defers = false;
  // The threadirqs boot option: force_irqthreads() (L-SI-11, L-RT-1).
  bool threadirqs = false;
  // PREEMPT_RT (L-BH-4, L-RT-1..4): implies threadirqs and kernel preemption.
  bool preempt_rt = false;
  // CONFIG_PREEMPT: kernel preemption (SchedOptions::kernel_preemption); RT needs it.
  bool kernel_preemption = true;
  // L-SI-14: MAX_SOFTIRQ_TIME in jiffies (msecs_to_jiffies(2) at HZ=1000; jiffies count
  // CPU 0's ticks) and MAX_SOFTIRQ_RESTART.
  unsigned max_softirq_jiffies = 2;
  unsigned max_softirq_restart = 10;
};

namespace lnx {

// The name it registers under: scenario value of kernel.personality, options under
// kernel.linux.
inline constexpr std::string_view kName = "linux";

// include/linux/interrupt.h (L-SI-1)
enum : unsigned {
  HI_SOFTIRQ = 0,
  TIMER_SOFTIRQ,
  NET_TX_SOFTIRQ,
  NET_RX_SOFTIRQ,
  BLOCK_SOFTIRQ,
  IRQ_POLL_SOFTIRQ,
  TASKLET_SOFTIRQ,
  SCHED_SOFTIRQ,
  HRTIMER_SOFTIRQ,
  RCU_SOFTIRQ,
  NR_SOFTIRQS
};
const char* softirq_name(unsigned nr);  // "HI", "TIMER", ..., "RCU"

// include/linux/preempt.h (L-CTX-1)
inline constexpr std::uint32_t PREEMPT_OFFSET = 1;
inline constexpr std::uint32_t SOFTIRQ_OFFSET = 1u << 8;
inline constexpr std::uint32_t SOFTIRQ_DISABLE_OFFSET = 2 * SOFTIRQ_OFFSET;
inline constexpr std::uint32_t HARDIRQ_OFFSET = 1u << 16;

class Linux;

class Tasklet {
 public:
  const std::string& name() const;
  bool scheduled() const { return sched_; }  // TASKLET_STATE_SCHED
  bool running() const { return run_; }      // TASKLET_STATE_RUN
  unsigned count() const { return count_; }  // disable count
  bool hi() const { return hi_; }
  DeferredWork& work() const { return *work_; }

 private:
  friend class Linux;
  DeferredWork* work_ = nullptr;
  bool hi_ = false;
  bool sched_ = false;
  bool run_ = false;
  unsigned count_ = 0;
  SleepQueue waiters_;  // wait_var_event on the state
};

class Linux : public Personality {
 public:
  Linux(Kernel& kernel, const LinuxOptions& options);
  ~Linux() override;
  std::string_view name() const override { return kName; }
  void attach() override;
  IrqHandler wrap_irq(unsigned source, unsigned priority, IrqHandler handler) override;
  void irq_exit() override;
  void clock_tick(unsigned cpu) override;
  void establish(DeferredWork& work) override;
  CryptoCallbackMode crypto_callback_default() const override;
  bool dispatches_directly(const DeferredWork& work) const override;

  const LinuxOptions& options() const { return options_; }
  bool preempt_rt() const { return options_.preempt_rt; }
  bool force_irqthreads() const { return options_.threadirqs || options_.preempt_rt; }

  // --- Context (L-CTX) ----------------------------------------------------------------
  std::uint32_t preempt_count();  // of the calling CPU's current context
  bool in_hardirq();
  bool in_serving_softirq();
  bool in_interrupt();  // hardirq, serving softirq, or (non-RT) BH disabled
  unsigned softirq_disable_cnt();  // the current task's BH count (in local_bh_disable calls)
  void preempt_disable();
  void preempt_enable();

  // --- Softirqs (L-SI) ----------------------------------------------------------------
  // Before use; throws std::invalid_argument on a bad or already bound vector.
  void open_softirq(unsigned nr, std::function<void()> action);
  void raise_softirq(unsigned nr);           // local_irq_save around raise_softirq_irqoff
  void raise_softirq_irqoff(unsigned nr);    // may wake ksoftirqd (L-SI-4)
  void raise_softirq_bit(unsigned nr);       // __raise_softirq_irqoff: only the bit
  std::uint32_t local_softirq_pending(unsigned cpu) const { return cpu_[cpu].pending; }
  void do_softirq();                         // if !in_interrupt and pending
  void wakeup_softirqd();                    // the calling CPU's ksoftirqd
  Lwp& ksoftirqd(unsigned cpu) const { return *cpu_.at(cpu).ksoftirqd; }
  bool ksoftirqd_running(unsigned cpu, std::uint32_t pending) const;  // L-SI-10 check
  DeferredWork* softirq_work(unsigned nr) const { return vec_.at(nr).record; }
  std::uint64_t jiffies() const { return jiffies_; }

  // --- Bottom halves (L-BH) -----------------------------------------------------------
  void local_bh_disable();
  void local_bh_enable();

  // --- Tasklets (L-TL) ----------------------------------------------------------------
  Tasklet& tasklet_init(std::string name, std::function<void()> fn, bool hi = false);
  void tasklet_schedule(Tasklet& t);
  void tasklet_hi_schedule(Tasklet& t) { tasklet_schedule(t); }  // t.hi() picks the list
  void tasklet_disable_nosync(Tasklet& t) { ++t.count_; }
  void tasklet_disable(Tasklet& t);  // count++, then wait until !RUN
  void tasklet_enable(Tasklet& t);
  void tasklet_kill(Tasklet& t);
  void takeover_tasklets(unsigned dead_cpu);  // onto the calling CPU (L-TL-10)
  std::size_t tasklets_queued(unsigned cpu, bool hi) const {
    return (hi ? cpu_.at(cpu).hi_list : cpu_.at(cpu).list).size();
  }

  // --- Threaded IRQs and work queues (threaded_irq.h, workqueue.h) -------------------
  ThreadedIrqs& threaded_irqs() { return *threaded_; }
  Workqueues& workqueues() { return *workqueues_; }
  // irq_forced_thread_fn (L-RT-2): local_bh_disable, IRQs off unless RT, fn, IRQs back,
  // local_bh_enable (which runs the softirqs fn raised, in the calling thread).
  void irq_forced_thread_fn(const std::function<void()>& fn);

  // WARN_ON_ONCE / printk messages, in order (L-BH-2, L-SI-16, L-TL-8).
  const std::vector<std::string>& warnings() const { return warnings_; }
  // Passes that ended by waking ksoftirqd (L-SI-14), per CPU.
  std::uint64_t softirq_overruns(unsigned cpu) const { return cpu_.at(cpu).overruns; }

 private:
  struct Vector {
    std::function<void()> action;
    DeferredWork* record = nullptr;  // open_softirq's record (none for personality lists)
    bool bound = false;
  };
  struct Cpu {
    std::uint32_t pending = 0;
    bool serving = false;  // non-RT: SOFTIRQ_OFFSET
    unsigned ctrl_cnt = 0;  // RT: softirq_ctrl.cnt (BH sections + serving)
    Lwp* ksoftirqd = nullptr;
    std::unique_ptr<AdaptiveMutex> local_lock;  // RT: softirq_ctrl.lock
    std::deque<Tasklet*> list, hi_list;
    std::array<std::deque<DeferredWork*>, 3> neutral;  // TIMER, BLOCK, NET_RX lists
    bool ks_entry = false;      // charge ksoftirqd's FS in to the next run
    DeferredWork* ks_last = nullptr;
    std::uint64_t overruns = 0;
  };
  struct Task {
    unsigned preempt = 0;  // preempt_disable depth through this API
    unsigned bh = 0;       // local_bh_disable depth
    bool serving = false;  // RT: serving softirqs in this task
    CpuMask affinity = 0;  // RT: affinity before migrate_disable
    bool locked = false;   // RT: holds the CPU's local lock
  };
  Task& task(const Lwp& lwp) { return tasks_[&lwp]; }
  Task& self_task();
  unsigned cpu_id() const;
  void warn(const std::string& message);
  void handle_softirqs(bool ksirqd);
  void run_work(DeferredWork& work);
  void run_ksoftirqd(unsigned cpu);
  void wakeup_softirqd(unsigned cpu);
  bool should_wake_ksoftirqd(unsigned cpu) const;
  void rt_bh_lock();
  void rt_bh_unlock();
  void tasklet_action(bool hi);
  void tasklet_wake(Tasklet& t);
  void tasklet_wait(Tasklet& t, bool for_sched);
  void neutral_schedule(DeferredWork& work, unsigned list, unsigned nr);
  void neutral_action(unsigned list);
  void bind_mechanism(DeferredWork& work);  // the neutral mapping (header comment)

  // A bottom half's irq thread under forced threading (bottom_half.cpp).
  struct BottomHalfThread {
    DeferredWork* work = nullptr;
    std::function<void(DeferredWork&)> mechanism;  // the level's (bind_mechanism)
    Lwp* lwp = nullptr;
    bool runthread = false;  // IRQTF_RUNTHREAD
  };
  void establish_bottom_half_thread(DeferredWork& work);
  void schedule_bottom_half(BottomHalfThread& t, DeferredWork& work);
  void wake_bottom_half(BottomHalfThread& t);
  void bottom_half_thread(BottomHalfThread& t);

  LinuxOptions options_;
  LinuxCosts costs_;
  std::array<Vector, NR_SOFTIRQS> vec_;
  std::vector<Cpu> cpu_;
  std::map<const Lwp*, Task> tasks_;
  std::deque<Tasklet> tasklets_;
  std::uint64_t jiffies_ = 0;
  std::vector<std::string> warnings_;
  std::unique_ptr<ThreadedIrqs> threaded_;
  std::unique_ptr<Workqueues> workqueues_;
  std::deque<BottomHalfThread> bottom_halves_;
};

// Its options, declared once (personality/options.h).
std::span<const OptionField<LinuxOptions>> option_fields();
// KernelConfig::personality running this personality with `options`.
PersonalityConfig selected(const LinuxOptions& options = {});
// The kernel's Linux personality; panics (KernelPanic) if the kernel runs another.
Linux& of(Kernel& kernel);

// spinlock_t / raw_spinlock_t (L-RT-4, unverified): a spinning lock that disables
// preemption, except spinlock_t under PREEMPT_RT, which is a sleeping,
// priority-inheriting mutex (rtmutex; here the adaptive mutex on a turnstile), so it may
// not be taken in true hardirq context (panics there).
class SpinLock {
 public:
  SpinLock(Kernel& kernel, std::string name, bool raw = false);
  void lock();
  void unlock();
  bool sleeping() const { return rt_ != nullptr; }

 private:
  Kernel& kernel_;
  std::unique_ptr<SpinMutex> spin_;
  std::unique_ptr<AdaptiveMutex> rt_;
};

}  // namespace lnx
}  // namespace irqlab::kernel
