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
