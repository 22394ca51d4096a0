#include "sync/lock_stats.h"

#include <algorithm>

#include "kernel.h"

namespace irqlab::kernel {

LockBase::LockBase(Kernel& kernel, std::string name)
    : kernel_(kernel), name_(std::move(name)), id_(kernel_.register_lock(*this, name_)) {}

LockBase::~LockBase() { kernel_.unregister_lock(*this); }

void LockBase::trace(TraceKind kind, const Lwp& lwp) const {
  kernel_.tracer().emit(kernel_.machine().now(), kernel_.machine().cpu_id(), kind, id_, lwp.id);
}

void LockBase::begin_wait(Lwp& lwp) {
  lwp.wait_since = kernel_.machine().now();
  trace(TraceKind::LockWait, lwp);
}

void LockBase::released(const Lwp& lwp) { trace(TraceKind::LockRelease, lwp); }

void LockBase::spin(const Lwp& self, Cycle since, const Lwp* owner) {
  Machine& m = kernel_.machine();
  const Cycle limit = kernel_.config().spinout_cycles;
  if (limit != 0 && m.now() - since >= limit) {
    const auto who = [](const Lwp& l) { return std::to_string(l.id) + " (" + l.name + ")"; };
    std::string holder = "readers";
    if (owner != nullptr)
      holder = who(*owner) + (owner->on_cpu && kernel_.cpu_state(owner->cpu).curlwp == owner
                                  ? ", current on cpu " + std::to_string(owner->cpu)
                                  : ", not running");
    kernel_.panic("spinout: " + who(self) + " has spun " + std::to_string(m.now() - since) +
                  " cycles for " + name_ + ", held by " + holder + " (kernel.spinout_cycles " +
                  std::to_string(limit) + ")");
  }
  m.consume(kernel_.costs().spin_iteration);
}

void LockBase::acquired(const Lwp& lwp, bool contended) {
  trace(TraceKind::LockAcquire, lwp);
  ++stats_.acquisitions;
  if (!contended) return;
  ++stats_.contended;
  const Cycle blocked = kernel_.machine().now() - lwp.wait_since;
  stats_.blocked_cycles += blocked;
  stats_.max_blocked_cycles = std::max(stats_.max_blocked_cycles, blocked);
}

}  // namespace irqlab::kernel
