#include "personality/freebsd/freebsd.h"

#include "kernel.h"
#include "sync/sleepq.h"
#include "sync/turnstile.h"

namespace irqlab::kernel::freebsd {

void Freebsd::schedule_thread(Event& ev) {
  ++ev.stats.scheduled;
  ev.it_need = true;  // F-8
  if (!ev.iwait) return;
  ev.iwait = false;
  ++ev.stats.wakeups;
  Lwp& t = *ev.thread;
  t.state = LwpState::Sleeping;  // IWAIT -> runnable through an ordinary wake-up
  kernel_.sched().wakeup(t);
}

void Freebsd::ithread_loop(EventId event) {
  Machine& m = kernel_.machine();
  Lwp& self = kernel_.sched().current();
  for (;;) {
    Event& ev = events_[event];
    DeferredWork* first = nullptr;
    DeferredWork* last = nullptr;
    while (ev.it_need) {  // F-9
      ev.it_need = false;
      execute_handlers(ev, first, last);
    }
    m.set_interrupts_enabled(false);  // thread_lock
    if (!ev.it_need) {
      ev.iwait = true;
      ev.count = 0;
      if (last != nullptr) last->charge_switch(SwitchKind::Full);
      self.state = LwpState::Sleeping;
      kernel_.sched().block();  // mi_switch(SW_VOL | SWT_IWAIT)
    }
    m.set_interrupts_enabled(true);
  }
}

void Freebsd::execute_handlers(Event& ev, DeferredWork*& first, DeferredWork*& last) {
  ++ev.stats.passes;
  BigLock& giant = kernel_.big_lock();
  const std::vector<IntrCookie> list = ev.handlers;  // swi_add may add while a handler blocks
  for (IntrCookie c : list) {
    Handler& h = handlers_[c];
    if (h.work == nullptr || h.suspended) continue;  // filter-only, IH_SUSP
    if (ev.soft) {  // F-10: cmpset(ih_need, 1, 0)
      if (!h.need) continue;
      h.need = false;
    }
    if (!h.mpsafe) giant.enter();  // F-11
    if (first == nullptr) {
      first = h.work;
      first->charge_switch(SwitchKind::Full);  // the switch into the thread
    }
    last = h.work;
    h.work->run();
    if (!h.mpsafe) giant.exit();
  }
  if (ev.soft) return;
  if (options_.intr_storm_threshold != 0 && ev.count >= options_.intr_storm_threshold) {  // F-13
    ++ev.stats.storm_pauses;
    pause_tick();
  } else {
    ++ev.count;
  }
  if (ev.masked) {  // post_ithread (F-6)
    ev.masked = false;
    kernel_.plic().set_priority(ev.source, ev.plic_priority);
  }
}

void Freebsd::pause_tick() {
  if (kernel_.config().tick.period == 0) kernel_.panic("pause: no tick to wait for");
  tick_waiters_->enqueue(kernel_.sched().current());
  kernel_.sched().block();
}

}  // namespace irqlab::kernel::freebsd
