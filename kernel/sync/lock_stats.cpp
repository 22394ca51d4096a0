#include "sync/lock_stats.h"

#include <algorithm>

#include "kernel.h"

namespace irqlab::kernel {

LockBase::LockBase(Kernel& kernel, std::string name) : kernel_(kernel), name_(std::move(name)) {
  kernel_.register_lock(*this);
}

LockBase::~LockBase() { kernel_.unregister_lock(*this); }

void LockBase::acquired(const Lwp& lwp, bool contended) {
  ++stats_.acquisitions;
  if (!contended) return;
  ++stats_.contended;
  const Cycle blocked = kernel_.machine().now() - lwp.wait_since;
  stats_.blocked_cycles += blocked;
  stats_.max_blocked_cycles = std::max(stats_.max_blocked_cycles, blocked);
}

}  // namespace irqlab::kernel
