#pragma once
// The CPU model: N harts that run the C++ kernel core as cost-annotated steps.
//
// Each hart starts in its own boot context and calls MachineClient::boot_hart(). Kernel
// code spends time only through the Machine calls. With interrupts enabled, a hart takes a
// pending external interrupt at the first instruction boundary at which its line is high
// (instruction_boundaries.h), however long the consume() it is in: the work is cut there
// and its rest runs after the trap returns. Every Machine call also ends with that check.
// Time and interrupt lines come from a HartSync policy, never from per-cycle wake-ups.
//
// Kernel contexts are SystemC threads: exactly one context per hart runs, the others
// wait on their own resume event, so a context switch is two event notifications and
// costs no simulated time (the kernel consumes the switch cost it models).
//
// Each hart keeps what it is doing (running, idle in WFI, handing over to a context that
// has not resumed yet, halted by a returned context) and since which cycle, so that a run
// in which SystemC has no event left can tell a quiet machine from a stuck one
// (stuck_harts(), used by cosim/run/simulation_loop).
#include <deque>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <vector>

#include "cpu/hart_sync.h"
#include "cpu/instruction_boundaries.h"
#include "machine/machine.h"

namespace irqlab::models {

class Cpu : public sc_core::sc_module, public kernel::Machine {
 public:
  tlm_utils::simple_initiator_socket<Cpu> bus;

  // Hart h's instruction boundaries are seeded with instruction_seed + h.
  Cpu(const sc_core::sc_module_name& name, unsigned harts, sc_core::sc_time clock_period,
      InstructionLengths instructions, std::uint64_t instruction_seed, HartSync& sync);

  // The kernel that runs on the harts; set before the simulation starts.
  void attach(kernel::MachineClient& client) { client_ = &client; }

  // The first error raised by kernel code on any hart (bus error, kernel panic); the
  // simulation stops when one occurs.
  const std::optional<std::string>& failure() const { return failure_; }

  // When SystemC has no event left before the end of the run: nothing if every hart is
  // idle in wait_for_interrupt() (nothing will ever happen again: the rest of the run is
  // time passing), else what each hart is doing and since which cycle, one hart after the
  // other ("hart 0: switched from context 0 (LWP 0 (idle0)) to context 2 (...) at cycle
  // 1200, which never resumed; hart 1: idle in wait-for-interrupt since cycle 900"). Main
  // thread, between two pieces of simulation.
  std::optional<std::string> stuck_harts() const;

  unsigned cpu_count() const override { return static_cast<unsigned>(harts_.size()); }
  unsigned cpu_id() const override { return current_; }
  kernel::Cycle now() const override { return sync_.now(); }
  void consume(kernel::Cycle n) override;
  std::uint32_t mmio_read(kernel::Addr addr) override;
  void mmio_write(kernel::Addr addr, std::uint32_t value) override;
  void memory_read(kernel::Addr addr, std::span<std::uint8_t> out) override;
  void memory_write(kernel::Addr addr, std::span<const std::uint8_t> data) override;
  void wait_for_interrupt() override;
  void set_interrupts_enabled(bool enabled) override { harts_[current_].irq_enabled = enabled; }
  bool interrupts_enabled() const override { return harts_[current_].irq_enabled; }
  kernel::ContextId create_context(std::function<void()> entry) override;
  kernel::ContextId current_context() const override { return harts_[current_].context; }
  void switch_context(kernel::ContextId to) override;

 private:
  enum class Activity {
    Running,    // in kernel code, or in a machine call that is bound to return
    Idle,       // in wait_for_interrupt()
    Switching,  // handed over to `context`, whose thread has not resumed yet
    Halted,     // `context`'s code returned (or failed)
  };
  struct Hart {
    explicit Hart(InstructionBoundaries b) : boundaries(std::move(b)) {}
    bool irq_enabled = false;
    kernel::ContextId context = 0;
    InstructionBoundaries boundaries;
    Activity activity = Activity::Running;
    kernel::ContextId switched_from = 0;  // while Switching
    kernel::Cycle since = 0;              // the cycle the activity began
  };
  struct Context {
    std::function<void()> entry;
    sc_core::sc_event resume;
    unsigned hart = 0;
  };

  void start_of_simulation() override;
  void set_activity(unsigned hart, Activity activity);
  std::string context_name(kernel::ContextId context) const;
  void run_guarded(const std::function<void()>& body);
  void step_boundary();
  // One bus transaction of data.size() bytes at addr from the current hart, then its
  // cycles and a step boundary.
  void access(kernel::Addr addr, std::span<std::uint8_t> data, bool write);

  HartSync& sync_;
  sc_core::sc_time period_;
  kernel::MachineClient* client_ = nullptr;
  std::vector<Hart> harts_;
  std::deque<Context> contexts_;  // deque: contexts keep their address as it grows
  unsigned current_ = 0;
  std::optional<std::string> failure_;
};

}  // namespace irqlab::models
