#pragma once
// Device drivers as plug-ins: the interface every driver implements, and the two roles
// the kernel core needs from some driver.
//
// Life cycle. The kernel walks PlatformMap::devices in order (the interrupt controller
// first, then the devices whose sources it routes) and for each:
//   create        host side, in Kernel's constructor, before any hart runs: the registry
//                 (driver_registry.h) calls the factory registered under the device's
//                 name with the kernel and the device's PlatformDevice entry. Only
//                 stores what it needs; no MMIO (no hart runs).
//   attach()      host side, right after every driver is created, in device order, before
//                 the personality exists: requests the sources the driver serves with
//                 serve() (handler, PLIC priority, CPUs). No MMIO.
//   boot_cpu(c)   on hart c, interrupts disabled, inside Kernel::boot_hart() after
//                 consume(boot) and before the hart goes idle, in device order. May do
//                 MMIO and consume(). The interrupt controller boots first, so a source
//                 is enabled before its device can raise the line. No hart waits for
//                 another in any driver's boot.
//   handlers      on the hart that claimed the source, in the trap, interrupts disabled,
//                 as hard-interrupt handlers: the personality does not wrap them (a
//                 driver that wants deferred work asks the personality for it).
//   destruction   with the kernel, host side.
// A device's driver is one file pair that registers itself (DriverRegistration); nothing
// in the kernel names it.
//
// Roles. The trap path's claim/complete, spl's threshold and the personalities' masking
// need an InterruptController; the scheduler's cross-CPU wake-up needs an IpiSender. A
// driver that plays a role returns itself from as_interrupt_controller() / as_ipi(); the
// kernel reaches it only through Kernel::plic() / Kernel::ipi().
#include <cstdint>
#include <string>
#include <vector>

#include "irq/irq_table.h"
#include "platform/platform_map.h"

namespace irqlab::kernel {

class Kernel;

// The halves of a 64-bit value (an address, a comparator) for a device's pair of 32-bit
// registers, low word first.
constexpr std::uint32_t low_word(std::uint64_t v) { return static_cast<std::uint32_t>(v); }
constexpr std::uint32_t high_word(std::uint64_t v) { return static_cast<std::uint32_t>(v >> 32); }
// A register's bit `shift` as a mask.
constexpr std::uint32_t bit_at(unsigned shift) { return 1u << shift; }

// The interrupt controller as the core uses it. Hart n is context n.
class InterruptController {
 public:
  // Any hart, kernel context: PLIC priority of `source` (0 masks it).
  virtual void set_priority(unsigned source, unsigned priority) = 0;
  // The calling hart's own context: sources of priority <= value (or <= the context's
  // threshold floor, if higher: plic_driver.h) stay pending.
  virtual void set_threshold(unsigned ctx, unsigned value) = 0;
  // In the trap, interrupts disabled: claims, dispatches and completes until the
  // controller returns 0; returns the number claimed (0 = spurious trap).
  virtual unsigned claim_loop(unsigned ctx) = 0;

 protected:
  ~InterruptController() = default;
};

// Inter-processor interrupts as the scheduler uses them.
class IpiSender {
 public:
  // Kernel context, any hart: raises hart `hart`'s IPI line.
  virtual void send(unsigned hart) = 0;

 protected:
  ~IpiSender() = default;
};

class Driver {
 public:
  Driver(Kernel& kernel, PlatformDevice device) : kernel_(kernel), device_(std::move(device)) {}
  virtual ~Driver() = default;
  Driver(const Driver&) = delete;
  Driver& operator=(const Driver&) = delete;

  // Host side, before any hart runs (see the life cycle above).
  virtual void attach() = 0;
  // On hart `cpu`, interrupts disabled, inside boot_hart().
  virtual void boot_cpu(unsigned cpu) = 0;

  virtual InterruptController* as_interrupt_controller() { return nullptr; }
  virtual IpiSender* as_ipi() { return nullptr; }

  const std::string& name() const { return device_.name; }
  const PlatformDevice& device() const { return device_; }
  // The sources attach() requested, in request order.
  const std::vector<unsigned>& sources() const { return served_; }

 protected:
  // From attach() only: `handler` on `source` at PLIC priority `priority`, enabled on
  // `cpus` (empty = all). Throws std::invalid_argument as Kernel::attach_hard_irq().
  void serve(unsigned source, unsigned priority, IrqHandler handler, std::vector<unsigned> cpus = {});

  Kernel& kernel_;

 private:
  PlatformDevice device_;
  std::vector<unsigned> served_;
};

}  // namespace irqlab::kernel
