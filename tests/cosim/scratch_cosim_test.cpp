// The Measure demo of issue 8 in one co-simulation: the scratch device of
// tests/rtl/new_device/ (its description entry scratch.yaml, its RTL scratch.sv and its
// driver scratch_driver.{h,cpp}, nothing else) is appended to the SoC description by
// `tools/socgen.py --add-device` at configure time; this test is built against the
// generated SoC, its own Verilated model and the generated map, and runs the real kernel
// on the simulated hart with the device's driver found by name in the registry.
//
// Expected values come from the device's description and RTL, not from the code under
// test: the device sits at 0x10040000 with source 11 (scratch.yaml); SCRATCH reads back
// what was written and IRQ bit 0 is the level line (scratch.sv); the PLIC's claim returns
// the pending source and the level line lowered before the completion does not re-pend it
// (docs/rtl.md, PLIC).
#include <gtest/gtest.h>
#include <systemc>

#include "bridge/tlul_bridge.h"
#include "bus/router.h"
#include "cpu/cpu.h"
#include "kernel.h"
#include "memory/memory.h"
#include "rtl/rtl_domain.h"
#include "scratch_driver.h"
#include "soc_map.h"
#include "sync/lazy_clock.h"

namespace irqlab::cosim {
namespace scratch_cosim_test {

using kernel::TraceKind;

constexpr std::uint64_t kScratchBase = 0x1004'0000;  // scratch.yaml
constexpr unsigned kScratchSource = 11;              // scratch.yaml
constexpr std::uint64_t kPeriodPs = 10'000;
constexpr kernel::Cycle kDuration = 20'000;

// Keeps the events of one source.
class SourceEvents : public kernel::TraceSink {
 public:
  void record(const kernel::TraceEvent& e) override {
    if (e.kind >= TraceKind::AnnounceLwp) return;
    const bool of_source = e.kind == TraceKind::SourceLine || e.kind == TraceKind::GatewayRequest ||
                           e.kind == TraceKind::Claim || e.kind == TraceKind::HandlerStart ||
                           e.kind == TraceKind::HandlerEnd || e.kind == TraceKind::Complete;
    if (of_source && e.arg == kScratchSource) events.push_back({e.cycle, e.kind, e.arg2});
  }
  struct Event {
    kernel::Cycle cycle;
    TraceKind kind;
    std::uint32_t arg2;
  };
  std::vector<Event> events;
};

kernel::KernelConfig one_hart_kernel() {
  kernel::KernelConfig k;
  k.cpus = 1;
  k.costs.trap_entry = 40;  // scenarios/costs/default.yaml's trap path
  k.costs.trap_exit = 30;
  k.costs.irq_dispatch = 12;
  k.costs.boot = 100;
  k.platform.plic_sources = soc::kPlicSources;
  k.platform.plic_contexts = soc::kMaxHarts;
  k.platform.plic_max_priority = soc::kMaxPriority;
  k.platform.ram_base = soc::kRamBase;
  k.platform.ram_size = soc::kRamSize;
  for (const soc::Device& d : soc::kDevices) {
    kernel::PlatformDevice device{d.name, d.base, {}};
    for (unsigned line = 0; line < (d.line_per_hart ? k.cpus : d.lines); ++line)
      device.sources.push_back(d.first_source + line);
    k.platform.devices.push_back(std::move(device));
  }
  return k;
}

TEST(ScratchCosim, TheNewDeviceInterruptsAndItsDriverServesIt) {
  const sc_core::sc_time period(static_cast<double>(kPeriodPs), sc_core::SC_PS);
  RtlDomain rtl(kPeriodPs, std::nullopt, true);
  LazyClock clock("clock", rtl, period, 1, kDuration);
  models::Cpu cpu("cpu", 1, period, models::InstructionLengths{1, 1}, 1, clock);
  models::Router router("bus", period, models::RouterLatency{1, 1});
  TlulBridge bridge("soc_port", clock);
  // No device here masters the RAM (no DMA), so the harts reach it directly.
  models::Memory ram("ram", soc::kRamBase, soc::kRamSize, 2 * period);
  router.add_window("soc", soc::kRegisterWindowBase, soc::kRegisterWindowSize);
  router.add_window("ram", soc::kRamBase, soc::kRamSize);
  cpu.bus.bind(router.target);
  router.initiator.bind(bridge.target);
  router.initiator.bind(ram.target);

  kernel::Tracer tracer;
  SourceEvents seen;
  tracer.attach(&seen);
  rtl.emit_into(tracer);
  kernel::Kernel kernel(cpu, one_hart_kernel(), tracer);
  cpu.attach(kernel);
  sc_core::sc_start(period * static_cast<double>(kDuration));
  ASSERT_FALSE(cpu.failure()) << *cpu.failure();

  // The generated map placed the device where its entry says, and the kernel attached the
  // driver registered under its name.
  const auto* driver = dynamic_cast<const kernel::ScratchDriver*>(kernel.drivers().back().get());
  ASSERT_NE(driver, nullptr);
  EXPECT_EQ(driver->device().base, kScratchBase);
  EXPECT_EQ(driver->sources(), (std::vector<unsigned>{kScratchSource}));
  // The RTL register answered and raised its line once; the handler ran once and lowered it.
  EXPECT_EQ(driver->read_back(), kernel::ScratchDriver::kPattern);
  EXPECT_EQ(driver->handled(), 1u);
  std::vector<TraceKind> order;
  for (const SourceEvents::Event& e : seen.events) order.push_back(e.kind);
  EXPECT_EQ(order, (std::vector<TraceKind>{TraceKind::SourceLine, TraceKind::GatewayRequest,
                                           TraceKind::Claim, TraceKind::HandlerStart,
                                           TraceKind::SourceLine, TraceKind::HandlerEnd,
                                           TraceKind::Complete}));
  if (order.size() == 7) {
    EXPECT_EQ(seen.events[0].arg2, 1u);  // rises
    EXPECT_EQ(seen.events[4].arg2, 0u);  // falls in the handler, before the completion
  }
}

}  // namespace scratch_cosim_test
}  // namespace irqlab::cosim
