#pragma once
// Scripted LWPs: what a scenario's simulated user processes and kernel threads do.
//
// A thread is a list of steps run in order, `repeat` times (0 = forever), on its own LWP:
//   user n      n cycles in user mode (a return to user first: a pending reschedule is
//               taken there)
//   kernel n    n cycles of kernel work (for a user process: inside a system call)
//   lock m      enter adaptive mutex m (spins while its owner runs on another CPU,
//               else blocks on the turnstile and lends the owner its priority)
//   unlock m    exit mutex m
//   yield       give the CPU to an LWP of equal or better priority, if one waits
//
// An interrupt script is a source whose hard handler spends `handler_cycles` and then
// asks for deferred work through the neutral API (personality/deferred.h): "run this soon
// at <level>; it may or may not block". The work spends `cycles`, holding `lock` if set.
// Each personality maps it onto its own mechanism, so one script compares them all.
//
// Scripts are checked when installed: a lock index out of range is an error. Holding
// rules (unlocking a mutex not held, recursion) are the lock's and panic at run time,
// as a real kernel's assertions would.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "machine/machine.h"
#include "personality/deferred.h"
#include "sched/lwp.h"

namespace irqlab::kernel {

class Kernel;
class AdaptiveMutex;

// Read: a 32-bit register read at a physical address, value discarded (a probe: an address
// no device answers is a bus fault, and the kernel panics).
enum class StepKind { User, Kernel, Lock, Unlock, Yield, Read };

struct Step {
  StepKind kind = StepKind::Kernel;
  Cycle cycles = 0;   // User, Kernel
  unsigned lock = 0;  // Lock, Unlock: index into Workload::locks
  Addr address = 0;   // Read
};

struct ThreadScript {
  std::string name;
  bool user = false;           // a user process (else a kernel thread)
  Band band = Band::Kernel;
  unsigned priority = 0;       // offset inside the band
  std::optional<unsigned> cpu; // bound to this CPU
  std::vector<Step> steps;
  unsigned repeat = 1;         // 0 = forever
};

struct DeferredScript {
  DeferLevel level = DeferLevel::Net;
  bool may_block = false;
  Cycle cycles = 0;
  std::optional<unsigned> lock;  // index into Workload::locks
};

struct IrqScript {
  std::string name;
  unsigned source = 0;
  unsigned priority = 1;
  std::vector<unsigned> cpus;  // contexts that enable it; empty = all
  Cycle handler_cycles = 0;
  DeferredScript deferred;
};

struct Workload {
  std::vector<std::string> locks;  // adaptive mutexes, by name
  std::vector<ThreadScript> threads;
  std::vector<IrqScript> irqs;
};

// Creates the workload's mutexes and LWPs in `kernel` (before the harts boot). Must be
// destroyed before the kernel: it owns the mutexes.
class WorkloadRunner {
 public:
  // Throws std::invalid_argument on a bad script.
  WorkloadRunner(Kernel& kernel, const Workload& workload);
  ~WorkloadRunner();
  WorkloadRunner(const WorkloadRunner&) = delete;
  WorkloadRunner& operator=(const WorkloadRunner&) = delete;

 private:
  void run(const ThreadScript& script);
  void check_lock(const std::string& owner, unsigned lock) const;

  Kernel& kernel_;
  Workload workload_;
  std::vector<std::unique_ptr<AdaptiveMutex>> mutexes_;
};

}  // namespace irqlab::kernel
