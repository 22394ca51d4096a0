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
// The register space: a small PLIC (spec offsets; priorities, pending, per-context
// enables, threshold, claim/complete with gateways: edge pulses from the test, level
// lines from the timers; claims pick the highest priority, ties to the lower ID, with
// zero assertion-to-line latency) and a per-hart rv_timer (CTRL, INTR_ENABLE,
// INTR_STATE rw1c re-set while mtime >= mtimecmp, INTR_TEST, CFG, MTIME, MTIMECMP).
// Changing CFG or CTRL restarts the prescaler. The IPI device (when platform.ipi_base is
// set): SET[h] at +0x00+4h and CLEAR[h] at +0x20+4h (write 1), STATUS at +0x40; line h
// is a level input to PLIC source platform.ipi_source[h]. Anything else raises BusError.
// A context may be resumed on another hart than the one it last ran on (migration).
// Tests may also script claim results and force a hart's line high.
#include <ucontext.h>

#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <vector>

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
  static constexpr Cycle kNever = ~Cycle{0};

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
  // The next claim reads of context `ctx` return these IDs, in order, instead of the
  // PLIC's choice; a non-zero ID is taken out of pending and put in service.
  void script_claims(unsigned ctx, std::vector<std::uint32_t> ids);
  void set_mtime(unsigned hart, std::uint64_t value);  // before the hart starts its timer

  const std::vector<MmioAccess>& accesses() const { return accesses_; }
  Cycle cycle_of(unsigned hart) const { return harts_[hart].cycle; }
  bool sleeping(unsigned hart) const { return harts_[hart].state == HartState::Sleeping; }
  std::uint64_t resumes() const { return resumes_; }  // scheduler -> hart switches
  std::uint64_t mtime(unsigned hart, Cycle at) const { return timers_[hart].mtime(at); }
  bool ipi_line(unsigned hart) const { return ipi_lines_[hart]; }

  // Machine
  unsigned cpu_count() const override { return static_cast<unsigned>(harts_.size()); }
  unsigned cpu_id() const override;
  Cycle now() const override { return harts_[cpu_id()].cycle; }
  void consume(Cycle n) override;
  std::uint32_t mmio_read(Addr addr) override;
  void mmio_write(Addr addr, std::uint32_t value) override;
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
    bool forced_line = false;
    ContextId context = 0;
  };
  struct Context {
    ucontext_t uc{};
    std::vector<char> stack;
    std::function<void()> entry;
    bool running = false;  // current context of some hart
  };
  struct Timer {
    bool active = false;
    bool intr_enable = false;
    bool intr_state = false;
    std::uint32_t prescale = 0;
    std::uint32_t step = 1;
    std::uint64_t base = 0;  // mtime at cycle `since`
    Cycle since = 0;
    std::uint64_t compare = ~std::uint64_t{0};
    std::uint64_t mtime(Cycle at) const;
    void rebase(Cycle at);
    Cycle fire_cycle() const;  // first cycle with mtime >= compare, or kNever
  };

  static void trampoline(unsigned lo, unsigned hi, unsigned id);
  void yield();
  void step_boundary();
  Hart& self() { return harts_[cpu_id()]; }

  Cycle next_event() const;
  void apply_events(Cycle at);
  void settle(Cycle at);  // timers up to `at`, gateways, lines, wake sleepers
  bool line(unsigned hart) const;
  std::uint32_t access(Addr addr, std::uint32_t value, bool write, Cycle at);
  std::uint32_t plic_access(Addr off, std::uint32_t value, bool write, Cycle at, Addr addr);
  std::uint32_t timer_access(Addr off, std::uint32_t value, bool write, Cycle at, Addr addr);
  std::uint32_t ipi_access(Addr off, std::uint32_t value, bool write, Addr addr);
  bool enabled(unsigned ctx, unsigned source) const;
  std::uint32_t claim(unsigned ctx);
  void complete(unsigned ctx, std::uint32_t id);

  PlatformMap platform_;
  Cycle mmio_cycles_;
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

  // PLIC
  std::vector<std::uint32_t> priority_;
  std::vector<bool> pending_;
  std::vector<bool> in_service_;
  std::vector<std::vector<std::uint32_t>> enable_;  // [ctx][word]
  std::vector<std::uint32_t> threshold_;
  std::vector<std::vector<std::uint32_t>> scripted_claims_;  // [ctx], front first
  // Timers, one per hart.
  std::vector<Timer> timers_;
  // IPI lines, one per hart.
  std::vector<bool> ipi_lines_;
};

}  // namespace irqlab::kernel::test
