#include "personality/linux/threaded_irq.h"

#include <stdexcept>

#include "kernel.h"

namespace irqlab::kernel::lnx {

ThreadedIrqs::ThreadedIrqs(Kernel& kernel, ThreadedIrqOptions options)
    : kernel_(kernel), options_(options) {
  if (options_.thread_priority >= band_range(Band::Interrupt).size)
    throw std::invalid_argument("threaded irqs: thread_priority " +
                                std::to_string(options_.thread_priority) +
                                " outside the Interrupt band (0.." +
                                std::to_string(band_range(Band::Interrupt).size - 1) + ")");
}

ThreadedIrqs::~ThreadedIrqs() = default;

int ThreadedIrqs::request_threaded_irq(unsigned irq, unsigned priority, IrqFn primary,
                                       IrqFn thread_fn, unsigned flags, std::string name) {
  if (irq == 0 || irq >= kernel_.config().platform.plic_sources) return -kEinval;
  if (!primary && !thread_fn) return -kEinval;
  const bool fresh = descs_.find(irq) == descs_.end() || descs_.at(irq).actions.empty();
  if (fresh && kernel_.started())
    throw std::logic_error("request_threaded_irq(" + std::to_string(irq) +
                           "): the first action of a line must be requested before boot");
  if (fresh && (priority == 0 || priority > kernel_.config().platform.plic_max_priority))
    return -kEinval;
  Desc& d = descs_[irq];
  d.irq = irq;
  const int err = add_action(d, std::move(primary), std::move(thread_fn), flags, std::move(name));
  if (err != 0 || !fresh) return err;
  d.priority = priority;
  attaching_ = true;
  try {
    kernel_.attach_irq(irq, priority, [this, &d](unsigned) { handle(d); });
  } catch (...) {
    attaching_ = false;
    d.actions.clear();
    throw;
  }
  attaching_ = false;
  return 0;
}

IrqHandler ThreadedIrqs::forced_threaded(unsigned irq, unsigned priority, IrqHandler handler,
                                         std::string name, ThreadWrapper thread_wrapper) {
  Desc& d = descs_[irq];
  if (!d.actions.empty())
    throw std::invalid_argument("forced_threaded(" + std::to_string(irq) + "): line already has actions");
  d.irq = irq;
  d.priority = priority;
  IrqFn thread_fn = [h = std::move(handler), wrap = std::move(thread_wrapper)](unsigned source) {
    if (wrap)
      wrap([&] { h(source); });
    else
      h(source);
    return IrqReturn::Handled;
  };
  if (add_action(d, {}, std::move(thread_fn), IRQF_ONESHOT, std::move(name)) != 0)
    throw std::invalid_argument("forced_threaded(" + std::to_string(irq) + "): rejected");
  return [this, &d](unsigned) { handle(d); };
}

int ThreadedIrqs::add_action(Desc& d, IrqFn primary, IrqFn thread_fn, unsigned flags,
                             std::string name) {
  const bool default_primary = !primary;
  if (default_primary) primary = [](unsigned) { return IrqReturn::WakeThread; };
  std::uint64_t used = 0;
  if (!d.actions.empty()) {  // __setup_irq: sharing checks (L-TI-5)
    const unsigned old = d.actions.front()->flags;
    if (!(old & flags & IRQF_SHARED)) return -kEbusy;
    if ((old ^ flags) & (IRQF_ONESHOT | IRQF_TRIGGER_MASK)) return -kEbusy;
    for (const auto& a : d.actions) used |= a->thread_mask;
  }
  std::uint64_t mask = 0;
  if (flags & IRQF_ONESHOT) {
    if (used == ~std::uint64_t{0}) return -kEbusy;  // thread_mask full
    unsigned bit = 0;
    while (used >> bit & 1) ++bit;  // ffz
    mask = std::uint64_t{1} << bit;
  } else if (default_primary && !options_.chip_oneshot_safe) {
    return -kEinval;  // "Threaded irq requested with handler=NULL and !ONESHOT" (L-TI-2)
  }
  auto owned = std::make_unique<Action>();
  Action& a = *owned;
  a.desc = &d;
  a.name = name;
  a.primary = std::move(primary);
  a.thread_fn = std::move(thread_fn);
  a.flags = flags;
  a.thread_mask = mask;
  if (a.thread_fn) {
    const std::string thread_name = "irq/" + std::to_string(d.irq) + "-" + name;
    a.record = &kernel_.deferred_record(
        {thread_name, DeferLevel::Net, true, true, [&a] { a.thread_fn(a.desc->irq); }});
    a.record->set_mechanism_name("irq_thread");
    LwpSpec spec;
    spec.name = thread_name;
    spec.band = Band::Interrupt;
    spec.priority = options_.thread_priority;  // sched_set_fifo (L-TI-6)
    spec.body = [this, &a] { irq_thread(a); };
    a.thread = &kernel_.create_lwp(std::move(spec));
  }
  d.actions.push_back(std::move(owned));
  return 0;
}

// The state changes before the write: the write is a step boundary at which the (then
// unmasked) line may already trap on this hart.
void ThreadedIrqs::mask(Desc& d) {
  d.masked = true;
  kernel_.plic().set_priority(d.irq, 0);
}

void ThreadedIrqs::unmask(Desc& d) {
  d.masked = false;
  kernel_.plic().set_priority(d.irq, d.priority);
}

void ThreadedIrqs::handle(Desc& d) {
  ++d.in_progress;
  const bool oneshot = (d.actions.front()->flags & IRQF_ONESHOT) != 0;
  if (oneshot && !d.masked) mask(d);  // mask_irq before the primary (L-TI-4)
  bool handled = false;
  for (auto& a : d.actions) {
    const IrqReturn r = a->primary(d.irq);
    if (r == IrqReturn::WakeThread && a->thread_fn) wake_thread(d, *a);
    handled = handled || r != IrqReturn::None;
  }
  if (!handled) ++d.unhandled;
  if (oneshot && d.masked && d.threads_oneshot == 0) unmask(d);  // cond_unmask_eoi_irq
  --d.in_progress;
}

void ThreadedIrqs::wake_thread(Desc& d, Action& a) {
  if (a.runthread) {  // test_and_set_bit(IRQTF_RUNTHREAD): already set (L-TI-3)
    a.record->raised(true);
    return;
  }
  a.runthread = true;
  a.record->raised(false);
  d.threads_oneshot |= a.thread_mask;
  ++d.threads_active;
  if (Lwp* lwp = a.wait.pop()) kernel_.sched().wakeup(*lwp);
}

void ThreadedIrqs::irq_thread(Action& a) {
  Desc& d = *a.desc;
  Scheduler& sched = kernel_.sched();
  for (;;) {
    while (!a.runthread) {  // irq_wait_for_interrupt
      a.wait.enqueue(sched.current());
      sched.block();
      a.switched_in = true;
    }
    a.runthread = false;  // test_and_clear_bit(IRQTF_RUNTHREAD)
    if (a.switched_in) {
      a.record->charge_switch(SwitchKind::Full);
      a.switched_in = false;
    }
    a.record->run();
    finalize_oneshot(d, a);
    if (--d.threads_active == 0)  // wake_threads_waitq
      while (Lwp* lwp = d.wait_for_threads.pop()) sched.wakeup(*lwp);
    if (!a.runthread) a.record->charge_switch(SwitchKind::Full);  // it sleeps next
  }
}

void ThreadedIrqs::finalize_oneshot(Desc& d, Action& a) {
  if (!(a.flags & IRQF_ONESHOT)) return;
  if (a.runthread) return;  // it runs again: keep the line masked
  d.threads_oneshot &= ~a.thread_mask;
  if (d.threads_oneshot == 0 && d.masked) unmask(d);
}

void ThreadedIrqs::irq_wake_thread(unsigned irq, const std::string& name) {
  auto it = descs_.find(irq);
  if (it != descs_.end())
    for (auto& a : it->second.actions)
      if (a->name == name && a->thread_fn) {
        wake_thread(it->second, *a);
        return;
      }
  kernel_.panic("irq_wake_thread(" + std::to_string(irq) + ", " + name + "): no threaded action");
}

bool ThreadedIrqs::is_thread_of(unsigned irq, const Lwp& lwp) const {
  const auto it = descs_.find(irq);
  if (it == descs_.end()) return false;
  for (const auto& a : it->second.actions)
    if (a->thread == &lwp) return true;
  return false;
}

void ThreadedIrqs::synchronize_irq(unsigned irq) {
  Desc& d = descs_.at(irq);
  while (d.in_progress > 0) kernel_.work(kernel_.costs().spin_iteration);  // __synchronize_hardirq
  Scheduler& sched = kernel_.sched();
  while (d.threads_active > 0) {
    d.wait_for_threads.enqueue(sched.current());
    sched.block();
  }
}

}  // namespace irqlab::kernel::lnx
