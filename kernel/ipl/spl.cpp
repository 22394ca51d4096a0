#include "ipl/spl.h"

#include <bit>
#include <stdexcept>

#include "kernel.h"

namespace irqlab::kernel {

Spl::Spl(Kernel& kernel, IplTable table, unsigned cpus)
    : kernel_(kernel), table_(std::move(table)), cpus_(cpus), soft_(table_.size()) {}

unsigned Spl::level() { return kernel_.cpu_state().ipl; }

void Spl::set_level_variable(unsigned level) {
  CpuState& c = kernel_.cpu_state();
  if (c.ipl == level) return;
  c.ipl = level;
  const Machine& m = kernel_.machine();
  kernel_.tracer().emit(m.now(), m.cpu_id(), TraceKind::IplChange, level);
}

void Spl::set_level(unsigned level) {
  const unsigned cpu = kernel_.machine().cpu_id();
  set_level_variable(level);
  CpuState& c = kernel_.cpu_state();
  const unsigned threshold = table_[level].threshold;
  if (threshold == c.threshold) return;
  c.threshold = threshold;
  kernel_.plic().set_threshold(cpu, threshold);
}

unsigned Spl::raise(unsigned level) {
  const unsigned old = kernel_.cpu_state().ipl;
  if (level > old) set_level(level);
  return old;
}

void Spl::splx(unsigned level) {
  const CpuState& c = kernel_.cpu_state();
  const unsigned old = c.ipl;
  set_level(level);
  // In a hard handler soft levels wait for the interrupt's return (doreti): a driver's own
  // handler may run below its device's level, and a spin mutex released there must not
  // run softints inside the hard interrupt (a real CPU is at the device IPL there).
  if (level < old && c.hard_depth == 0) serve(level);
}

void Spl::doreti() { serve(kernel_.cpu_state().ipl); }

unsigned Spl::device_level(unsigned priority) const {
  for (unsigned l = 1; l < table_.size(); ++l)
    if (!table_[l].soft && table_[l].threshold >= priority) return l;
  return static_cast<unsigned>(table_.size() - 1);
}

unsigned Spl::find(const std::string& name) const {
  for (unsigned l = 0; l < table_.size(); ++l)
    if (table_[l].name == name) return l;
  throw std::invalid_argument("no IPL named " + name);
}

void Spl::establish(unsigned level, SoftMode mode, SoftHandler handler) {
  const std::string who = "softint establish(" + std::to_string(level) + "): ";
  if (level >= table_.size() || !table_[level].soft)
    throw std::invalid_argument(who + "not a soft level");
  if (soft_[level].handler) throw std::invalid_argument(who + "level already has a handler");
  if (!handler) throw std::invalid_argument(who + "empty handler");
  Soft& s = soft_[level];
  s.mode = mode;
  s.handler = std::move(handler);
  if (mode != SoftMode::OwnLwp) return;
  // Softint LWPs sit at the top of the Interrupt band, higher levels higher (N-SI-1).
  unsigned top = 0;
  for (unsigned l = 0; l < table_.size(); ++l)
    if (table_[l].soft) top = l;
  const unsigned priority = band_range(Band::Interrupt).size - 1 - (top - level);
  for (unsigned cpu = 0; cpu < cpus_; ++cpu)
    s.lwps.push_back(&kernel_.sched().create_softint(
        cpu, level, priority, "softint/" + table_[level].name + "/" + std::to_string(cpu),
        [&s, cpu] { s.handler(cpu); }));
}

void Spl::trigger(unsigned level) {
  CpuState& c = kernel_.cpu_state();
  c.soft_pending |= std::uint32_t{1} << level;
  if (!c.in_interrupt() && c.ipl < level) serve(c.ipl);
}

void Spl::serve(unsigned floor) {
  Machine& m = kernel_.machine();
  const unsigned cpu = m.cpu_id();
  for (;;) {
    CpuState& c = kernel_.cpu_state();
    std::uint32_t eligible = c.soft_pending & ~((std::uint32_t{2} << floor) - 1);
    for (unsigned l = 0; l < soft_.size(); ++l)
      if (soft_[l].mode == SoftMode::OwnLwp && soft_[l].handler &&
          soft_[l].lwps[cpu]->state != LwpState::Dormant)
        eligible &= ~(std::uint32_t{1} << l);  // busy (blocked): not re-triggered (N-SI-14)
    if (eligible == 0) return;
    const unsigned level = 31 - static_cast<unsigned>(std::countl_zero(eligible));
    c.soft_pending &= ~(std::uint32_t{1} << level);
    Soft& s = soft_[level];
    if (!s.handler) continue;
    kernel_.tracer().emit(m.now(), cpu, TraceKind::SoftDispatch, level);
    set_level(level);
    if (s.mode == SoftMode::OwnLwp) {
      kernel_.sched().softint_dispatch(*s.lwps[cpu]);
    } else {
      const bool enabled = m.interrupts_enabled();
      ++c.soft_depth;
      m.set_interrupts_enabled(true);
      s.handler(cpu);
      m.set_interrupts_enabled(enabled);
      --c.soft_depth;
    }
    set_level(floor);
  }
}

}  // namespace irqlab::kernel
