#pragma once
// Per-CPU kernel state, shared by the scheduler, the spl code and the trap path. Harts
// run one at a time on the simulator's thread, so plain fields suffice; what must be
// atomic with respect to other harts is done with no step boundary in between.
#include <cstdint>

#include "sched/lwp.h"
#include "sched/run_queue.h"
#include "stats.h"

namespace irqlab::kernel {

struct CpuState {
  Lwp* curlwp = nullptr;
  Lwp* idle = nullptr;
  RunQueue runq;
  bool need_resched = false;  // a better LWP is runnable here: switch at the next preemption point
  unsigned hard_depth = 0;    // nested traps (hard interrupt context)
  unsigned soft_depth = 0;    // soft levels being served in place (interrupt context)
  Cycle switch_cost = 0;      // cost of the switch in progress, spent by the LWP switched to
  unsigned ipl = 0;           // current interrupt priority level
  unsigned threshold = 0;     // PLIC threshold as last written for this hart
  std::uint32_t soft_pending = 0;  // bit n: soft level n triggered
  std::uint64_t ticks = 0;     // timer ticks handled (the rest of CpuStats is on the stream)
  // The LWP on whose behalf this CPU spins for the big lock (NetBSD ci_biglock_wanted): a
  // waiter for a lock that LWP owns blocks instead of spinning on it (rule B-10).
  const Lwp* biglock_wanted = nullptr;

  bool in_interrupt() const { return hard_depth + soft_depth > 0; }
};

}  // namespace irqlab::kernel
