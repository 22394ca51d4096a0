#include "cpu/cpu.h"

#include <algorithm>
#include <stdexcept>

#include "cpu/initiator_extension.h"
#include "machine/bus_error.h"

namespace irqlab::models {

using sc_core::sc_spawn;
using sc_core::sc_spawn_options;
using sc_core::SC_ZERO_TIME;

Cpu::Cpu(const sc_core::sc_module_name& name, unsigned harts, sc_core::sc_time clock_period,
         InstructionLengths instructions, std::uint64_t instruction_seed, HartSync& sync)
    : sc_module(name), bus("bus"), sync_(sync), period_(clock_period) {
  if (harts == 0) throw std::invalid_argument("a CPU needs at least one hart");
  for (unsigned h = 0; h < harts; ++h) harts_.emplace_back(InstructionBoundaries(instructions, instruction_seed + h));
}

void Cpu::start_of_simulation() {
  if (client_ == nullptr) throw std::logic_error("Cpu: no kernel attached");
  for (unsigned h = 0; h < harts_.size(); ++h) {
    Context& boot = contexts_.emplace_back();
    boot.hart = h;
    harts_[h].context = static_cast<kernel::ContextId>(contexts_.size() - 1);
    sc_spawn_options options;
    sc_spawn(
        [this, h] {
          current_ = h;
          run_guarded([this] { client_->boot_hart(); });
        },
        ("hart" + std::to_string(h)).c_str(), &options);
  }
}

// Kernel code runs inside this guard: an exception ends the run with a clear failure
// instead of escaping through the SystemC scheduler.
void Cpu::run_guarded(const std::function<void()>& body) {
  try {
    body();
  } catch (const std::exception& e) {
    if (!failure_)
      failure_ = "hart " + std::to_string(current_) + ", cycle " + std::to_string(sync_.now()) + ": " + e.what();
    sc_core::sc_stop();
  }
  set_activity(current_, Activity::Halted);
  sc_core::wait();  // a hart whose code returned stays halted
}

void Cpu::set_activity(unsigned hart, Activity activity) {
  harts_[hart].activity = activity;
  harts_[hart].since = sync_.now();
}

std::string Cpu::context_name(kernel::ContextId context) const {
  const std::string lwp = client_->describe_context(context);
  return "context " + std::to_string(context) + (lwp.empty() ? "" : " (" + lwp + ")");
}

std::optional<std::string> Cpu::stuck_harts() const {
  std::string report;
  bool stuck = false;
  for (unsigned h = 0; h < harts_.size(); ++h) {
    const Hart& hart = harts_[h];
    const std::string since = std::to_string(hart.since);
    report += (h == 0 ? "hart " : "; hart ") + std::to_string(h) + ": ";
    switch (hart.activity) {
      case Activity::Idle:
        report +=
            "idle in wait-for-interrupt in " + context_name(hart.context) + " since cycle " + since;
        continue;
      case Activity::Running:
        report +=
            "inside a machine call in " + context_name(hart.context) + " since cycle " + since;
        break;
      case Activity::Switching:
        report += "switched from " + context_name(hart.switched_from) + " to " +
                  context_name(hart.context) + " at cycle " + since + ", which never resumed";
        break;
      case Activity::Halted:
        report += "halted at cycle " + since + ": the code of " + context_name(hart.context) +
                  " returned";
        break;
    }
    stuck = true;
  }
  if (!stuck) return std::nullopt;
  return report;
}

void Cpu::consume(kernel::Cycle n) {
  // After a trap the context may run on another hart: the rest runs where it is now.
  for (;;) {
    const unsigned hart = current_;
    Hart& h = harts_[hart];
    kernel::Cycle spent = n;
    if (h.irq_enabled) {
      spent = sync_.advance_interruptible(hart, n, h.boundaries);
    } else {
      sync_.advance(hart, n);
    }
    current_ = hart;
    n -= spent;
    step_boundary();
    if (n == 0) return;
  }
}

void Cpu::step_boundary() {
  for (;;) {
    const unsigned hart = current_;
    if (!harts_[hart].irq_enabled || !sync_.irq_line(hart)) return;
    harts_[hart].irq_enabled = false;  // trap entry masks interrupts ...
    client_->external_interrupt();
    // ... and the return from trap restores them, on whichever hart the interrupted
    // context runs now: the kernel may have switched it out and resumed it elsewhere.
    harts_[current_].irq_enabled = true;
  }
}

void Cpu::access(kernel::Addr addr, std::span<std::uint8_t> data, bool write) {
  const unsigned hart = current_;
  tlm::tlm_generic_payload trans;
  InitiatorExtension initiator(hart);
  const auto length = static_cast<unsigned>(data.size());
  trans.set_command(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
  trans.set_address(addr);
  trans.set_data_ptr(data.data());
  trans.set_data_length(length);
  trans.set_streaming_width(length);
  trans.set_byte_enable_ptr(nullptr);
  trans.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  trans.set_extension(&initiator);
  sc_core::sc_time delay = SC_ZERO_TIME;
  try {
    bus->b_transport(trans, delay);
  } catch (...) {
    // A failure while the bus served the access (an RTL assertion stepping the SoC): the
    // payload must not free the extension, which lives on this stack.
    trans.clear_extension(&initiator);
    throw;
  }
  trans.clear_extension(&initiator);
  current_ = hart;
  // The router answers an address outside its windows, and the SoC's port a TL-UL d_error,
  // with TLM_ADDRESS_ERROR_RESPONSE; the bridge a malformed access with a generic error.
  if (trans.is_response_error())
    client_->bus_fault(kernel::BusError(addr, write, trans.get_response_string()));
  sync_.advance(hart, static_cast<kernel::Cycle>(delay / period_));
  current_ = hart;
  step_boundary();
}

std::uint32_t Cpu::mmio_read(kernel::Addr addr) {
  std::uint32_t value = 0;
  access(addr, {reinterpret_cast<std::uint8_t*>(&value), sizeof value}, false);
  return value;
}

void Cpu::mmio_write(kernel::Addr addr, std::uint32_t value) {
  access(addr, {reinterpret_cast<std::uint8_t*>(&value), sizeof value}, true);
}

void Cpu::memory_read(kernel::Addr addr, std::span<std::uint8_t> out) { access(addr, out, false); }

void Cpu::memory_write(kernel::Addr addr, std::span<const std::uint8_t> data) {
  // TLM payloads take a mutable pointer; a write only reads from it.
  access(addr, {const_cast<std::uint8_t*>(data.data()), data.size()}, true);
}

void Cpu::wait_for_interrupt() {
  const unsigned hart = current_;
  if (!sync_.irq_line(hart)) {
    set_activity(hart, Activity::Idle);
    sync_.wait_irq(hart);
    set_activity(hart, Activity::Running);
  }
  current_ = hart;
  step_boundary();
}

kernel::ContextId Cpu::create_context(std::function<void()> entry) {
  const auto id = static_cast<kernel::ContextId>(contexts_.size());
  Context& context = contexts_.emplace_back();
  context.entry = std::move(entry);
  sc_spawn(
      [this, &context] {
        sc_core::wait(context.resume);
        current_ = context.hart;
        set_activity(current_, Activity::Running);
        run_guarded(context.entry);
      },
      ("context" + std::to_string(id)).c_str());
  return id;
}

void Cpu::switch_context(kernel::ContextId to) {
  const unsigned hart = current_;
  const kernel::ContextId from = harts_[hart].context;
  if (to == from) return;
  if (to >= contexts_.size()) throw std::out_of_range("switch to unknown context");
  contexts_[to].hart = hart;
  harts_[hart].context = to;
  harts_[hart].switched_from = from;
  set_activity(hart, Activity::Switching);
  contexts_[to].resume.notify(SC_ZERO_TIME);
  sc_core::wait(contexts_[from].resume);
  current_ = contexts_[from].hart;
  set_activity(current_, Activity::Running);
}

}  // namespace irqlab::models
