#pragma once
// Linux concurrency-managed work queues (research/kernel-semantics.md §1.7, L-WQ-1..10),
// standalone on the kernel core: the Linux personality owns one Workqueues object, but
// nothing here needs it (tests run it with the personality "none").
//
// Namespace lnx: `linux` is a predefined macro under GNU C++.
//
// Worker pools (worker_pool):
// - Per CPU a normal pool (kworker/N:M, Band::Kernel + options.normal_priority, nice 0)
//   and a highpri pool (kworker/N:MH, + options.highpri_priority, nice -20), created on
//   first use by alloc_workqueue; plus one unbound pool (kworker/u:M, not bound).
// - A pool starts with one worker (created through the Scheduler; before boot it is
//   runnable and goes idle the first time it runs, an FS in and out). Idle workers are
//   LIFO (first_idle_worker). A worker that leaves idle while no other worker is idle
//   becomes the manager and creates one more (worker_create + the new LWP's wake-up,
//   L-WQ-7) before it processes work.
// - Concurrency management (L-WQ-5): nr_running counts workers processing work; queueing
//   wakes the first idle worker only when nr_running == 0; a worker that blocks
//   (SleepHooks::sleeping, from Scheduler::block) decrements it and wakes an idle worker
//   if work is pending; a worker keeps taking items while nr_running <= 1. Unbound-pool
//   workers and workers running WQ_CPU_INTENSIVE items are not counted (L-WQ-7), so every
//   queued item can get its own worker.
//
// Work items (work_struct, WorkItem):
// - queue_work_on (L-WQ-1): PENDING set -> false, nothing else (DeferRaise, coalesced).
//   Else the pool: the local CPU's (or `cpu`'s) normal/highpri pool, the unbound pool for
//   WQ_UNBOUND; but the pool still executing the item if there is one (L-WQ-3).
//   Cost work_queue, then: active (nr_active < max_active: on the pool's worklist, kick)
//   or inactive (waits on the (wq, pool) inactive list, L-WQ-6).
// - process_one_work (L-WQ-2): cost work_process; PENDING cleared before the function;
//   an item another worker of the pool is executing is handed to that worker (collision,
//   L-WQ-3); the function runs as DeferredWork::run() (T3); then the (wq, pool) active
//   count drops and the first inactive item is activated (FIFO).
// - Ordered work queue: unbound, max_active 1 -> strictly FIFO (L-WQ-6).
// - WQ_MEM_RECLAIM: a rescuer LWP "<wq name>" is created; worker creation never fails in
//   the simulation, so it only sleeps (documented choice, L-WQ-7).
// - Delayed work (L-WQ-8): delay 0 queues at once; else PENDING is held and a timer is
//   armed on the calling CPU. Timers are checked on every tick of that CPU (Kernel::
//   on_tick, after the personality's clock_tick, in the tick's hard-interrupt context,
//   not TIMER_SOFTIRQ): a delay of d ticks fires at the d-th tick after the call, so
//   the granularity is one tick period and the actual delay lies in ((d-1)P, dP].
//   mod_delayed_work re-arms (removes a pending instance first; true if there was one).
// - flush_work (L-WQ-9): waits until the instance pending or running at the call has
//   finished (true if it waited); flush_workqueue: every item of the queue that is
//   queued, inactive or running at the call. Flushers sleep on a sleep queue and are woken
//   (wakeup cost) when an execution finishes; there is no barrier work item.
// - cancel_work_sync (L-WQ-10): removes a pending instance (true if one was), holds
//   PENDING so new queueing fails meanwhile, waits for a running one; cancel_delayed_work
//   (non-sync) removes a pending instance and returns at once, even while the function
//   runs.
// Sleeping (flush, cancel_*_sync) panics in interrupt context (Scheduler::block).
//
// Statistics: every item is a DeferredWork record (Kernel::deferred_record; mechanism
// "workqueue/<wq name>"): raises, coalesced raises, T3 latency, blocking; the FS that
// switches a worker in is charged to the first item it then runs, the FS away when it
// goes idle to the last.
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "personality/deferred.h"
#include "personality/linux/linux_costs.h"
#include "sched/lwp.h"
#include "sync/sleepq.h"

namespace irqlab::kernel {

class Kernel;

namespace lnx {

// alloc_workqueue flags (include/linux/workqueue.h).
inline constexpr unsigned WQ_UNBOUND = 1 << 1;
inline constexpr unsigned WQ_MEM_RECLAIM = 1 << 3;
inline constexpr unsigned WQ_HIGHPRI = 1 << 4;
inline constexpr unsigned WQ_CPU_INTENSIVE = 1 << 5;
inline constexpr unsigned WQ_MAX_ACTIVE = 512;
inline constexpr unsigned WQ_DFL_ACTIVE = WQ_MAX_ACTIVE / 2;
inline constexpr int WORK_CPU_UNBOUND = -1;

struct WorkqueueOptions {
  unsigned normal_priority = 0;   // kworker/N:M: offset in Band::Kernel (nice 0)
  unsigned highpri_priority = 20;  // kworker/N:MH: offset in Band::Kernel (nice -20)
  bool own_tick = true;           // delayed-work timers on Kernel::on_tick (else call tick())
};

class Workqueue;
struct WorkerPool;
struct Worker;

// work_struct / delayed_work (one type: the timer part is unused unless queued delayed).
class WorkItem {
 public:
  explicit WorkItem(DeferredWork& record) : record_(&record) {}  // use Workqueues::init_work
  DeferredWork& record() { return *record_; }
  const std::string& name() const { return record_->name(); }
  bool pending() const { return pending_; }

 private:
  friend class Workqueues;
  DeferredWork* record_;
  SleepQueue flushers;           // flush_work / cancel_work_sync waiters
  bool pending_ = false;         // WORK_STRUCT_PENDING
  Workqueue* wq = nullptr;       // last queued on
  WorkerPool* pool = nullptr;    // pool it is queued on (or last ran on)
  enum class Where : std::uint8_t { Off, Timer, Active, Inactive, Scheduled } where = Where::Off;
  bool canceling = false;
  std::uint64_t seq_queued = 0, seq_started = 0, seq_done = 0;
  // Delayed work: timer.
  unsigned timer_cpu = 0;
  std::uint64_t timer_expires = 0;  // in ticks of timer_cpu
  int timer_target_cpu = WORK_CPU_UNBOUND;
};

class Workqueue {
 public:
  const std::string& name() const { return name_; }
  unsigned flags() const { return flags_; }
  unsigned max_active() const { return max_active_; }
  bool ordered() const { return ordered_; }

 private:
  friend class Workqueues;
  struct PoolWq {  // pool_workqueue
    unsigned nr_active = 0;
    std::deque<WorkItem*> inactive;
  };
  std::string name_;
  unsigned flags_ = 0;
  unsigned max_active_ = WQ_DFL_ACTIVE;
  bool ordered_ = false;
  std::map<const WorkerPool*, PoolWq> pwqs_;
  Lwp* rescuer_ = nullptr;
};

struct Worker {
  Lwp* lwp = nullptr;
  WorkerPool* pool = nullptr;
  unsigned id = 0;
  bool idle = false;
  bool prep = true;          // WORKER_PREP: not counted in nr_running
  bool cpu_intensive = false;
  bool sleeping = false;     // blocked while counted (wq_worker_sleeping)
  bool switched_in = true;   // charge the next item with the FS that brought it in
  WorkItem* current = nullptr;
  Workqueue* current_wq = nullptr;
  std::deque<WorkItem*> scheduled;  // collisions handed to this worker
  SleepQueue wait;            // where it sleeps while idle
};

struct WorkerPool {
  int cpu = -1;  // -1: unbound
  bool highpri = false;
  std::deque<WorkItem*> worklist;
  std::vector<Worker*> idle;  // back = first idle worker (LIFO)
  std::vector<std::unique_ptr<Worker>> workers;
  unsigned nr_running = 0;
  unsigned next_id = 0;
  bool unbound() const { return cpu < 0; }
};

class Workqueues final : private SleepHooks {
 public:
  Workqueues(Kernel& kernel, WorkqueueOptions options = {});
  ~Workqueues();
  Workqueues(const Workqueues&) = delete;
  Workqueues& operator=(const Workqueues&) = delete;

  // alloc_workqueue / alloc_ordered_workqueue. max_active 0 = WQ_DFL_ACTIVE; throws
  // std::invalid_argument above WQ_MAX_ACTIVE. Before or after boot (thread context).
  Workqueue& alloc_workqueue(std::string name, unsigned flags, unsigned max_active = 0);
  Workqueue& alloc_ordered_workqueue(std::string name, unsigned flags = 0);
  // system_wq ("events", per CPU), system_highpri_wq, system_unbound_wq: made on first use.
  Workqueue& system_wq();
  Workqueue& system_highpri_wq();
  Workqueue& system_unbound_wq();

  // INIT_WORK / INIT_DELAYED_WORK: a new DeferredWork record named `name`.
  WorkItem& init_work(std::string name, std::function<void()> fn);
  // The neutral API: `work` (may_block) becomes an item queued on `wq` by schedule().
  WorkItem& bind(DeferredWork& work, Workqueue& wq);

  bool queue_work(Workqueue& wq, WorkItem& work) { return queue_work_on(WORK_CPU_UNBOUND, wq, work); }
  bool queue_work_on(int cpu, Workqueue& wq, WorkItem& work);
  bool queue_delayed_work(Workqueue& wq, WorkItem& dwork, std::uint64_t delay_ticks) {
    return queue_delayed_work_on(WORK_CPU_UNBOUND, wq, dwork, delay_ticks);
  }
  bool queue_delayed_work_on(int cpu, Workqueue& wq, WorkItem& dwork, std::uint64_t delay_ticks);
  bool mod_delayed_work(Workqueue& wq, WorkItem& dwork, std::uint64_t delay_ticks);
  bool schedule_work(WorkItem& work) { return queue_work(system_wq(), work); }

  bool flush_work(WorkItem& work);
  bool flush_delayed_work(WorkItem& dwork);
  void flush_workqueue(Workqueue& wq);
  bool cancel_work_sync(WorkItem& work);
  bool cancel_delayed_work(WorkItem& dwork);
  bool cancel_delayed_work_sync(WorkItem& dwork) { return cancel_work_sync(dwork); }

  // Delayed-work timers of `cpu` (called by Kernel::on_tick unless options.own_tick is
  // false, then by the owner, e.g. from a TIMER_SOFTIRQ handler).
  void tick(unsigned cpu);

  // Inspection, for tests and the personality.
  bool busy(const WorkItem& work) const;  // executing on some worker
  const WorkerPool* pool(int cpu, bool highpri) const;  // cpu -1: the unbound pool
  const Worker* executing(const WorkItem& work) const;
  Lwp* rescuer(const Workqueue& wq) const { return wq.rescuer_; }
  std::uint64_t ticks(unsigned cpu) const { return jiffies_.at(cpu); }

 private:
  void sleeping(Lwp& lwp) override;  // wq_worker_sleeping
  void running(Lwp& lwp) override;   // wq_worker_running

  WorkerPool& pool_of(int cpu, bool highpri);
  WorkerPool& target_pool(Workqueue& wq, int cpu);
  Worker& create_worker(WorkerPool& pool);
  void worker_thread(Worker& w);
  bool process_one_work(Worker& w, WorkItem& work);  // false: handed to its executor
  void insert_work(Workqueue& wq, WorkerPool& pool, WorkItem& work);
  void queue_now(int cpu, Workqueue& wq, WorkItem& work);
  void activate_inactive(Workqueue& wq, WorkerPool& pool);
  bool need_more_worker(const WorkerPool& p) const { return !p.worklist.empty() && p.nr_running == 0; }
  bool keep_working(const WorkerPool& p) const { return !p.worklist.empty() && p.nr_running <= 1; }
  void kick_pool(WorkerPool& pool);
  void wake_worker(Worker& w);
  bool try_to_grab_pending(WorkItem& work);  // true: it was pending (and now is not queued)
  void wait_done(WorkItem& work, std::uint64_t target);
  void finished(WorkItem& work);
  void wake_flushers(WorkItem& work);
  void leave_idle(Worker& w);
  Worker* find_worker_executing(WorkerPool& pool, const WorkItem& work);
  Worker& worker_of(Lwp& lwp);
  void count_running(Worker& w, bool counted);

  Kernel& kernel_;
  WorkqueueOptions options_;
  LinuxCosts costs_;
  std::deque<Workqueue> wqs_;
  std::deque<WorkItem> items_;
  std::map<std::pair<int, bool>, std::unique_ptr<WorkerPool>> pools_;
  std::map<const Lwp*, Worker*> workers_;
  std::vector<std::uint64_t> jiffies_;
  std::vector<WorkItem*> timers_;
  SleepQueue rescuers_;  // WQ_MEM_RECLAIM rescuers: never woken (no allocation failure)
  Workqueue* system_ = nullptr;
  Workqueue* system_highpri_ = nullptr;
  Workqueue* system_unbound_ = nullptr;
};

}  // namespace lnx
}  // namespace irqlab::kernel
