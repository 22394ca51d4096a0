#pragma once
// Base of every lock: its name, its statistics, and its registration with the kernel
// (Kernel::stats().locks lists every live lock).
//
// Statistics: an acquisition is contended when its first attempt failed; its blocked
// time runs from that attempt to the end of the enter operation (spinning and the final
// lock_fast included; after a hand-off, up to the first cycle the new owner runs again).
//
// Trace: AnnounceLock when created; LockWait when an attempt first fails, LockAcquire at
// the end of the enter operation, LockRelease when the owner lets go (freed or handed
// off); each event's arg is the lock's id and arg2 the LWP's, so waves can show waiters
// and owners.
#include <string>

#include "stats.h"
#include "trace/trace.h"

namespace irqlab::kernel {

class Kernel;
struct Lwp;

class LockBase {
 public:
  LockBase(Kernel& kernel, std::string name);
  virtual ~LockBase();
  LockBase(const LockBase&) = delete;
  LockBase& operator=(const LockBase&) = delete;

  const std::string& name() const { return name_; }
  unsigned id() const { return id_; }  // registration order, from 0
  virtual LockStats stats() const { return stats_; }

  // `lwp` found the lock taken: its wait starts now.
  void begin_wait(Lwp& lwp);
  // The owner `lwp` lets the lock go.
  void released(const Lwp& lwp);
  // One spin_iteration of `self`, spinning since `since` while `owner` (null: readers)
  // holds the lock; panics once the spin reaches KernelConfig::spinout_cycles.
  void spin(const Lwp& self, Cycle since, const Lwp* owner);

 protected:
  // Counters for one acquisition by `lwp` (wait_since set when it first failed).
  void acquired(const Lwp& lwp, bool contended);

  Kernel& kernel_;
  std::string name_;
  unsigned id_;
  LockStats stats_;

 private:
  void trace(TraceKind kind, const Lwp& lwp) const;
};

}  // namespace irqlab::kernel
