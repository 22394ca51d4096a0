#pragma once
// Interrupt priority levels (spl) and soft interrupt levels, per CPU.
//
// Levels are the indices of the kernel's IplTable (ipl_table.h). Each CPU has a current
// level; splraise(l) returns the old level and raises to l (never lowers); splx(s)
// restores s. Hardware masking is the hart's PLIC threshold: the table gives each level
// a threshold, and set_level() writes THRESHOLD through the PLIC driver only when the
// effective threshold changes (that access costs the bus's real cycles; moving between
// levels with the same threshold, e.g. among soft levels, costs nothing). A source at or
// below the threshold stays pending in the PLIC; when splx lowers the threshold the
// write's step boundary takes it, before splx returns.
//
// Soft levels: trigger(l) sets bit l of the CPU's pending word. Pending bits are served,
// highest level first, whenever the level drops below them (splx) and on interrupt
// return (doreti), at the interrupted level (NetBSD Xspllower/Xdoreti, 4.3BSD REI with
// SIRR, research N-SI-6, B-4, B-8). trigger() from thread context with the level below
// l serves it at once. Serving level l: raise to l, run its handler, restore.
//
// A handler is established per level (all CPUs) in one of two modes:
//   InPlace   run on the current stack in interrupt context (4.3BSD netintr, Linux
//             softirq): may not sleep or take an adaptive mutex (panic).
//   OwnLwp    run on a per-CPU softint LWP reached by a lightweight switch (NetBSD fast
//             softints, N-SI-7..14): it may block on locks (LS back to the pinned LWP;
//             later it runs as an ordinary LWP and ends with a full switch); while its
//             LWP is busy the level is not served again on that CPU.
#include <functional>
#include <vector>

#include "ipl/ipl_table.h"

namespace irqlab::kernel {

class Kernel;
struct Lwp;

using SoftHandler = std::function<void(unsigned cpu)>;
enum class SoftMode { InPlace, OwnLwp };

class Spl {
 public:
  Spl(Kernel& kernel, IplTable table, unsigned cpus);

  unsigned level();                  // the calling CPU's level
  unsigned raise(unsigned level);    // splraise: returns the old level
  void splx(unsigned level);         // restore; serves soft levels above `level`
  // Sets the calling CPU's level and threshold, nothing else (switches restore with it).
  void set_level(unsigned level);
  // Sets the calling CPU's level only, leaving the threshold: a hard handler's entry at its
  // device's level, where interrupts are off anyway (Personality::at_device_level). Every
  // change of a CPU's level goes through here and is reported as IplChange.
  void set_level_variable(unsigned level);
  // Interrupt return: serve pending soft levels above the current level.
  void doreti();

  // Before the harts boot. Throws std::invalid_argument unless `level` is a soft level
  // without a handler.
  void establish(unsigned level, SoftMode mode, SoftHandler handler);
  void trigger(unsigned level);  // on the calling CPU

  const IplTable& table() const { return table_; }
  bool hardware(unsigned level) const { return level != 0 && !table_[level].soft; }
  // The lowest hardware level that masks PLIC `priority`: the IPL a CPU takes that
  // device's interrupt at, and the one its driver's spin mutexes raise to. Any context.
  unsigned device_level(unsigned priority) const;
  unsigned find(const std::string& name) const;  // throws std::invalid_argument if absent
  // OwnLwp level: the softint LWP of `cpu` (nullptr for other levels).
  Lwp* soft_lwp(unsigned level, unsigned cpu) const {
    return level < soft_.size() && cpu < soft_[level].lwps.size() ? soft_[level].lwps[cpu] : nullptr;
  }

 private:
  struct Soft {
    SoftMode mode = SoftMode::InPlace;
    SoftHandler handler;
    std::vector<Lwp*> lwps;  // OwnLwp: one per CPU
  };
  void serve(unsigned floor);

  Kernel& kernel_;
  IplTable table_;
  unsigned cpus_;
  std::vector<Soft> soft_;  // indexed by level
};

}  // namespace irqlab::kernel
