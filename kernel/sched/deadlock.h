#pragma once
// Deadlock detection: the wait-for graph of the LWPs blocked on locks.
//
// A deadlock is found when an LWP blocks on a lock (Scheduler::block()), in one of two
// forms, both permanent:
// - a wait-for cycle: following "waits for lock L, held by owner O" from the blocking LWP
//   comes back to it. Each LWP of the cycle waits for a release only another LWP of the
//   cycle can make, so none of them ever runs again, whatever the rest of the system does.
// - every LWP blocked on a lock: no LWP other than the idle LWPs and the dormant softint
//   LWPs is runnable, running, sleeping or waking; all are on turnstiles. Only an LWP
//   releases a lock (adaptive mutexes, rwlocks and the big lock are never taken in
//   interrupt context; the kernel panics if they are), an interrupt handler or a softint
//   that runs later holds none of them, and a timer tick wakes only sleepers. So every
//   hart idles from then on and nothing, neither a tick nor an interrupt, can wake any
//   of the blocked LWPs. This covers locks no single owner holds (an rwlock held by
//   readers), where no owner chain closes.
// Not detected: LWPs sleeping on a condition variable or sleep queue whose only wakers
// are blocked (an interrupt could wake a sleeper, so the kernel cannot tell), and two
// adaptive-mutex waiters spinning on each other's lock on two CPUs (each owner is
// running, so neither blocks: a livelock, not a blocked system).
//
// The graph is plain data so the co-simulation can report it (results.json "deadlock").
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "machine/machine.h"
#include "sched/lwp.h"

namespace irqlab::kernel {

// One edge pair of the wait-for graph: `lwp` waits for `lock`, held by `holder`.
struct LockWaitEdge {
  LwpId lwp = 0;
  std::string lwp_name;
  std::string lock;
  std::optional<LwpId> holder;  // none: the lock has no single owner (readers hold it)
  std::string holder_name;      // empty without a holder
};

struct Deadlock {
  enum class Kind { WaitForCycle, EveryLwpBlocked } kind = Kind::WaitForCycle;
  Cycle cycle = 0;                  // when it was found
  std::vector<LockWaitEdge> waits;  // every LWP blocked on a lock, by LWP id
  // The cycle's LWPs, from the one whose block closed it, each waiting for a lock the next
  // holds (the last's held by the first); empty for EveryLwpBlocked without a cycle.
  std::vector<LwpId> cycle_lwps;

  // One line: "wait-for cycle: 2 (y) waits for b held by 1 (x), which waits for a held by
  // 2 (y)" or "every LWP is blocked on a lock: 1 (r) waits for m held by 2 (w); ...".
  std::string describe() const;
};

// The deadlock `self` (which has just put itself on a turnstile or sleep queue) is part
// of, if any, at cycle `now`. Called by Scheduler::block() with interrupts disabled.
std::optional<Deadlock> find_deadlock(const std::deque<Lwp>& lwps, const Lwp& self, Cycle now);

}  // namespace irqlab::kernel
