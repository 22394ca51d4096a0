#pragma once
// Which interrupt architecture a kernel runs (research/kernel-semantics.md) and the
// options each one names. Plain data, part of KernelConfig (kernel_config.h); the
// personality code itself lives in kernel/personality/<name>/ (docs/personalities.md).
#include <cstdint>
#include <string>

namespace irqlab::kernel {

enum class PersonalityKind : std::uint8_t {
  None,     // no deferred-work mechanism: today's core (minimal IPL table unless set)
  Bsd43,    // 4.3BSD to NetBSD 3: spl, netisr, non-preemptive, big lock on MP
  Netbsd,   // NetBSD 5: fast softints on their own LWPs
  Linux,    // softirq, tasklet, ksoftirqd, workqueue, threaded IRQs (kernel/personality/linux)
  Freebsd,  // filters, ithreads, swi (kernel/personality/freebsd)
};

// "none", "bsd43", "netbsd", "linux", "freebsd" (scenario key kernel.personality).
const char* personality_name(PersonalityKind kind);
// Throws std::invalid_argument naming the valid spellings.
PersonalityKind parse_personality(const std::string& name);

struct Bsd43Options {
  // B-9: on a multiprocessor (cpus > 1) one recursive kernel lock serializes deferred
  // work and device interrupts below splclock with all other locked kernel code.
  bool big_lock = true;
};

struct NetbsdOptions {
  // N-SI-6..9 fast path (__HAVE_FAST_SOFTINTS): softints reached by an LS with the
  // interrupted LWP pinned. false = N-SI-16 slow path (full switch, softint_picklwp).
  bool fast_softints = true;
  // __HAVE_PREEMPTION: kernel preemption (N-SI-12). Needs fast_softints (N-SI-16 #error).
  bool kernel_preemption = true;
  // Handler slots (softint_establish returns no cookie when they are used up, N-SI-2).
  unsigned softint_max = 64;
};

struct LinuxOptions {
  // L-SI-10 (ver): true = v4.9..v6.4 ("softirq: Let ksoftirqd do its job"): while
  // ksoftirqd/n is runnable and neither HI nor TASKLET is pending, irq_exit and
  // do_softirq leave the work to it. false (default) = v6.5+ (the revert d15121be7485).
  bool ksoftirqd_defers = false;
  // The threadirqs boot option: force_irqthreads() (L-SI-11, L-RT-1).
  bool threadirqs = false;
  // PREEMPT_RT (L-BH-4, L-RT-1..4): implies threadirqs and kernel preemption.
  bool preempt_rt = false;
  // CONFIG_PREEMPT: kernel preemption (SchedOptions::kernel_preemption); RT needs it.
  bool kernel_preemption = true;
  // L-SI-14: MAX_SOFTIRQ_TIME in jiffies (msecs_to_jiffies(2) at HZ=1000; jiffies count
  // CPU 0's ticks) and MAX_SOFTIRQ_RESTART.
  unsigned max_softirq_jiffies = 2;
  unsigned max_softirq_restart = 10;
};

struct FreebsdOptions {
  // options PREEMPTION (research F-16..F-18): a woken thread good enough for
  // preempt_thresh preempts kernel code at the end of the critical section (the
  // interrupt path's critical_exit, Scheduler::trap_return). false: it waits for the
  // next AST, return to user or voluntary switch.
  bool preemption = true;
  // kern.sched.preempt_thresh (ULE, F-15), in FreeBSD priorities (0 best .. 255): only a
  // thread of priority <= preempt_thresh preempts kernel code; default PRI_MIN_KERN (80),
  // which covers ithreads, swi threads and realtime threads.
  unsigned preempt_thresh = 80;
  // hw.intr_storm_threshold (F-13): 0 = off (FreeBSD's default); needs the tick.
  unsigned intr_storm_threshold = 0;
};

struct PersonalityConfig {
  PersonalityKind kind = PersonalityKind::None;
  Bsd43Options bsd43;
  NetbsdOptions netbsd;
  FreebsdOptions freebsd;
  LinuxOptions linux_;  // "linux" is a predefined macro under GNU C++
};

}  // namespace irqlab::kernel
