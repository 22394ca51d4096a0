#pragma once
// The scheduler: per-CPU run queues, priority preemption, time slices, wake-ups across
// CPUs, and the two kinds of switch.
//
// Rules
// - Picking: each CPU runs the best-priority LWP of its own run queue, its idle LWP when
//   the queue is empty. There is no load balancing: an LWP's CPU is chosen when it
//   becomes runnable (wake_cpu(): its bound CPU; else its last CPU if that is idle; else
//   the lowest idle CPU it may run on; else its last CPU if allowed; else its first
//   allowed CPU). A preempted LWP stays on its CPU's queue.
// - Wake-up: the woken LWP is queued on its CPU; if it beats that CPU's LWP (idle always
//   loses) the CPU gets need_resched, and another CPU is sent an IPI. On the waker's CPU
//   with kernel preemption on, the switch happens at once when the waker may be preempted
//   (no interrupt context, preemption enabled, IPL 0).
// - Preemption points, taken only when need_resched is set: interrupt return to user
//   mode (always) or to kernel code (kernel_preemption, nopreempt == 0, IPL 0, not
//   nested); preempt_enable() dropping to 0; return to user (Kernel::user()); the
//   waker's CPU at wake-up (above). An idle CPU is not preempted in the trap: its idle
//   loop switches after the trap returns, as the BSD idle loops do.
// - Time slices: the tick decrements the running LWP's slice; at 0 the slice is refilled
//   and, if an LWP of equal or better priority is queued, need_resched is set and the LWP
//   goes to the tail of its queue when it is switched out (round robin).
// - Switches: mi_switch() is the full switch (FS, cost runq_pick + switch_full, plus
//   runq_insert when the LWP switched out is re-queued); softint_dispatch() and a
//   softint LWP's return are lightweight switches (LS, switch_light each way: no run-queue
//   work, the interrupted LWP stays pinned on the CPU). All bookkeeping of a switch, the
//   choice of the next LWP and Machine::switch_context() happen with no step boundary in
//   between; the switch's cycles are spent by the LWP switched to, as the first thing it
//   does, with interrupts disabled (finish_switch()). Interrupt enable is per context:
//   each caller of mi_switch() saves and restores its own.
// - Deferred work (personality/deferred.h): every FS/LS out of or into an LWP whose
//   Lwp::deferral is set (a deferral's handler is running on it) is charged to that work.
//   block() sums Lwp::blocks and Lwp::blocked_cycles (block to running again).
// - Sleeping: a blocking LWP first puts itself on a wait queue (turnstile or sleep queue,
//   state Blocked/Sleeping), then calls block(). A wake-up that comes before the LWP has
//   switched out (it is still on_cpu) just sets it Running, and block() returns.
//   block() releases the big kernel lock entirely and reacquires it with its recursion
//   count once the LWP runs again (BSD semantics), and panics on sleeping in interrupt
//   context, and on a deadlock (sched/deadlock.h: a wait-for cycle through lock owners, or
//   every LWP blocked on a lock), whose wait-for graph deadlock() keeps for the report.
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "kernel_config.h"
#include "sched/cpu_state.h"
#include "sched/deadlock.h"
#include "sched/lwp.h"

namespace irqlab::kernel {

class Kernel;

class Scheduler {
 public:
  Scheduler(Kernel& kernel, const SchedOptions& options, std::vector<CpuState>& cpus);

  // Creates an LWP and makes it runnable. Before the harts boot this only queues it; from
  // kernel code it is a wake-up (costs, IPI). Throws std::invalid_argument on a bad spec.
  Lwp& create(LwpSpec spec);
  // A softint LWP for `level` on `cpu`: bound, Interrupt band, Dormant until dispatched.
  Lwp& create_softint(unsigned cpu, unsigned level, unsigned priority, std::string name,
                      std::function<void()> handler);

  Lwp& current();  // the calling CPU's curlwp
  std::deque<Lwp>& lwps() { return lwps_; }
  const std::deque<Lwp>& lwps() const { return lwps_; }

  // Boot: the calling hart's boot context becomes its idle LWP; then the idle loop.
  void adopt_idle(unsigned cpu);
  [[noreturn]] void idle_loop();

  void preempt_disable();
  void preempt_enable();
  void yield();  // voluntary: to the tail of the queue if an equal or better LWP waits
  void wakeup(Lwp& lwp);
  void block();
  void tick(unsigned cpu);
  void ipi_received(unsigned cpu) { cpus_[cpu].need_resched = true; }
  // Interrupt return (after the soft levels): preempt if need_resched and allowed.
  void trap_return(bool to_user);
  // Return to user mode (AST): preempt if need_resched.
  void user_return();
  // Effective priority change (priority inheritance); re-queues a runnable LWP.
  void change_priority(Lwp& lwp, unsigned priority);
  // LS into a Dormant softint LWP of the calling CPU; returns when it finishes or blocks.
  void softint_dispatch(Lwp& softint);
  // True when `lwp` is executing on a CPU other than the caller's.
  bool running_elsewhere(const Lwp& lwp) const;
  // Whether a waiter for a mutex or rwlock `owner` holds should spin (NetBSD mutex_oncpu):
  // `owner` runs elsewhere and its CPU is not spinning for the big lock on its behalf
  // (rule B-10: the waiter blocks then, letting the big lock go).
  bool worth_spinning_for(const Lwp& owner) const;
  // The deadlock that made the kernel panic, if one did (its wait-for graph).
  const std::optional<Deadlock>& deadlock() const { return deadlock_; }

 private:
  CpuState& self_cpu();
  void lwp_main(Lwp& lwp);
  unsigned wake_cpu(const Lwp& lwp) const;
  bool cpu_idle(unsigned cpu) const;
  void setrun(Lwp& lwp);  // queue and notify; may send an IPI or preempt the caller
  bool preemptible(const Lwp& cur, bool to_user) const;
  void preempt();          // interrupts disabled by the caller
  void mi_switch(Lwp& prev, Cycle extra);
  void finish_switch();
  // Records the deadlock `self` closes (sched/deadlock.h), if any, and panics with it.
  void check_deadlock(const Lwp& self);
  // Reports `cpu`'s run-queue length after an insert or pop (RunQueueDepth; before the
  // harts boot, at cycle 0).
  void runq_changed(unsigned cpu);

  Kernel& kernel_;
  const SchedOptions& options_;
  std::vector<CpuState>& cpus_;
  std::deque<Lwp> lwps_;  // deque: references stay valid as LWPs are added
  std::optional<Deadlock> deadlock_;
};

}  // namespace irqlab::kernel
