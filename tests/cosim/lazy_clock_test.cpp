// The sync policy on its own (cosim/sync/lazy_clock.h): the real Verilated SoC and the
// real bus bridge, with SystemC threads standing in for harts and no kernel. Expected
// cycles come from the RTL contract in docs/rtl.md: a source line high in cycle c raises
// an enabled context's irq_o in cycle c + 2.
//
// SystemC runs one simulation per process: ctest runs each test in its own process
// (gtest_discover_tests); run the binary by hand with --gtest_filter on one test.
#include <gtest/gtest.h>

#include <deque>
#include <functional>
#include <optional>
#include <tuple>
#include <vector>
#include <systemc>
#include <tlm_utils/simple_initiator_socket.h>

#include "bridge/tlul_bridge.h"
#include "cpu/initiator_extension.h"
#include "drivers/regs/plic_regs.h"
#include "cpu/instruction_boundaries.h"
#include "rtl/rtl_domain.h"
#include "soc_map.h"
#include "sync/lazy_clock.h"

namespace irqlab::cosim {
namespace lazy_clock_test {

constexpr std::uint64_t kPeriodPs = 10'000;
constexpr Cycle kPlicCycles = 2;         // line high in c -> irq_o high in c + 2
constexpr unsigned kEdgeLine = 8;        // ext_irq_i[8], edge-triggered
constexpr unsigned kEdgeSource = soc::ext_source(kEdgeLine);
static_assert((soc::kEdgeTriggeredSources >> kEdgeSource & 1) != 0);
constexpr unsigned kLevelLine = 0;       // ext_irq_i[0], level
constexpr unsigned kLevelSource = soc::ext_source(kLevelLine);
static_assert((soc::kEdgeTriggeredSources >> kLevelSource & 1) == 0);
constexpr Cycle kEnd = 2'000'000;

// A platform without a CPU: each hart is a thread running `body` through the policy.
struct Platform : sc_core::sc_module {
  SC_HAS_PROCESS(Platform);
  Platform(unsigned harts, bool skip)
      : sc_module("platform"), rtl(kPeriodPs, std::nullopt, skip),
        clock("clock", rtl, sc_core::sc_time(static_cast<double>(kPeriodPs), sc_core::SC_PS), harts, kEnd),
        bridge("bridge", clock), bus("bus"), bodies(harts) {
    bus.bind(bridge.target);
  }

  void run(std::vector<std::function<void()>> harts) {
    bodies = std::move(harts);
    for (unsigned h = 0; h < bodies.size(); ++h)
      sc_core::sc_spawn([this, h] { bodies[h](); sc_core::wait(); }, ("hart" + std::to_string(h)).c_str());
    sc_core::sc_start(static_cast<double>(kEnd) * clock.period());
  }

  // A register write by `hart` through the bridge, as the CPU issues it.
  void write(unsigned hart, std::uint64_t addr, std::uint32_t value) {
    tlm::tlm_generic_payload trans;
    models::InitiatorExtension initiator(hart);
    trans.set_command(tlm::TLM_WRITE_COMMAND);
    trans.set_address(addr);
    trans.set_data_ptr(reinterpret_cast<unsigned char*>(&value));
    trans.set_data_length(4);
    trans.set_streaming_width(4);
    trans.set_extension(&initiator);
    sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
    bus->b_transport(trans, delay);
    trans.clear_extension(&initiator);
    ASSERT_TRUE(trans.is_response_ok());
  }

  // Priority 1 for both test sources, enabled on `hart`'s context.
  void enable_sources(unsigned hart) {
    write(hart, soc::kPlicBase + regs::plic::prio(kEdgeSource), 1);
    write(hart, soc::kPlicBase + regs::plic::prio(kLevelSource), 1);
    write(hart, soc::kPlicBase + regs::plic::ie(hart, 0), (1U << kEdgeSource) | (1U << kLevelSource));
  }

  // Changes of `line` from now on, given in cycle order.
  void drive(unsigned line, std::initializer_list<models::LineChange> changes) {
    ScriptedLine& source = scripted.emplace_back();
    source.changes.assign(changes);
    rtl.attach_line(line, source);
  }
  void pulse(Cycle at, unsigned line) { drive(line, {{at, true}, {at + 1, false}}); }

  struct ScriptedLine : models::LineSource {
    std::deque<models::LineChange> changes;
    std::optional<models::LineChange> next_change() override {
      if (changes.empty()) return std::nullopt;
      const models::LineChange change = changes.front();
      changes.pop_front();
      return change;
    }
  };

  RtlDomain rtl;
  LazyClock clock;
  TlulBridge bridge;
  tlm_utils::simple_initiator_socket<Platform> bus;
  std::vector<std::function<void()>> bodies;
  std::deque<ScriptedLine> scripted;  // a deque: the RTL keeps their addresses
};

models::InstructionBoundaries boundaries(Cycle min, Cycle max, std::uint64_t seed = 1) {
  return models::InstructionBoundaries({min, max}, seed);
}

class LazyClockTest : public testing::TestWithParam<bool> {};  // skipping on or off

TEST_P(LazyClockTest, OpenWorkIsCutAtTheCycleTheLineRises) {
  Platform p(1, GetParam());
  Cycle start = 0, spent = 0, end = 0;
  auto instructions = boundaries(1, 1);
  p.run({[&] {
    p.enable_sources(0);
    start = p.clock.now();
    p.pulse(start + 3001, kEdgeLine);
    spent = p.clock.advance_interruptible(0, 10'000, instructions);
    end = p.clock.now();
  }});
  EXPECT_EQ(spent, 3001 + kPlicCycles);
  EXPECT_EQ(end, start + 3001 + kPlicCycles);
  EXPECT_TRUE(p.rtl.irq_line(0));
}

TEST_P(LazyClockTest, FixedInstructionLengthCutsAtTheNextBoundary) {
  Platform p(1, GetParam());
  Cycle spent = 0;
  auto instructions = boundaries(10, 10);
  p.run({[&] {
    p.enable_sources(0);
    p.pulse(p.clock.now() + 3001, kEdgeLine);  // irq_o high 3003 cycles into the work
    spent = p.clock.advance_interruptible(0, 10'000, instructions);
  }});
  EXPECT_EQ(spent, 3010U);
}

TEST_P(LazyClockTest, SeededInstructionLengthsCutWithinOneInstruction) {
  Platform p(1, GetParam());
  Cycle spent = 0;
  auto instructions = boundaries(1, 20, 7);
  p.run({[&] {
    p.enable_sources(0);
    p.pulse(p.clock.now() + 3001, kEdgeLine);
    spent = p.clock.advance_interruptible(0, 10'000, instructions);
  }});
  EXPECT_GE(spent, 3003U);
  EXPECT_LT(spent, 3003U + 20);
}

TEST_P(LazyClockTest, ACutAtOrAfterTheEndOfTheWorkIsLeftToTheEnd) {
  Platform p(1, GetParam());
  Cycle spent = 0;
  auto instructions = boundaries(1000, 1000);
  p.run({[&] {
    p.enable_sources(0);
    p.pulse(p.clock.now() + 3001, kEdgeLine);  // next boundary 4000, after the end
    spent = p.clock.advance_interruptible(0, 3500, instructions);
  }});
  EXPECT_EQ(spent, 3500U);
  EXPECT_TRUE(p.rtl.irq_line(0));
}

TEST_P(LazyClockTest, MaskedWorkRunsToItsEnd) {
  Platform p(1, GetParam());
  Cycle start = 0, end = 0;
  p.run({[&] {
    p.enable_sources(0);
    start = p.clock.now();
    p.pulse(start + 3001, kEdgeLine);
    p.clock.advance(0, 10'000);
    end = p.clock.now();
  }});
  EXPECT_EQ(end, start + 10'000);
}

TEST_P(LazyClockTest, ALineAlreadyHighCutsOpenWorkAtOnce) {
  Platform p(1, GetParam());
  Cycle spent = 1;
  auto instructions = boundaries(1, 1);
  p.run({[&] {
    p.enable_sources(0);
    p.drive(kLevelLine, {{p.clock.now() + 10, true}});
    p.clock.advance(0, 100);
    spent = p.clock.advance_interruptible(0, 10'000, instructions);
  }});
  EXPECT_EQ(spent, 0U);
}

// The RTL's events go into the run's event stream at the cycles of the RTL contract
// (docs/rtl.md): a line high in cycle c is a gateway request presented in c (T0) and
// raises the enabled context's line in c + 2.
TEST_P(LazyClockTest, TheRtlEmitsLineRequestAndHartLineEventsIntoTheStream) {
  struct Recorder : kernel::TraceSink {
    void record(const kernel::TraceEvent& e) override { events.push_back({e.cycle, e.cpu, e.kind, e.arg, e.arg2}); }
    std::vector<std::tuple<Cycle, unsigned, kernel::TraceKind, std::uint32_t, std::uint32_t>> events;
  } recorder;
  kernel::Tracer tracer;
  tracer.attach(&recorder);
  Platform p(1, GetParam());
  p.rtl.emit_into(tracer);
  Cycle c = 0;
  auto instructions = boundaries(1, 1);
  p.run({[&] {
    p.enable_sources(0);
    c = p.clock.now() + 3001;
    p.pulse(c, kEdgeLine);
    p.clock.advance_interruptible(0, 10'000, instructions);
  }});
  using K = kernel::TraceKind;
  ASSERT_GE(recorder.events.size(), 4U);
  EXPECT_EQ(std::vector(recorder.events.begin(), recorder.events.begin() + 4),
            (std::vector<std::tuple<Cycle, unsigned, K, std::uint32_t, std::uint32_t>>{
                {c, 0, K::SourceLine, kEdgeSource, 1},
                {c, 0, K::GatewayRequest, kEdgeSource, 0},
                {c + 1, 0, K::SourceLine, kEdgeSource, 0},
                {c + kPlicCycles, 0, K::HartLine, 0, 1}}));
}

// Invariant 1: the RTL never runs past another hart's next touch, so an input that hart
// changes at its own cycle is never in the RTL's past, and the hart watching its line is
// cut exactly where that input leads.
TEST_P(LazyClockTest, AnotherHartsInputAtItsCycleCutsTheWatcherExactly) {
  Platform p(2, GetParam());
  sc_core::sc_event ready;
  Cycle drive = 0, cut = 0;
  auto instructions = boundaries(1, 1);
  p.run({[&] {
           p.enable_sources(0);
           p.clock.unblock(1, p.clock.now(), ready);
           const Cycle spent = p.clock.advance_interruptible(0, 100'000, instructions);
           cut = p.clock.now();
           EXPECT_LT(spent, 100'000U);
         },
         [&] {
           p.clock.block(1);
           sc_core::wait(ready);
           p.clock.advance(1, 5'000);
           drive = p.clock.now();
           p.drive(kLevelLine, {{drive, true}});
           p.clock.advance(1, 50'000);
         }});
  EXPECT_EQ(cut, drive + kPlicCycles);
}

TEST_P(LazyClockTest, WfiWakesAtTheRiseAndQuiescentCyclesAreSkipped) {
  Platform p(1, GetParam());
  Cycle start = 0, woke = 0;
  p.run({[&] {
    p.enable_sources(0);
    start = p.clock.now();
    p.pulse(start + 500'000, kEdgeLine);
    p.clock.wait_irq(0);
    woke = p.clock.now();
  }});
  EXPECT_EQ(woke, start + 500'000 + kPlicCycles);
  if (GetParam()) {
    // Evaluated: the register writes and the few cycles around the pulse, nothing else.
    EXPECT_LT(p.rtl.evaluated_cycles(), 100U);
  } else {
    EXPECT_EQ(p.rtl.evaluated_cycles(), p.rtl.cycle());
  }
}

INSTANTIATE_TEST_SUITE_P(Skip, LazyClockTest, testing::Bool(),
                         [](const testing::TestParamInfo<bool>& info) { return info.param ? "On" : "Off"; });

TEST(InstructionBoundaries, FixedLengthsAreMultiplesFromTheStart) {
  auto b = boundaries(4, 4);
  b.begin(100);
  EXPECT_EQ(b.at_or_after(100), 100U);
  EXPECT_EQ(b.at_or_after(101), 104U);
  EXPECT_EQ(b.at_or_after(104), 104U);
  EXPECT_EQ(b.at_or_after(113), 116U);
  b.begin(117);
  EXPECT_EQ(b.at_or_after(118), 121U);
}

TEST(InstructionBoundaries, SeededLengthsStayInRangeAndRepeat) {
  auto a = boundaries(3, 9, 42);
  auto b = boundaries(3, 9, 42);
  a.begin(0);
  b.begin(0);
  Cycle last = 0;
  for (Cycle c = 1; c < 2000; c += 5) {
    const Cycle x = a.at_or_after(c);
    EXPECT_EQ(x, b.at_or_after(c));
    EXPECT_GE(x, c);
    EXPECT_LT(x, c + 9);
    EXPECT_TRUE(x == last || x - last >= 3) << x << " after " << last;
    last = x;
  }
}

TEST(InstructionBoundaries, RejectsZeroAndInvertedLengths) {
  EXPECT_THROW(boundaries(0, 4), std::invalid_argument);
  EXPECT_THROW(boundaries(5, 4), std::invalid_argument);
}

}  // namespace lazy_clock_test
}  // namespace irqlab::cosim
