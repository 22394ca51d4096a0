#include "personality/deferred.h"

#include "kernel.h"

namespace irqlab::kernel {

const char* defer_level_name(DeferLevel level) {
  switch (level) {
    case DeferLevel::Clock: return "clock";
    case DeferLevel::Bio: return "bio";
    case DeferLevel::Net: return "net";
    case DeferLevel::Serial: return "serial";
  }
  return "?";
}

DeferredWork::DeferredWork(Kernel& kernel, DeferredSpec spec, std::uint32_t id)
    : kernel_(kernel), spec_(std::move(spec)), id_(id) {
  stats_.id = id_;
  stats_.name = spec_.name;
  stats_.level = defer_level_name(spec_.level);
}

void DeferredWork::schedule() {
  if (!mechanism) kernel_.panic("deferred work " + spec_.name + " scheduled but not established");
  mechanism(*this);
}

void DeferredWork::dispatch() {
  if (!kernel_.personality().dispatches_directly(*this)) return schedule();
  raised(false);
  run();
}

void DeferredWork::raised(bool coalesced) {
  Machine& m = kernel_.machine();
  ++stats_.raised;
  kernel_.tracer().emit(m.now(), m.cpu_id(), TraceKind::DeferRaise, id_);
  if (coalesced || raise_pending_) {
    ++stats_.coalesced;
    return;
  }
  raise_pending_ = true;
  raised_at_ = m.now();
}

void DeferredWork::run() {
  Machine& m = kernel_.machine();
  const Cycle start = m.now();
  kernel_.tracer().emit(start, m.cpu_id(), TraceKind::DeferStart, id_);
  ++stats_.runs;
  if (raise_pending_) {
    const Cycle latency = start - raised_at_;
    stats_.total_latency += latency;
    if (latency > stats_.max_latency) stats_.max_latency = latency;
    raise_pending_ = false;
  }
  Lwp& self = kernel_.sched().current();
  DeferredWork* const outer = self.deferral;
  const std::uint64_t blocks = self.blocks;
  const Cycle blocked = self.blocked_cycles;
  self.deferral = this;
  spec_.handler();
  self.deferral = outer;
  stats_.blocked += self.blocks - blocks;
  stats_.blocked_cycles += self.blocked_cycles - blocked;
  kernel_.tracer().emit(m.now(), m.cpu_id(), TraceKind::DeferEnd, id_);
}

void DeferredWork::charge_switch(SwitchKind kind) {
  if (kind == SwitchKind::Full)
    ++stats_.switches.full;
  else
    ++stats_.switches.light;
}

}  // namespace irqlab::kernel
