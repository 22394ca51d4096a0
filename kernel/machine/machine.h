#pragma once
// The kernel's whole view of the hardware.
//
// kernel/ never includes SystemC or Verilator headers: it runs on whatever implements
// this interface. In runs that is the SystemC CPU model (models/cpu), in unit tests the
// fake machine (tests/kernel/fake_machine). Time is counted in cycles of the one clock.
//
// Rules every implementation keeps:
// - Kernel code advances its hart only through consume(). Interrupts are taken only at
//   step boundaries, which the implementation places like a core's instruction
//   boundaries: inside consume() with interrupts enabled (the CPU model: at the first
//   boundary at or after the cycle the line rises, every cycle by default; the rest of
//   the work runs after the trap returns), and at the end of every consume(), MMIO
//   access and wait_for_interrupt(). Code that must not be interrupted masks interrupts.
// - Taking an interrupt disables interrupts on the hart, calls
//   MachineClient::external_interrupt() on the current stack and context, and
//   restores the previous enable state when it returns (trap entry and sret).
// - Each context has its own stack; switch_context() costs no cycles (the kernel
//   consumes the cost of a switch itself, from its cost profile).
#include <cstdint>
#include <functional>
#include <span>
#include <string>

namespace irqlab::kernel {

using Cycle = std::uint64_t;
using Addr = std::uint64_t;
using ContextId = std::uint32_t;

// A bus error on a kernel access (unmapped address, a device's error response,
// unsupported access); what() names the direction and the address (machine/bus_error.h).
struct BusError;

// Entry points the machine calls into the kernel.
class MachineClient {
 public:
  virtual ~MachineClient() = default;
  // First code run on each hart after reset, in that hart's boot context.
  virtual void boot_hart() = 0;
  // The hart's external interrupt line was asserted at a step boundary with interrupts
  // enabled (possibly in the middle of a consume()).
  virtual void external_interrupt() = 0;
  // A kernel access (mmio_*, memory_*) was answered with a bus error. The machine calls
  // this on the accessing hart and context instead of returning from the access, before
  // anything unwinds, so the client sees the LWP and cycle of the access. Never returns;
  // the default throws `error` (the kernel panics instead: Kernel::bus_fault).
  [[noreturn]] virtual void bus_fault(const BusError& error);
  // What the client runs in `context` ("LWP 10 (cryptoret)"), or "" if it cannot say. For
  // the machine's reports on a stuck run; called between two pieces of simulation, when
  // no kernel code runs.
  virtual std::string describe_context(ContextId context) const;
};

class Machine {
 public:
  virtual ~Machine() = default;

  virtual unsigned cpu_count() const = 0;
  // Hart executing the caller.
  virtual unsigned cpu_id() const = 0;
  // The calling hart's current cycle.
  virtual Cycle now() const = 0;

  // Spend n cycles of work on the calling hart; with interrupts enabled it may be
  // interrupted at a step boundary inside, and goes on after the trap returns.
  virtual void consume(Cycle n) = 0;

  // 32-bit register access through the platform's bus; takes the bus's real cycles.
  // A bus error is reported through MachineClient::bus_fault(), which does not return.
  virtual std::uint32_t mmio_read(Addr addr) = 0;
  virtual void mmio_write(Addr addr, std::uint32_t value) = 0;

  // Main-memory access for drivers (descriptors, packet buffers), coherent with device
  // DMA: the bytes are those memory holds at the calling hart's current cycle. Takes the
  // bus's real cycles (one burst). Any byte outside memory is a bus fault (as above).
  virtual void memory_read(Addr addr, std::span<std::uint8_t> out) = 0;
  virtual void memory_write(Addr addr, std::span<const std::uint8_t> data) = 0;

  // Sleep until the hart's external interrupt line is asserted. Spends no host time
  // while sleeping. If interrupts are enabled the trap is taken before returning.
  virtual void wait_for_interrupt() = 0;

  virtual void set_interrupts_enabled(bool enabled) = 0;
  virtual bool interrupts_enabled() const = 0;

  // Stackful contexts (kernel threads, LWPs). A new context starts in `entry` the
  // first time it is switched to, on the hart that switched to it.
  virtual ContextId create_context(std::function<void()> entry) = 0;
  virtual ContextId current_context() const = 0;
  virtual void switch_context(ContextId to) = 0;
};

}  // namespace irqlab::kernel
