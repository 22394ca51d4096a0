// The counters derived from the event stream (trace/stream_counters.h) and the
// announcements that name the stream's entities. The expected figures are counted by hand
// from the event sequences below, following the derivations in stream_counters.h.
#include <gtest/gtest.h>

#include "lwp_support.h"
#include "sync/adaptive_mutex.h"
#include "test_support.h"
#include "trace/stream_counters.h"

namespace irqlab::kernel::test {
namespace stream_counters_test {

using K = TraceKind;

TraceEvent ev(unsigned cpu, K kind, std::uint32_t arg = 0, std::uint32_t arg2 = 0) {
  return {0, static_cast<std::uint16_t>(cpu), kind, arg, arg2, {}, {}};
}
TraceEvent announced(unsigned cpu, K kind, std::uint32_t id, std::string_view name, std::uint32_t arg2 = 0) {
  return {0, static_cast<std::uint16_t>(cpu), kind, id, arg2, name, {}};
}
constexpr std::uint32_t kFull = static_cast<std::uint32_t>(SwitchKind::Full);
constexpr std::uint32_t kLight = static_cast<std::uint32_t>(SwitchKind::Light);

// Two harts. LWP 2 starts deferred work 0 on hart 0, is interrupted there, switches away
// while the work is unfinished, resumes on hart 1, is interrupted again, ends the work and
// is interrupted a third time.
TEST(StreamCounters, DerivesTrapsSwitchesHandlersAndDeferredInterruptsFromEvents) {
  StreamCounters counters(2, 8);
  for (const TraceEvent& e : {
           announced(0, K::AnnounceLwp, 0, "idle/0", 1),
           announced(0, K::AnnounceLwp, 1, "idle/1", 2),  // announced from hart 0, idle on 1
           announced(0, K::AnnounceLwp, 2, "worker"),
           announced(0, K::AnnounceDeferred, 0, "rx", 5),
           ev(1, K::TrapEnter),         // IC on idle/1: current on hart 1 from its announcement
           ev(0, K::TrapEnter),         // IC on idle/0
           ev(0, K::Claim, 0),          // first claim empty: spurious
           ev(0, K::Claim, 0),          // not the first claim of its trap
           ev(0, K::Switch, 2, kFull),  // worker on hart 0
           ev(0, K::DeferStart, 0),
           ev(0, K::TrapEnter),  // IC on worker, inside rx
           ev(0, K::Claim, 5),
           ev(0, K::HandlerStart, 5),
           ev(0, K::HandlerEnd, 5),
           ev(0, K::Claim, 6),
           ev(0, K::Unhandled, 6),
           ev(0, K::Unhandled, 99),      // outside the PLIC's sources: not counted
           ev(0, K::Switch, 0, kLight),  // worker leaves hart 0 with rx unfinished
           ev(1, K::Switch, 2, kFull),   // and resumes on hart 1
           ev(1, K::TrapEnter),          // IC on worker, still inside rx
           ev(1, K::DeferEnd, 0),
           ev(1, K::TrapEnter),  // IC on worker, rx done
           ev(1, K::HandlerStart, 5),  // a handler that never returned: not handled
       })
    counters.record(e);

  ASSERT_EQ(counters.cpus().size(), 2U);
  const CpuStats& h0 = counters.cpus()[0];
  EXPECT_EQ(h0.interrupts, 2U);
  EXPECT_EQ(h0.spurious, 1U);
  EXPECT_EQ(h0.switches, (SwitchCounts{1, 1, 2}));
  const CpuStats& h1 = counters.cpus()[1];
  EXPECT_EQ(h1.interrupts, 3U);
  EXPECT_EQ(h1.spurious, 0U);
  EXPECT_EQ(h1.switches, (SwitchCounts{1, 0, 3}));

  ASSERT_EQ(counters.lwps().size(), 3U);
  EXPECT_EQ(counters.lwps()[0].name, "idle/0");
  EXPECT_EQ(counters.lwps()[0].switches, (SwitchCounts{0, 1, 1}));
  EXPECT_EQ(counters.lwps()[1].switches, (SwitchCounts{0, 0, 1}));
  EXPECT_EQ(counters.lwps()[2].name, "worker");
  EXPECT_EQ(counters.lwps()[2].id, 2U);
  EXPECT_EQ(counters.lwps()[2].switches, (SwitchCounts{2, 0, 3}));

  EXPECT_EQ(counters.sources()[5].handled, 1U);
  EXPECT_EQ(counters.sources()[5].unhandled, 0U);
  EXPECT_EQ(counters.sources()[6].unhandled, 1U);
  EXPECT_EQ(counters.deferred_interrupts(0), 2U);
  EXPECT_EQ(counters.deferred_interrupts(7), 0U);
}

// Before a hart boots no LWP is current on it: a trap there charges no LWP.
TEST(StreamCounters, TrapBeforeAnyLwpChargesOnlyTheCpu) {
  StreamCounters counters(1, 2);
  counters.record(ev(0, K::TrapEnter));
  EXPECT_EQ(counters.cpus()[0].switches, (SwitchCounts{0, 0, 1}));
  EXPECT_TRUE(counters.lwps().empty());
}

// The kernel announces every entity once, by id, with the name its statistics use:
// the idle LWPs (marked with 1 + their CPU) at construction, the big lock, then what is created later.
TEST(StreamCounters, KernelAnnouncesLwpsLocksAndDeferredWork) {
  Rig rig(test_config(2));
  Kernel& kn = *rig.kernel;
  EXPECT_EQ(rig.trace.announced, (std::vector<Announced>{{K::AnnounceLock, 0, "kernel_lock", 0},
                                                         {K::AnnounceLwp, 0, "idle/0", 1},
                                                         {K::AnnounceLwp, 1, "idle/1", 2}}));
  rig.trace.announced.clear();
  kn.create_lwp(lwp("worker", Band::Kernel, 0, [] {}));
  AdaptiveMutex softc(kn, "softc");
  kn.deferred_record({"rx", DeferLevel::Net, false, true, [] {}, 5});
  kn.deferred_record({"tx", DeferLevel::Net, false, true, [] {}});
  EXPECT_EQ(rig.trace.announced, (std::vector<Announced>{{K::AnnounceLwp, 2, "worker", 0},
                                                         {K::AnnounceLock, 1, "softc", 0},
                                                         {K::AnnounceDeferred, 0, "rx", 5},
                                                         {K::AnnounceDeferred, 1, "tx", 0}}));
}

}  // namespace stream_counters_test
}  // namespace irqlab::kernel::test
