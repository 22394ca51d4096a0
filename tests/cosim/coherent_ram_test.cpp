// The RAM's hart door (cosim/bridge/coherent_ram.h) catches the RTL up to the hart's cycle
// before the access, so the access is ordered after every DMA the RTL performed at edges up
// to that cycle and before every later one; the DMA door reaches the memory with the DMA
// interconnect's latency and an address outside the RAM is an error. The real Verilated
// SoC and lazy clock; SystemC threads stand in for harts.
//
// SystemC runs one simulation per process: ctest runs each test in its own process.
#include "bridge/coherent_ram.h"

#include <array>
#include <functional>
#include <gtest/gtest.h>
#include <systemc>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>
#include <vector>

#include "bridge/dma_bridge.h"
#include "bus/router.h"
#include "cpu/initiator_extension.h"
#include "rtl/rtl_domain.h"
#include "sync/lazy_clock.h"

namespace irqlab::cosim {
namespace coherent_ram_test {

constexpr std::uint64_t kPeriodPs = 10'000;
constexpr Cycle kEnd = 100'000;
constexpr std::uint64_t kRamBase = 0x8000'0000;
constexpr std::uint64_t kRamSize = 0x1000;
constexpr Cycle kMemoryCycles = 3;
constexpr models::RouterLatency kBus{2, 5};

// A RAM that records, for each access, the RTL's cycle when the access reached it.
struct SpyMemory : sc_core::sc_module {
  SpyMemory(const sc_core::sc_module_name& name, const RtlDomain& rtl_domain,
            sc_core::sc_time period)
      : sc_module(name),
        target("target"),
        rtl(rtl_domain),
        latency(static_cast<double>(kMemoryCycles) * period) {
    target.register_b_transport(this, &SpyMemory::b_transport);
  }
  void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
    rtl_cycles.push_back(rtl.cycle());
    const std::uint64_t offset = trans.get_address() - kRamBase;
    if (trans.get_address() < kRamBase || offset + trans.get_data_length() > kRamSize) {
      trans.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
      return;
    }
    delay += latency;
    trans.set_response_status(tlm::TLM_OK_RESPONSE);
  }
  tlm_utils::simple_target_socket<SpyMemory> target;
  const RtlDomain& rtl;
  sc_core::sc_time latency;
  std::vector<Cycle> rtl_cycles;
};

struct Platform : sc_core::sc_module {
  SC_HAS_PROCESS(Platform);
  explicit Platform(unsigned harts)
      : sc_module("platform"),
        rtl(kPeriodPs, std::nullopt),
        clock("clock", rtl, sc_core::sc_time(static_cast<double>(kPeriodPs), sc_core::SC_PS), harts,
              kEnd),
        doors("doors", clock),
        memory("memory", rtl, clock.period()),
        dma_bus("dma_bus", clock.period(), kBus),
        dma("dma", clock.period()),
        hart_port("hart_port") {
    hart_port.bind(doors.harts);
    doors.memory.bind(memory.target);
    dma_bus.add_window("ram", kRamBase, kRamSize);
    dma.initiator.bind(dma_bus.target);
    dma_bus.initiator.bind(doors.dma);
  }

  void run(std::vector<std::function<void()>> harts) {
    bodies = std::move(harts);
    for (unsigned h = 0; h < bodies.size(); ++h)
      sc_core::sc_spawn(
          [this, h] {
            bodies[h]();
            sc_core::wait();
          },
          ("hart" + std::to_string(h)).c_str());
    sc_core::sc_start(static_cast<double>(kEnd) * clock.period());
  }

  // A 16-byte burst write by `hart`, as the CPU issues memory_write.
  void burst(unsigned hart) {
    std::array<unsigned char, 16> bytes{};
    tlm::tlm_generic_payload trans;
    models::InitiatorExtension initiator(hart);
    trans.set_command(tlm::TLM_WRITE_COMMAND);
    trans.set_address(kRamBase);
    trans.set_data_ptr(bytes.data());
    trans.set_data_length(bytes.size());
    trans.set_streaming_width(bytes.size());
    trans.set_extension(&initiator);
    sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
    hart_port->b_transport(trans, delay);
    trans.clear_extension(&initiator);
    ASSERT_TRUE(trans.is_response_ok());
  }

  RtlDomain rtl;
  LazyClock clock;
  CoherentRam doors;
  SpyMemory memory;
  models::Router dma_bus;
  DmaBridge dma;
  tlm_utils::simple_initiator_socket<Platform> hart_port;
  std::vector<std::function<void()>> bodies;
};

TEST(CoherentRam, HartAccessCatchesTheRtlUpToTheHartsCycle) {
  Platform p(1);
  Cycle issued = 0;
  p.run({[&] {
    // Time spent outside the policy (no sync at its end) and nobody watching a line: the
    // RTL stays at cycle 0 until the door catches it up.
    sc_core::wait(5'000 * p.clock.period());
    issued = p.clock.now();
    p.burst(0);
  }});
  EXPECT_EQ(issued, 5'000U);
  ASSERT_EQ(p.memory.rtl_cycles.size(), 1U);
  EXPECT_EQ(p.memory.rtl_cycles[0], issued);
}

TEST(CoherentRam, EachHartsAccessSeesTheRtlAtItsOwnCycle) {
  Platform p(2);
  p.run({[&] {
           sc_core::wait(700 * p.clock.period());
           p.burst(0);
         },
         [&] {
           sc_core::wait(300 * p.clock.period());
           p.burst(1);
           sc_core::wait(1'000 * p.clock.period());
           p.burst(1);
         }});
  EXPECT_EQ(p.memory.rtl_cycles, (std::vector<Cycle>{300, 700, 1'300}));
}

TEST(CoherentRam, DmaCostsTheBusAndMemoryCyclesAndFailsOutsideTheRam) {
  Platform p(1);
  DmaTarget::Completion inside, outside;
  p.run({[&] {
    inside = p.dma.access(TlRequest{true, static_cast<std::uint32_t>(kRamBase + 8), 1, 0});
    outside = p.dma.access(TlRequest{false, static_cast<std::uint32_t>(kRamBase + kRamSize), 0, 0});
  }});
  EXPECT_FALSE(inside.response.error);
  EXPECT_EQ(inside.latency, kBus.request_cycles + kMemoryCycles + kBus.response_cycles);
  EXPECT_TRUE(outside.response.error);
  EXPECT_EQ(p.memory.rtl_cycles.size(), 1U);  // the interconnect refused the second
}

}  // namespace coherent_ram_test
}  // namespace irqlab::cosim
