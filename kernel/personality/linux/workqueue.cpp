#include "personality/linux/workqueue.h"

#include <algorithm>
#include <stdexcept>

#include "kernel.h"

namespace irqlab::kernel::lnx {

Workqueues::Workqueues(Kernel& kernel, WorkqueueOptions options)
    : kernel_(kernel), options_(options), costs_(linux_costs(kernel.config().costs)), jiffies_(kernel.config().cpus, 0) {
  const unsigned band = band_range(Band::Kernel).size;
  if (options_.normal_priority >= band || options_.highpri_priority >= band)
    throw std::invalid_argument("workqueue: worker priority outside the Kernel band (0.." +
                                std::to_string(band - 1) + ")");
  if (options_.own_tick) kernel_.on_tick([this](unsigned cpu) { tick(cpu); });
}

Workqueues::~Workqueues() {
  for (auto& [key, pool] : pools_)
    for (auto& w : pool->workers)
      if (w->lwp != nullptr) w->lwp->sleep_hooks = nullptr;
}

// --- Work queues and pools -------------------------------------------------------------

Workqueue& Workqueues::alloc_workqueue(std::string name, unsigned flags, unsigned max_active) {
  if (max_active > WQ_MAX_ACTIVE)
    throw std::invalid_argument("alloc_workqueue(" + name + "): max_active " +
                                std::to_string(max_active) + " above WQ_MAX_ACTIVE (" +
                                std::to_string(WQ_MAX_ACTIVE) + ")");
  Workqueue& wq = wqs_.emplace_back();
  wq.name_ = std::move(name);
  wq.flags_ = flags;
  wq.max_active_ = max_active == 0 ? WQ_DFL_ACTIVE : max_active;
  if (flags & WQ_UNBOUND) {
    pool_of(-1, false);
  } else {
    for (unsigned cpu = 0; cpu < kernel_.config().cpus; ++cpu)
      pool_of(static_cast<int>(cpu), (flags & WQ_HIGHPRI) != 0);
  }
  if (flags & WQ_MEM_RECLAIM) {
    LwpSpec spec;
    spec.name = wq.name_;
    spec.band = Band::Kernel;
    spec.priority = options_.highpri_priority;  // rescuers run at nice -20 too
    spec.body = [this] {
      for (;;) {
        rescuers_.enqueue(kernel_.sched().current());
        kernel_.sched().block();
      }
    };
    wq.rescuer_ = &kernel_.create_lwp(std::move(spec));
  }
  return wq;
}

Workqueue& Workqueues::alloc_ordered_workqueue(std::string name, unsigned flags) {
  Workqueue& wq = alloc_workqueue(std::move(name), flags | WQ_UNBOUND, 1);
  wq.ordered_ = true;
  return wq;
}

Workqueue& Workqueues::system_wq() {
  if (system_ == nullptr) system_ = &alloc_workqueue("events", 0);
  return *system_;
}
Workqueue& Workqueues::system_highpri_wq() {
  if (system_highpri_ == nullptr) system_highpri_ = &alloc_workqueue("events_highpri", WQ_HIGHPRI);
  return *system_highpri_;
}
Workqueue& Workqueues::system_unbound_wq() {
  if (system_unbound_ == nullptr) system_unbound_ = &alloc_workqueue("events_unbound", WQ_UNBOUND);
  return *system_unbound_;
}

WorkerPool& Workqueues::pool_of(int cpu, bool highpri) {
  if (cpu < 0) highpri = false;
  auto& slot = pools_[{cpu, highpri}];
  if (!slot) {
    slot = std::make_unique<WorkerPool>();
    slot->cpu = cpu;
    slot->highpri = highpri;
    create_worker(*slot);
  }
  return *slot;
}

const WorkerPool* Workqueues::pool(int cpu, bool highpri) const {
  auto it = pools_.find({cpu, cpu < 0 ? false : highpri});
  return it == pools_.end() ? nullptr : it->second.get();
}

WorkerPool& Workqueues::target_pool(Workqueue& wq, int cpu) {
  if (wq.flags_ & WQ_UNBOUND) return pool_of(-1, false);
  const int c = cpu < 0 ? static_cast<int>(kernel_.machine().cpu_id()) : cpu;
  return pool_of(c, (wq.flags_ & WQ_HIGHPRI) != 0);
}

Worker& Workqueues::create_worker(WorkerPool& pool) {
  auto owned = std::make_unique<Worker>();
  Worker& w = *owned;
  w.pool = &pool;
  w.id = pool.next_id++;
  pool.workers.push_back(std::move(owned));
  LwpSpec spec;
  spec.name = pool.unbound() ? "kworker/u:" + std::to_string(w.id)
                             : "kworker/" + std::to_string(pool.cpu) + ":" + std::to_string(w.id) +
                                   (pool.highpri ? "H" : "");
  spec.band = Band::Kernel;
  spec.priority = pool.highpri ? options_.highpri_priority : options_.normal_priority;
  spec.bound = !pool.unbound();
  spec.cpu = pool.unbound() ? 0 : static_cast<unsigned>(pool.cpu);
  spec.body = [this, &w] {
    w.lwp = &kernel_.sched().current();
    w.lwp->sleep_hooks = this;
    workers_[w.lwp] = &w;
    worker_thread(w);
  };
  // create_worker: the new worker is idle (counted) before it first runs.
  w.idle = true;
  pool.idle.push_back(&w);
  if (kernel_.started()) kernel_.work(costs_.worker_create);
  Lwp& lwp = kernel_.create_lwp(std::move(spec));
  w.lwp = &lwp;
  lwp.sleep_hooks = this;
  workers_[&lwp] = &w;
  return w;
}

Worker& Workqueues::worker_of(Lwp& lwp) { return *workers_.at(&lwp); }

// --- Workers -------------------------------------------------------------------------

void Workqueues::leave_idle(Worker& w) {
  if (!w.idle) return;
  w.idle = false;
  std::erase(w.pool->idle, &w);
}

void Workqueues::count_running(Worker& w, bool counted) {
  if (w.pool->unbound()) return;  // WORKER_UNBOUND: never counted
  if (counted)
    ++w.pool->nr_running;
  else
    --w.pool->nr_running;
}

void Workqueues::worker_thread(Worker& w) {
  WorkerPool& pool = *w.pool;
  Scheduler& sched = kernel_.sched();
  for (;;) {
    leave_idle(w);  // woke_up
    WorkItem* last = nullptr;
    bool work_to_do = need_more_worker(pool);  // recheck
    while (work_to_do && pool.idle.empty()) {  // !may_start_working: manage (L-WQ-7)
      create_worker(pool);
      work_to_do = need_more_worker(pool);
    }
    if (work_to_do) {
      w.prep = false;  // worker_clr_flags(WORKER_PREP): counted from now on
      count_running(w, true);
      do {
        WorkItem& work = *pool.worklist.front();
        if (process_one_work(w, work)) last = &work;
        while (!w.scheduled.empty()) {  // process_scheduled_works
          WorkItem& next = *w.scheduled.front();
          w.scheduled.pop_front();
          if (process_one_work(w, next)) last = &next;
        }
      } while (keep_working(pool));
      count_running(w, false);
      w.prep = true;
    }
    // sleep: worker_enter_idle; the FS away is the last item's exit switch.
    w.idle = true;
    pool.idle.push_back(&w);
    if (last != nullptr) last->record().charge_switch(SwitchKind::Full);
    w.wait.enqueue(sched.current());
    sched.block();
    w.switched_in = true;
  }
}

Worker* Workqueues::find_worker_executing(WorkerPool& pool, const WorkItem& work) {
  for (auto& w : pool.workers)
    if (w->current == &work) return w.get();
  return nullptr;
}

const Worker* Workqueues::executing(const WorkItem& work) const {
  for (const auto& [key, pool] : pools_)
    for (const auto& w : pool->workers)
      if (w->current == &work) return w.get();
  return nullptr;
}

bool Workqueues::busy(const WorkItem& work) const { return executing(work) != nullptr; }

bool Workqueues::process_one_work(Worker& w, WorkItem& work) {
  WorkerPool& pool = *w.pool;
  if (work.where == WorkItem::Where::Active) std::erase(pool.worklist, &work);
  // L-WQ-3: another worker of this pool is executing it: hand it over (collision).
  if (Worker* other = find_worker_executing(pool, work); other != nullptr && other != &w) {
    work.where = WorkItem::Where::Scheduled;
    other->scheduled.push_back(&work);
    return false;
  }
  kernel_.work(costs_.work_process);
  Workqueue& wq = *work.wq;
  work.pending_ = false;  // L-WQ-2: cleared before the function runs
  work.where = WorkItem::Where::Off;
  work.seq_started = work.seq_queued;
  w.current = &work;
  w.current_wq = &wq;
  const bool intensive = (wq.flags_ & WQ_CPU_INTENSIVE) != 0 && !pool.unbound();
  if (intensive) {  // WORKER_CPU_INTENSIVE: leaves concurrency management
    w.cpu_intensive = true;
    count_running(w, false);
  }
  kick_pool(pool);  // chains not-running workers (unbound, CPU-intensive)
  if (w.switched_in) {
    work.record().charge_switch(SwitchKind::Full);
    w.switched_in = false;
  }
  work.record().run();
  if (intensive) {
    w.cpu_intensive = false;
    count_running(w, true);
  }
  w.current = nullptr;
  w.current_wq = nullptr;
  finished(work);
  Workqueue::PoolWq& pwq = wq.pwqs_[&pool];
  --pwq.nr_active;
  activate_inactive(wq, pool);
  return true;
}

void Workqueues::finished(WorkItem& work) {
  work.seq_done = work.seq_started;
  wake_flushers(work);
}

void Workqueues::wake_flushers(WorkItem& work) {
  while (Lwp* lwp = work.flushers.pop()) kernel_.sched().wakeup(*lwp);
}

void Workqueues::kick_pool(WorkerPool& pool) {
  if (!need_more_worker(pool) || pool.idle.empty()) return;
  wake_worker(*pool.idle.back());
}

void Workqueues::wake_worker(Worker& w) {
  if (Lwp* lwp = w.wait.pop()) kernel_.sched().wakeup(*lwp);
}

void Workqueues::sleeping(Lwp& lwp) {
  Worker& w = worker_of(lwp);
  if (w.idle || w.prep || w.cpu_intensive || w.pool->unbound()) return;
  w.sleeping = true;
  --w.pool->nr_running;
  if (!need_more_worker(*w.pool)) return;
  ++lwp.nopreempt;  // inside schedule(): the wake-up must not preempt the sleeper
  kick_pool(*w.pool);
  --lwp.nopreempt;
}

void Workqueues::running(Lwp& lwp) {
  Worker& w = worker_of(lwp);
  if (!w.sleeping) return;
  w.sleeping = false;
  ++w.pool->nr_running;
}

// --- Queueing ------------------------------------------------------------------------

WorkItem& Workqueues::init_work(std::string name, std::function<void()> fn) {
  DeferredWork& record =
      kernel_.deferred_record({std::move(name), DeferLevel::Net, true, true, std::move(fn)});
  record.set_mechanism_name("workqueue");
  return items_.emplace_back(record);
}

WorkItem& Workqueues::bind(DeferredWork& work, Workqueue& wq) {
  WorkItem& item = items_.emplace_back(work);
  work.set_mechanism_name("workqueue/" + wq.name());
  work.mechanism = [this, &item, &wq](DeferredWork&) { queue_work(wq, item); };
  return item;
}

bool Workqueues::queue_work_on(int cpu, Workqueue& wq, WorkItem& work) {
  if (work.pending_) {  // L-WQ-1: test_and_set_bit(PENDING) failed
    kernel_.work(kernel_.costs().lock_fast);
    work.record().raised(true);
    return false;
  }
  work.pending_ = true;
  work.record().raised(false);
  queue_now(cpu, wq, work);
  return true;
}

void Workqueues::queue_now(int cpu, Workqueue& wq, WorkItem& work) {
  kernel_.work(costs_.work_queue);
  WorkerPool* pool = &target_pool(wq, cpu);
  // L-WQ-3: still executing on its last pool: queue it there, never concurrently.
  if (work.pool != nullptr && work.pool != pool && find_worker_executing(*work.pool, work) != nullptr)
    pool = work.pool;
  if (work.wq != &wq) work.record().set_mechanism_name("workqueue/" + wq.name());
  work.wq = &wq;
  work.pool = pool;
  ++work.seq_queued;
  insert_work(wq, *pool, work);
}

void Workqueues::insert_work(Workqueue& wq, WorkerPool& pool, WorkItem& work) {
  Workqueue::PoolWq& pwq = wq.pwqs_[&pool];
  if (pwq.nr_active < wq.max_active_) {  // L-WQ-6
    ++pwq.nr_active;
    work.where = WorkItem::Where::Active;
    pool.worklist.push_back(&work);
    kick_pool(pool);
  } else {
    work.where = WorkItem::Where::Inactive;
    pwq.inactive.push_back(&work);
  }
}

void Workqueues::activate_inactive(Workqueue& wq, WorkerPool& pool) {
  Workqueue::PoolWq& pwq = wq.pwqs_[&pool];
  if (pwq.inactive.empty() || pwq.nr_active >= wq.max_active_) return;
  WorkItem& work = *pwq.inactive.front();
  pwq.inactive.pop_front();
  ++pwq.nr_active;
  work.where = WorkItem::Where::Active;
  pool.worklist.push_back(&work);
  kick_pool(pool);
}

bool Workqueues::queue_delayed_work_on(int cpu, Workqueue& wq, WorkItem& dwork,
                                       std::uint64_t delay_ticks) {
  if (dwork.pending_) {  // L-WQ-8: PENDING held for the whole delay
    kernel_.work(kernel_.costs().lock_fast);
    dwork.record().raised(true);
    return false;
  }
  dwork.pending_ = true;
  dwork.record().raised(false);
  if (delay_ticks == 0) {
    queue_now(cpu, wq, dwork);
    return true;
  }
  kernel_.work(costs_.work_queue);  // add_timer
  const unsigned here = kernel_.machine().cpu_id();
  dwork.wq = &wq;
  dwork.where = WorkItem::Where::Timer;
  dwork.timer_cpu = here;
  dwork.timer_expires = jiffies_[here] + delay_ticks;
  dwork.timer_target_cpu = cpu;
  timers_.push_back(&dwork);
  return true;
}

bool Workqueues::mod_delayed_work(Workqueue& wq, WorkItem& dwork, std::uint64_t delay_ticks) {
  const bool was = try_to_grab_pending(dwork);
  dwork.pending_ = false;
  const bool queued = queue_delayed_work_on(WORK_CPU_UNBOUND, wq, dwork, delay_ticks);
  (void)queued;
  return was;
}

void Workqueues::tick(unsigned cpu) {
  const std::uint64_t now = ++jiffies_[cpu];
  std::vector<WorkItem*> due;
  for (WorkItem* w : timers_)
    if (w->timer_cpu == cpu && w->timer_expires <= now) due.push_back(w);
  for (WorkItem* w : due) {  // delayed_work_timer_fn, in the tick
    std::erase(timers_, w);
    w->where = WorkItem::Where::Off;
    queue_now(w->timer_target_cpu, *w->wq, *w);
  }
}

// --- Flush and cancel ----------------------------------------------------------------

bool Workqueues::try_to_grab_pending(WorkItem& work) {
  if (!work.pending_ || work.canceling) return false;
  switch (work.where) {
    case WorkItem::Where::Timer: std::erase(timers_, &work); break;
    case WorkItem::Where::Active: {
      std::erase(work.pool->worklist, &work);
      --work.wq->pwqs_[work.pool].nr_active;
      activate_inactive(*work.wq, *work.pool);
      break;
    }
    case WorkItem::Where::Inactive: std::erase(work.wq->pwqs_[work.pool].inactive, &work); break;
    case WorkItem::Where::Scheduled: {
      for (auto& w : work.pool->workers) std::erase(w->scheduled, &work);
      --work.wq->pwqs_[work.pool].nr_active;
      activate_inactive(*work.wq, *work.pool);
      break;
    }
    case WorkItem::Where::Off: break;
  }
  work.where = WorkItem::Where::Off;
  work.pending_ = false;
  if (!busy(work)) wake_flushers(work);
  return true;
}

void Workqueues::wait_done(WorkItem& work, std::uint64_t target) {
  Scheduler& sched = kernel_.sched();
  while (work.seq_done < target && (work.pending_ || busy(work))) {
    work.flushers.enqueue(sched.current());
    sched.block();
  }
}

bool Workqueues::flush_work(WorkItem& work) {
  std::uint64_t target = 0;
  if (work.pending_ && work.where != WorkItem::Where::Timer)
    target = work.seq_queued;
  else if (busy(work))
    target = work.seq_started;
  else
    return false;
  wait_done(work, target);
  return true;
}

bool Workqueues::flush_delayed_work(WorkItem& dwork) {
  if (dwork.pending_ && dwork.where == WorkItem::Where::Timer) {  // del_timer + queue now
    std::erase(timers_, &dwork);
    dwork.where = WorkItem::Where::Off;
    queue_now(dwork.timer_target_cpu, *dwork.wq, dwork);
  }
  return flush_work(dwork);
}

void Workqueues::flush_workqueue(Workqueue& wq) {
  std::vector<std::pair<WorkItem*, std::uint64_t>> targets;
  for (WorkItem& w : items_)
    if (w.wq == &wq && w.pending_ && w.where != WorkItem::Where::Timer)
      targets.emplace_back(&w, w.seq_queued);
  for (auto& [key, pool] : pools_)
    for (auto& worker : pool->workers)
      if (worker->current != nullptr && worker->current_wq == &wq &&
          std::none_of(targets.begin(), targets.end(),
                       [&](const auto& t) { return t.first == worker->current; }))
        targets.emplace_back(worker->current, worker->current->seq_started);
  for (auto& [work, target] : targets) wait_done(*work, target);
}

bool Workqueues::cancel_work_sync(WorkItem& work) {
  const bool was = try_to_grab_pending(work);
  // Hold PENDING (WORK_OFFQ_CANCELING) so queueing fails while we wait.
  work.pending_ = true;
  work.canceling = true;
  if (busy(work)) wait_done(work, work.seq_started);
  work.canceling = false;
  work.pending_ = false;
  return was;
}

bool Workqueues::cancel_delayed_work(WorkItem& dwork) { return try_to_grab_pending(dwork); }

}  // namespace irqlab::kernel::lnx
