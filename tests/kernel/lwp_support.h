#pragma once
// Helpers for tests that run LWPs: a cycle log, sleep/wake on a bare sleep queue, and
// the cost sums the scheduler spends.
#include <map>
#include <string>

#include "sync/sleepq.h"
#include "test_support.h"

namespace irqlab::kernel::test {

// Records the cycle at which each named point was reached (first time only).
struct CycleLog {
  void mark(Kernel& k, const std::string& what) { at.emplace(what, k.machine().now()); }
  std::vector<std::string> order;
  std::map<std::string, Cycle> at;
  void point(Kernel& k, const std::string& what) {
    order.push_back(what);
    mark(k, what);
  }
};

inline void sleep_on(Kernel& k, SleepQueue& q) {
  q.enqueue(k.sched().current());
  k.sched().block();
}
inline void wake_one(Kernel& k, SleepQueue& q) { k.sched().wakeup(*q.pop()); }

inline LwpSpec lwp(std::string name, Band band, unsigned priority, std::function<void()> body) {
  LwpSpec s;
  s.name = std::move(name);
  s.band = band;
  s.priority = priority;
  s.body = std::move(body);
  return s;
}

// Full switch by an LWP that is not re-queued (block, exit, idle loop pick).
inline Cycle fs(const CostProfile& c) { return c.runq_pick + c.switch_full; }
// Full switch of a preempted or yielding LWP, which is re-queued first.
inline Cycle preempt_fs(const CostProfile& c) { return c.runq_insert + fs(c); }

// Cycle at which a hart's idle loop starts: boot, then (hart 0 only) `prios` priority
// writes, one enable word and the threshold.
inline Cycle idle_at(const CostProfile& c, unsigned prios) { return c.boot + (prios + 2) * kMmio; }

inline std::uint32_t switch_arg(SwitchKind kind, LwpId id) {
  return static_cast<std::uint32_t>(kind) | id << 8;
}

}  // namespace irqlab::kernel::test
