#pragma once
// Base of every lock: its name, its statistics, and its registration with the kernel
// (Kernel::stats().locks lists every live lock).
//
// Statistics: an acquisition is contended when its first attempt failed; its blocked
// time runs from that attempt to the end of the enter operation (spinning and the final
// lock_fast included; after a hand-off, up to the first cycle the new owner runs again).
#include <string>

#include "stats.h"

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
  virtual LockStats stats() const { return stats_; }

 protected:
  // Counters for one acquisition by `lwp` (wait_since set when it first failed).
  void acquired(const Lwp& lwp, bool contended);

  Kernel& kernel_;
  std::string name_;
  LockStats stats_;
};

}  // namespace irqlab::kernel
