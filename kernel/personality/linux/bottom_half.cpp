// Drivers' bottom halves in irq threads under forced threading (linux.h, "Bottom
// halves"): what irq_setup_forced_threading (L-RT-1) does to a driver's handler, applied
// to the part of it the driver defers, since drivers' own hard handlers stay unthreaded.
#include "kernel.h"
#include "personality/linux/linux.h"

namespace irqlab::kernel::lnx {

// Host side or boot (a driver's boot_cpu): creates the thread, Dormant until woken.
void Linux::establish_bottom_half_thread(DeferredWork& work) {
  BottomHalfThread& t = bottom_halves_.emplace_back();
  t.work = &work;
  t.mechanism = std::move(work.mechanism);
  const std::string name = "irq/" + std::to_string(work.spec().source) + "-" + work.name();
  Lwp& lwp = kernel_.sched().create_softint(0, 0, ThreadedIrqOptions{}.thread_priority, name,
                                            [this, &t] { bottom_half_thread(t); });
  lwp.softint = false;  // an ordinary SCHED_FIFO thread (L-TI-6), free to migrate
  lwp.bound = false;
  t.lwp = &lwp;
  work.set_mechanism_name("irq_thread");
  work.mechanism = [this, &t](DeferredWork& w) { schedule_bottom_half(t, w); };
}

// Any context.
void Linux::schedule_bottom_half(BottomHalfThread& t, DeferredWork& work) {
  Lwp& self = kernel_.sched().current();
  if (in_hardirq() || &self == t.lwp) return wake_bottom_half(t);
  if (work.spec().bottom_half == BottomHalf::OrInline &&
      threaded_->is_thread_of(work.spec().source, self))
    return run_in_place(work);  // the source's forced irq thread (wrap_irq)
  t.mechanism(work);
}

// __irq_wake_thread (L-TI-3): wakes while RUNTHREAD is set only coalesce. An OrInline
// work is raised here; an OrDeferred one when the thread hands it to its mechanism.
void Linux::wake_bottom_half(BottomHalfThread& t) {
  const bool inline_work = t.work->spec().bottom_half == BottomHalf::OrInline;
  if (t.runthread) {
    if (inline_work) t.work->raised(true);
    return;
  }
  t.runthread = true;
  if (inline_work) t.work->raised(false);
  if (t.lwp->state != LwpState::Dormant) return;  // running: it sees RUNTHREAD
  t.lwp->state = LwpState::Sleeping;
  kernel_.sched().wakeup(*t.lwp);
}

// The thread's body for one wake-up (Scheduler::create_softint puts it back to Dormant
// with a full switch when it returns, with IRQs off, so a wake after the last check
// finds it Dormant).
void Linux::bottom_half_thread(BottomHalfThread& t) {
  Machine& m = kernel_.machine();
  DeferredWork& work = *t.work;
  work.charge_switch(SwitchKind::Full);  // the FS into the thread
  m.set_interrupts_enabled(false);
  while (t.runthread) {
    t.runthread = false;
    m.set_interrupts_enabled(true);
    irq_forced_thread_fn([&] {
      if (work.spec().bottom_half == BottomHalf::OrInline)
        work.run();
      else
        t.mechanism(work);
    });
    m.set_interrupts_enabled(false);
  }
  work.charge_switch(SwitchKind::Full);  // the FS away
}

}  // namespace irqlab::kernel::lnx
