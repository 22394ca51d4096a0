#pragma once
// Light-weight processes: every thread of control the kernel schedules.
//
// An LWP is a kernel thread or a simulated user process. Each has its own stackful
// machine context (Machine::create_context), so it can block anywhere in kernel code
// and resume there, possibly on another hart. The scheduler owns every LWP; code holds
// references, which stay valid for the kernel's lifetime (LWPs are never freed).
//
// Priorities follow NetBSD's single scale (sys/param.h), higher is better:
//   UserTimeshare 0..63, Kernel 64..95, UserRealtime 96..127, Interrupt 128..223
// (ithreads, softint LWPs). LwpSpec::priority is the offset inside the band.
// The effective priority is the base priority or, while the LWP owns a lock others
// wait for, the best waiter's (priority inheritance, sync/turnstile.h).
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "machine/machine.h"
#include "stats.h"
#include "trace/trace.h"

namespace irqlab::kernel {

enum class Band : std::uint8_t { UserTimeshare, Kernel, UserRealtime, Interrupt };

struct BandRange {
  unsigned base;
  unsigned size;
};
constexpr BandRange band_range(Band band) {
  switch (band) {
    case Band::UserTimeshare: return {0, 64};
    case Band::Kernel: return {64, 32};
    case Band::UserRealtime: return {96, 32};
    case Band::Interrupt: return {128, 96};
  }
  return {0, 0};
}

using LwpId = std::uint32_t;
using CpuMask = std::uint64_t;  // bit n = CPU n; 0 = every CPU

struct LwpSpec {
  std::string name;
  Band band = Band::Kernel;
  unsigned priority = 0;  // offset inside the band
  bool user = false;      // a user process: Kernel::user() steps run in user mode
  CpuMask affinity = 0;   // CPUs it may run on (0 = all)
  bool bound = false;     // bound to `cpu`: never runs elsewhere
  unsigned cpu = 0;       // the bound CPU (ignored unless bound)
  std::function<void()> body;  // runs on the LWP's own stack; the LWP exits when it returns
};

enum class LwpState : std::uint8_t {
  Runnable,  // on a run queue
  Running,   // curlwp of a CPU (or pinned under a softint LWP)
  Waking,    // taken off a wait queue, being made runnable
  Blocked,   // on a turnstile (lock)
  Sleeping,  // on a sleep queue (condition variable)
  Dormant,   // softint LWP waiting for its level to be triggered
  Exited,
};

class Turnstile;
class SleepQueue;
class DeferredWork;
struct Lwp;

// Told when an LWP that has them switches out in Scheduler::block() (before the switch,
// interrupts disabled) and when it runs again (Linux's wq_worker_sleeping/running for
// work-queue workers, personality/linux/workqueue.h). Default: none.
class SleepHooks {
 public:
  virtual void sleeping(Lwp& lwp) = 0;
  virtual void running(Lwp& lwp) = 0;

 protected:
  ~SleepHooks() = default;
};

struct Lwp {
  LwpId id = 0;
  std::string name;
  unsigned base_priority = 0;
  unsigned priority = 0;  // effective: max(base, inherited through turnstiles)
  bool user = false;
  bool idle = false;
  bool softint = false;   // LP_INTR: a softint LWP (may block on locks, never sleep)
  CpuMask affinity = 0;
  bool bound = false;
  unsigned cpu = 0;       // CPU it runs on or last ran on
  LwpState state = LwpState::Runnable;
  bool on_cpu = false;    // its context is executing (between switch-in and switch-out)
  bool in_user = false;   // inside a Kernel::user() step
  bool slice_expired = false;  // re-queue at the tail when preempted
  unsigned slice_left = 0;
  unsigned nopreempt = 0;      // preempt_disable() depth
  unsigned saved_ipl = 0;      // IPL while switched out
  ContextId context = 0;
  std::function<void()> body;

  Turnstile* blocked_on = nullptr;   // lock it waits for (priority inheritance chain)
  SleepQueue* sleeping_on = nullptr;
  std::vector<Turnstile*> owned;     // turnstiles of locks it owns (to recompute priority)
  Lwp* pinned = nullptr;             // softint LWP: the LWP it interrupted (LS back to it)
  unsigned soft_level = 0;           // softint LWP: its IPL
  Cycle wait_since = 0;              // start of the current contended acquisition

  // Deferred work (personality/deferred.h) whose handler runs on this LWP (or, in
  // interrupt context, on top of it): the scheduler attributes switches out of and back
  // into the LWP to it.
  DeferredWork* deferral = nullptr;
  std::uint64_t blocks = 0;     // times it switched out in Scheduler::block()
  Cycle blocked_cycles = 0;     // from block() to running again, summed

  SleepHooks* sleep_hooks = nullptr;  // told about block()/resume (SleepHooks); default none
};

}  // namespace irqlab::kernel
