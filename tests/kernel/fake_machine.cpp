#include "fake_machine.h"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "drivers/regs/ipi_regs.h"
#include "drivers/regs/plic_regs.h"
#include "drivers/regs/timer_regs.h"
#include "machine/bus_error.h"

namespace irqlab::kernel::test {

namespace {

// The register map, from the SoC description (the generated drivers/regs headers). The
// fake decodes it by window, block and stride, so a wrong offset in a driver shows up as
// a BusError or a wrong value.
namespace plic = regs::plic;
namespace timer = regs::timer;
namespace ipi = regs::ipi;
constexpr Addr kPlicWindow = plic::kWindowSize;
constexpr Addr kPlicPending = plic::ip(0);
constexpr Addr kPlicEnable = plic::ie(0, 0);
constexpr Addr kPlicEnableStride = plic::ie(1, 0) - plic::ie(0, 0);
constexpr Addr kPlicContext = plic::threshold(0);
constexpr Addr kPlicContextStride = plic::threshold(1) - plic::threshold(0);
constexpr Addr kPlicClaimInContext = plic::cc(0) - plic::threshold(0);
constexpr Addr kTimerCtrl = timer::kCtrl;
constexpr Addr kTimerHart = timer::intr_enable(0);  // hart 0's block; the blocks follow
constexpr Addr kTimerHartStride = timer::intr_enable(1) - timer::intr_enable(0);
constexpr Addr kIpiSet = ipi::ipi_set(0);
constexpr Addr kIpiClear = ipi::ipi_clear(0);
constexpr Addr kIpiStride = ipi::ipi_set(1) - ipi::ipi_set(0);
constexpr Addr kIpiStatus = ipi::kIpiStatus;
constexpr std::size_t kStackBytes = 512 * 1024;

std::uint32_t word(std::uint64_t v, bool high) {
  return static_cast<std::uint32_t>(high ? v >> 32 : v);
}
std::uint64_t with_word(std::uint64_t v, bool high, std::uint32_t w) {
  return high ? (v & 0xFFFFFFFFull) | std::uint64_t{w} << 32 : (v & ~0xFFFFFFFFull) | w;
}

}  // namespace

// ---- timer model ----

std::uint64_t FakeMachine::Timer::mtime(Cycle at) const {
  if (!active || at < since) return base;
  return base + (at - since) / (prescale + 1) * step;
}

void FakeMachine::Timer::rebase(Cycle at) {
  base = mtime(at);
  since = at;
}

Cycle FakeMachine::Timer::fire_cycle() const {
  if (!active || step == 0) return kNever;
  if (base >= compare) return since;
  const unsigned __int128 advances = (compare - base + step - 1) / step;
  const unsigned __int128 at = since + advances * (prescale + 1);
  return at >= kNever ? kNever : static_cast<Cycle>(at);
}

// ---- harts and contexts ----

FakeMachine::FakeMachine(unsigned harts, PlatformMap platform, Cycle mmio_cycles)
    : platform_(std::move(platform)),
      mmio_cycles_(mmio_cycles),
      harts_(harts),
      priority_(platform_.plic_sources),
      pending_(platform_.plic_sources),
      in_service_(platform_.plic_sources),
      enable_(platform_.plic_contexts,
              std::vector<std::uint32_t>((platform_.plic_sources + 31) / 32)),
      threshold_(platform_.plic_contexts),
      scripted_claims_(platform_.plic_contexts),
      timers_(harts),
      ipi_lines_(harts) {}

FakeMachine::~FakeMachine() = default;

unsigned FakeMachine::cpu_id() const {
  if (!running_) throw std::logic_error("FakeMachine: called outside a hart");
  return *running_;
}

void FakeMachine::trampoline(unsigned lo, unsigned hi, unsigned id) {
  auto* m = reinterpret_cast<FakeMachine*>(std::uintptr_t{hi} << 32 | lo);
  try {
    m->contexts_[id]->entry();
  } catch (...) {
    m->error_ = std::current_exception();
  }
  m->contexts_[id]->running = false;
  m->harts_[m->cpu_id()].state = HartState::Done;
  setcontext(&m->scheduler_);
}

ContextId FakeMachine::create_context(std::function<void()> entry) {
  auto c = std::make_unique<Context>();
  c->stack.resize(kStackBytes);
  c->entry = std::move(entry);
  getcontext(&c->uc);
  c->uc.uc_stack.ss_sp = c->stack.data();
  c->uc.uc_stack.ss_size = c->stack.size();
  c->uc.uc_link = nullptr;
  const auto id = static_cast<ContextId>(contexts_.size());
  const auto self = reinterpret_cast<std::uintptr_t>(this);
  makecontext(&c->uc, reinterpret_cast<void (*)()>(&FakeMachine::trampoline), 3,
              static_cast<unsigned>(self), static_cast<unsigned>(self >> 32), id);
  contexts_.push_back(std::move(c));
  return id;
}

void FakeMachine::switch_context(ContextId to) {
  Hart& h = self();
  const ContextId from = h.context;
  if (to == from) return;
  if (to >= contexts_.size() || contexts_[to]->running)
    throw std::logic_error("FakeMachine: switch to a missing or running context");
  contexts_[from]->running = false;
  contexts_[to]->running = true;
  h.context = to;
  swapcontext(&contexts_[from]->uc, &contexts_[to]->uc);
}

void FakeMachine::yield() { swapcontext(&contexts_[self().context]->uc, &scheduler_); }

void FakeMachine::step_boundary() {
  const unsigned id = cpu_id();
  if (!harts_[id].interrupts || !line(id)) return;
  harts_[id].interrupts = false;
  client_->external_interrupt();
  harts_[cpu_id()].interrupts = true;  // the context may have been resumed on another hart
}

void FakeMachine::consume(Cycle n) {
  self().cycle += n;
  yield();
  step_boundary();
}

std::uint32_t FakeMachine::mmio_read(Addr addr) {
  Hart& h = self();
  const Cycle at = h.cycle;
  settle(at);
  const std::uint32_t value = access(addr, 0, false, at);
  accesses_.push_back({at, cpu_id(), addr, value, false});
  settle(at);
  h.cycle += mmio_cycles_;
  yield();
  step_boundary();
  return value;
}

void FakeMachine::mmio_write(Addr addr, std::uint32_t value) {
  Hart& h = self();
  const Cycle at = h.cycle;
  settle(at);
  access(addr, value, true, at);
  accesses_.push_back({at, cpu_id(), addr, value, true});
  settle(at);
  h.cycle += mmio_cycles_;
  yield();
  step_boundary();
}

void FakeMachine::wait_for_interrupt() {
  const unsigned id = cpu_id();
  if (!line(id)) {
    harts_[id].state = HartState::Sleeping;
    yield();  // settle() makes the hart runnable at the cycle its line rises
  }
  step_boundary();
}

// ---- event loop ----

void FakeMachine::run_until(Cycle end) {
  if (client_ == nullptr) throw std::logic_error("FakeMachine: no client attached");
  if (!booted_) {
    for (unsigned h = 0; h < harts_.size(); ++h) {
      harts_[h].context = create_context([this] { client_->boot_hart(); });
      contexts_[harts_[h].context]->running = true;
    }
    booted_ = true;
  }
  for (;;) {
    std::optional<unsigned> next;
    for (unsigned h = 0; h < harts_.size(); ++h)
      if (harts_[h].state == HartState::Runnable &&
          (!next || harts_[h].cycle < harts_[*next].cycle))
        next = h;
    const Cycle hart_at = next ? harts_[*next].cycle : kNever;
    const Cycle event_at = next_event();
    const Cycle at = std::min(hart_at, event_at);
    if (at == kNever || at >= end) return;
    if (event_at <= hart_at) {
      apply_events(event_at);
      continue;
    }
    running_ = *next;
    ++resumes_;
    swapcontext(&scheduler_, &contexts_[harts_[*next].context]->uc);
    running_.reset();
    if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
  }
}

Cycle FakeMachine::next_event() const {
  Cycle at = events_.empty() ? kNever : events_.begin()->first;
  for (const Timer& t : timers_)
    if (t.intr_enable && !t.intr_state) at = std::min(at, t.fire_cycle());
  return at;
}

void FakeMachine::apply_events(Cycle at) {
  settle(at);
  while (!events_.empty() && events_.begin()->first == at) {
    const auto event = std::move(events_.begin()->second);
    events_.erase(events_.begin());
    event();
    settle(at);
  }
}

void FakeMachine::settle(Cycle at) {
  for (unsigned h = 0; h < timers_.size(); ++h) {
    Timer& t = timers_[h];
    if (t.active && t.mtime(at) >= t.compare) t.intr_state = true;
    if (h < platform_.timer_source.size()) {
      const unsigned source = platform_.timer_source[h];
      if (source < in_service_.size() && t.intr_state && t.intr_enable && !in_service_[source])
        pending_[source] = true;
    }
  }
  for (unsigned h = 0; h < ipi_lines_.size() && h < platform_.ipi_source.size(); ++h) {
    const unsigned source = platform_.ipi_source[h];
    if (ipi_lines_[h] && source < in_service_.size() && !in_service_[source]) pending_[source] = true;
  }
  for (unsigned h = 0; h < harts_.size(); ++h)
    if (harts_[h].state == HartState::Sleeping && line(h)) {
      harts_[h].state = HartState::Runnable;
      harts_[h].cycle = at;
    }
}

void FakeMachine::pulse_source(unsigned source, Cycle at) {
  events_.emplace(at, [this, source] {
    if (source < pending_.size() && !in_service_[source]) pending_[source] = true;
  });
}

void FakeMachine::raise_line(unsigned hart, Cycle at) {
  events_.emplace(at, [this, hart] { harts_[hart].forced_line = true; });
}

void FakeMachine::script_claims(unsigned ctx, std::vector<std::uint32_t> ids) {
  scripted_claims_[ctx].insert(scripted_claims_[ctx].end(), ids.begin(), ids.end());
}

void FakeMachine::set_mtime(unsigned hart, std::uint64_t value) { timers_[hart].base = value; }

// ---- PLIC model ----

bool FakeMachine::enabled(unsigned ctx, unsigned source) const {
  return ctx < enable_.size() && (enable_[ctx][source / 32] >> (source % 32) & 1) != 0;
}

bool FakeMachine::line(unsigned hart) const {
  if (harts_[hart].forced_line) return true;
  for (unsigned s = 1; s < pending_.size(); ++s)
    if (pending_[s] && enabled(hart, s) && priority_[s] > threshold_[hart]) return true;
  return false;
}

std::uint32_t FakeMachine::claim(unsigned ctx) {
  if (ctx < harts_.size()) harts_[ctx].forced_line = false;
  std::uint32_t id = 0;
  if (!scripted_claims_[ctx].empty()) {
    id = scripted_claims_[ctx].front();
    scripted_claims_[ctx].erase(scripted_claims_[ctx].begin());
  } else {
    for (unsigned s = 1; s < pending_.size(); ++s)
      if (pending_[s] && enabled(ctx, s) && priority_[s] > 0 &&
          (id == 0 || priority_[s] > priority_[id]))
        id = s;
  }
  if (id != 0 && id < pending_.size()) {
    pending_[id] = false;
    in_service_[id] = true;
  }
  return id;
}

void FakeMachine::complete(unsigned ctx, std::uint32_t id) {
  if (id != 0 && id < in_service_.size() && enabled(ctx, id)) in_service_[id] = false;
}

std::uint32_t FakeMachine::access(Addr addr, std::uint32_t value, bool write, Cycle at) {
  if (addr >= platform_.plic_base && addr < platform_.plic_base + kPlicWindow)
    return plic_access(addr - platform_.plic_base, value, write, at, addr);
  if (addr >= platform_.timer_base &&
      addr < platform_.timer_base + kTimerHart + kTimerHartStride * harts_.size())
    return timer_access(addr - platform_.timer_base, value, write, at, addr);
  if (platform_.ipi_base != 0 && addr >= platform_.ipi_base && addr <= platform_.ipi_base + kIpiStatus)
    return ipi_access(addr - platform_.ipi_base, value, write, addr);
  throw BusError(addr, write, "no device at this address");
}

std::uint32_t FakeMachine::ipi_access(Addr off, std::uint32_t value, bool write, Addr addr) {
  const auto hart = static_cast<std::size_t>((off - kIpiSet) % (kIpiClear - kIpiSet) / kIpiStride);
  if (off % 4 != 0) throw BusError(addr, write, "no such IPI register");
  if (off == kIpiStatus) {
    if (write) throw BusError(addr, write, "IPI status is read-only");
    std::uint32_t bits = 0;
    for (std::size_t h = 0; h < ipi_lines_.size(); ++h)
      if (ipi_lines_[h]) bits |= std::uint32_t{1} << h;
    return bits;
  }
  if (hart >= ipi_lines_.size()) throw BusError(addr, write, "no such IPI register");
  if (!write) return 0;
  if ((value & 1) != 0) ipi_lines_[hart] = off < kIpiClear;
  return 0;
}

std::uint32_t FakeMachine::plic_access(Addr off, std::uint32_t value, bool write, Cycle,
                                       Addr addr) {
  const auto bad = [&] { return BusError(addr, write, "no such PLIC register"); };
  if (off % 4 != 0) throw bad();
  const Addr words = enable_.empty() ? 0 : enable_[0].size();
  if (off < kPlicPending) {
    const Addr source = off / 4;
    if (source == 0 || source >= priority_.size()) throw bad();
    if (write) priority_[source] = value;
    return priority_[source];
  }
  if (off < kPlicPending + 4 * words) {
    if (write) throw BusError(addr, write, "PLIC pending bits are read-only");
    std::uint32_t bits = 0;
    const Addr first = (off - kPlicPending) / 4 * 32;
    for (Addr b = 0; b < 32 && first + b < pending_.size(); ++b)
      if (pending_[first + b]) bits |= std::uint32_t{1} << b;
    return bits;
  }
  if (off >= kPlicEnable && off < kPlicEnable + kPlicEnableStride * enable_.size()) {
    const Addr ctx = (off - kPlicEnable) / kPlicEnableStride;
    const Addr w = (off - kPlicEnable) % kPlicEnableStride / 4;
    if (w >= words) throw bad();
    if (write) enable_[ctx][w] = value;
    return enable_[ctx][w];
  }
  if (off >= kPlicContext && off < kPlicContext + kPlicContextStride * threshold_.size()) {
    const auto ctx = static_cast<unsigned>((off - kPlicContext) / kPlicContextStride);
    switch ((off - kPlicContext) % kPlicContextStride) {
      case 0:
        if (write) threshold_[ctx] = value;
        return threshold_[ctx];
      case kPlicClaimInContext:
        if (!write) return claim(ctx);
        complete(ctx, value);
        return 0;
    }
  }
  throw bad();
}

std::uint32_t FakeMachine::timer_access(Addr off, std::uint32_t value, bool write, Cycle at,
                                        Addr addr) {
  const auto bad = [&] { return BusError(addr, write, "no such timer register"); };
  if (off == kTimerCtrl) {
    std::uint32_t ctrl = 0;
    for (unsigned h = 0; h < timers_.size(); ++h) {
      Timer& t = timers_[h];
      if (write && t.active != ((value >> h & 1) != 0)) {
        t.rebase(at);
        t.active = !t.active;
      }
      if (t.active) ctrl |= std::uint32_t{1} << h;
    }
    return ctrl;
  }
  if (off < kTimerHart) throw bad();
  Timer& t = timers_[(off - kTimerHart) / kTimerHartStride];
  // The register's offset in hart 0's block.
  const Addr reg = kTimerHart + (off - kTimerHart) % kTimerHartStride;
  switch (reg) {
    case timer::intr_enable(0):
      if (write) t.intr_enable = (value & 1) != 0;
      return t.intr_enable;
    case timer::intr_state(0):
      if (write && (value & 1) != 0) t.intr_state = false;  // settle() re-sets it if still due
      return t.intr_state;
    case timer::intr_test(0):
      if (write && (value & 1) != 0) t.intr_state = true;
      return 0;
    case timer::cfg(0):
      if (write) {
        t.rebase(at);
        t.prescale = value >> timer::kCfgPrescaleShift & timer::kCfgPrescaleMask;
        t.step = value >> timer::kCfgStepShift & timer::kCfgStepMask;
      }
      return t.prescale << timer::kCfgPrescaleShift | t.step << timer::kCfgStepShift;
    case timer::mtime_lo(0):
    case timer::mtime_hi(0): {
      const bool high = reg == timer::mtime_hi(0);
      if (write) {
        t.rebase(at);
        t.base = with_word(t.base, high, value);
      }
      return word(t.mtime(at), high);
    }
    case timer::mtimecmp_lo(0):
    case timer::mtimecmp_hi(0): {
      const bool high = reg == timer::mtimecmp_hi(0);
      if (write) t.compare = with_word(t.compare, high, value);
      return word(t.compare, high);
    }
  }
  throw bad();
}

}  // namespace irqlab::kernel::test
