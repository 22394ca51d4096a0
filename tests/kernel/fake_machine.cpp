#include "fake_machine.h"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "machine/bus_error.h"

namespace irqlab::kernel::test {

namespace {

constexpr std::size_t kStackBytes = 512 * 1024;

}  // namespace

// ---- harts and contexts ----

FakeMachine::FakeMachine(unsigned harts, PlatformMap platform, Cycle mmio_cycles)
    : mmio_cycles_(mmio_cycles), ram_base_(platform.ram_base),
      ram_(static_cast<std::size_t>(platform.ram_size)), harts_(harts) {
  for (PlatformDevice& entry : platform.devices) {
    std::unique_ptr<FakeDevice> fake = FakeDeviceRegistry::instance().create(entry, platform, harts);
    devices_.push_back({std::move(entry), std::move(fake)});
  }
  if (!devices_.empty()) intc_ = dynamic_cast<FakeInterruptController*>(devices_.front().fake.get());
  if (intc_ == nullptr)
    throw std::invalid_argument("FakeMachine: the first device must be an interrupt controller");
}

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

std::size_t FakeMachine::ram_offset(Addr addr, std::size_t size, bool write) const {
  if (addr < ram_base_ || addr - ram_base_ > ram_.size() || size > ram_.size() - (addr - ram_base_))
    client_->bus_fault(BusError(addr, write, "outside main memory"));
  return static_cast<std::size_t>(addr - ram_base_);
}

// Memory is a plain array here: one access costs one mmio_cycles, whatever its size.
void FakeMachine::memory_read(Addr addr, std::span<std::uint8_t> out) {
  Hart& h = self();
  settle(h.cycle);
  const std::size_t offset = ram_offset(addr, out.size(), false);
  std::copy_n(ram_.begin() + static_cast<std::ptrdiff_t>(offset), out.size(), out.begin());
  h.cycle += mmio_cycles_;
  yield();
  step_boundary();
}

void FakeMachine::memory_write(Addr addr, std::span<const std::uint8_t> data) {
  Hart& h = self();
  settle(h.cycle);
  const std::size_t offset = ram_offset(addr, data.size(), true);
  std::copy(data.begin(), data.end(), ram_.begin() + static_cast<std::ptrdiff_t>(offset));
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
  for (const Plugged& p : devices_) at = std::min(at, p.fake->next_event());
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
  for (Plugged& p : devices_) {
    p.fake->advance(at);
    for (unsigned line = 0; line < p.entry.sources.size(); ++line)
      if (p.fake->line(line)) intc_->request(p.entry.sources[line]);
  }
  for (unsigned h = 0; h < harts_.size(); ++h)
    if (harts_[h].state == HartState::Sleeping && line(h)) {
      harts_[h].state = HartState::Runnable;
      harts_[h].cycle = at;
    }
}

void FakeMachine::pulse_source(unsigned source, Cycle at) {
  events_.emplace(at, [this, source] { intc_->request(source); });
}

void FakeMachine::raise_line(unsigned hart, Cycle at) {
  events_.emplace(at, [this, hart] { intc_->force_line(hart); });
}

// A fake device refuses a register it lacks with BusError; like an unmapped address, it
// reaches the client as the machine's bus fault, on the accessing context.
std::uint32_t FakeMachine::access(Addr addr, std::uint32_t value, bool write, Cycle at) {
  try {
    for (Plugged& p : devices_)
      if (addr >= p.entry.base && addr - p.entry.base < p.fake->window())
        return p.fake->access({addr - p.entry.base, addr, write ? value : 0, write, at});
    throw BusError(addr, write, "no device at this address");
  } catch (const BusError& e) {
    client_->bus_fault(e);
    throw;  // for the compiler, which does not trust [[noreturn]] on a virtual call
  }
}

}  // namespace irqlab::kernel::test
