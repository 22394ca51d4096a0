#pragma once
// A deterministic Machine for kernel unit tests.
//
// Harts run cooperatively on the test's thread. Every context (each hart's boot context
// and each create_context()) is a ucontext with its own stack. A single event loop
// resumes the runnable hart with the smallest cycle (ties: lower hart id); hardware
// events (scripted stimuli, timer compares) at a cycle are applied before any hart at
// that cycle runs, so the register space always reflects global time order.
//
// Rules kept (machine.h): consume(), each MMIO access and wait_for_interrupt() end at a
// step boundary, the only ones the fake has (a consume() is one instruction to it); at a boundary, with interrupts enabled and the hart's line high, the
// fake disables interrupts, calls external_interrupt() and re-enables them. An MMIO
// access takes effect at the cycle it is issued (recorded with that cycle) and then
// costs `mmio_cycles`. wait_for_interrupt() parks the hart until its line rises and
// jumps its cycle to that moment; no host time is spent while it sleeps.
//
// The register space is the platform's devices (PlatformMap::devices), each a fake from
// the fake device registry (fake_devices/fake_device.h) mapped at its base; an access
// outside every window raises BusError. The first device is the interrupt controller:
// the other devices' lines feed its sources, and it drives the harts' lines. The
// machine core knows no device: a new one is a fake that registers itself.
// A context may be resumed on another hart than the one it last ran on (migration).
// Tests may also force a hart's line high (raise_line) and reach a fake's own test hooks
// through device<T>() (e.g. FakePlic::script_claims).
#include <ucontext.h>

#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "fake_devices/fake_device.h"
#include "machine/machine.h"
#include "platform/platform_map.h"

namespace irqlab::kernel::test {

struct MmioAccess {
  Cycle cycle;  // issue cycle
  unsigned hart;
  Addr addr;
  std::uint32_t value;
  bool write;
  bool operator==(const MmioAccess&) const = default;
};

class FakeMachine : public Machine {
 public:
  static constexpr Cycle kNever = test::kNever;

  // Creates a fake of every platform device; throws std::invalid_argument if one has no
  // registered fake or the first is not an interrupt controller.
  FakeMachine(unsigned harts, PlatformMap platform, Cycle mmio_cycles);
  ~FakeMachine() override;
  FakeMachine(const FakeMachine&) = delete;
  FakeMachine& operator=(const FakeMachine&) = delete;

  void attach(MachineClient& client) { client_ = &client; }

  // Boots every hart at cycle 0 on the first call, then runs until every remaining
  // hart step and hardware event lies at or after `end`, or nothing can happen any more.
  // Rethrows an exception that escaped kernel code.
  void run_until(Cycle end);

  // Stimuli, applied at cycle `at` (which must not be in the past).
  void pulse_source(unsigned source, Cycle at);  // edge into the PLIC gateway
  void raise_line(unsigned hart, Cycle at);      // line high until the hart's next claim
  // The fake of the platform device called `name`, as its type T; throws
  // std::out_of_range (no such device) or std::bad_cast (another type). Host side.
  template <class T>
  T& device(std::string_view name) {
    for (Plugged& p : devices_)
      if (p.entry.name == name) return dynamic_cast<T&>(*p.fake);
    std::string message = "FakeMachine: no device ";
    message += name;
    throw std::out_of_range(message);
  }

  const std::vector<MmioAccess>& accesses() const { return accesses_; }
  // Main memory (PlatformMap::ram_base/ram_size), for fake devices' DMA and for tests.
  std::span<std::uint8_t> ram() { return ram_; }
  Cycle cycle_of(unsigned hart) const { return harts_[hart].cycle; }
  bool sleeping(unsigned hart) const { return harts_[hart].state == HartState::Sleeping; }
  std::uint64_t resumes() const { return resumes_; }  // scheduler -> hart switches

  // Machine
  unsigned cpu_count() const override { return static_cast<unsigned>(harts_.size()); }
  unsigned cpu_id() const override;
  Cycle now() const override { return harts_[cpu_id()].cycle; }
  void consume(Cycle n) override;
  std::uint32_t mmio_read(Addr addr) override;
  void mmio_write(Addr addr, std::uint32_t value) override;
  void memory_read(Addr addr, std::span<std::uint8_t> out) override;
  void memory_write(Addr addr, std::span<const std::uint8_t> data) override;
  void wait_for_interrupt() override;
  void set_interrupts_enabled(bool enabled) override { harts_[cpu_id()].interrupts = enabled; }
  bool interrupts_enabled() const override { return harts_[cpu_id()].interrupts; }
  ContextId create_context(std::function<void()> entry) override;
  ContextId current_context() const override { return harts_[cpu_id()].context; }
  void switch_context(ContextId to) override;

 private:
  enum class HartState { Runnable, Sleeping, Done };
  struct Hart {
    Cycle cycle = 0;
    HartState state = HartState::Runnable;
    bool interrupts = false;
    ContextId context = 0;
  };
  struct Context {
    ucontext_t uc{};
    std::vector<char> stack;
    std::function<void()> entry;
    bool running = false;  // current context of some hart
  };
  struct Plugged {
    PlatformDevice entry;
    std::unique_ptr<FakeDevice> fake;
  };

  static void trampoline(unsigned lo, unsigned hi, unsigned id);
  void yield();
  void step_boundary();
  Hart& self() { return harts_[cpu_id()]; }

  Cycle next_event() const;
  void apply_events(Cycle at);
  void settle(Cycle at);  // devices up to `at`, their lines into the controller, wake sleepers
  bool line(unsigned hart) const { return intc_->hart_line(hart); }
  std::uint32_t access(Addr addr, std::uint32_t value, bool write, Cycle at);

  // Offset of [addr, addr + size) in ram_; throws BusError outside it.
  std::size_t ram_offset(Addr addr, std::size_t size, bool write) const;

  Cycle mmio_cycles_;
  Addr ram_base_ = 0;
  std::vector<std::uint8_t> ram_;
  MachineClient* client_ = nullptr;
  std::vector<Hart> harts_;
  std::vector<std::unique_ptr<Context>> contexts_;
  ucontext_t scheduler_{};
  std::optional<unsigned> running_;
  bool booted_ = false;
  std::exception_ptr error_;
  std::uint64_t resumes_ = 0;
  std::multimap<Cycle, std::function<void()>> events_;
  std::vector<MmioAccess> accesses_;

  std::vector<Plugged> devices_;  // platform order; the first is the interrupt controller
  FakeInterruptController* intc_ = nullptr;
};

}  // namespace irqlab::kernel::test
