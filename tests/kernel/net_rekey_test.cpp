// SA-lock contention (issue 10, Tests): the rekey thread holds the SADB rwlock as writer
// when a packet arrives on the same CPU. Under NetBSD the net softint blocks on the lock
// (N-SI-10, N-SI-11: LS back to the pinned rekey thread), under FreeBSD the NIC's ithread,
// which runs ip_input and esp_input by direct netisr dispatch (the FreeBSD 7 default),
// sleeps on its turnstile (F-12); both resume when the writer lets go. The blocked cycles
// the lock reports are computed here from the scenario (hold time, cost profile) and the
// interrupt's entry and exit on the stream.
#include <algorithm>
#include <gtest/gtest.h>

#include "net_support.h"

namespace irqlab::kernel::test::net {
namespace net_rekey_test {

using K = TraceKind;

constexpr Cycle kTick = 10'000, kRekeyPeriod = 20'000, kRekeyHold = 6'000;

KernelConfig rekey_config(std::string_view name) {
  KernelConfig k = net_config(name);
  k.tick.period = kTick;
  k.ipsec.rekey_period = kRekeyPeriod;
  k.ipsec.rekey_hold = kRekeyHold;
  return k;
}

std::uint32_t announced_id(const Recorder& trace, TraceKind kind, std::string_view name) {
  for (const Announced& a : trace.announced)
    if (std::get<0>(a) == kind && std::get<2>(a) == name) return std::get<1>(a);
  ADD_FAILURE() << "nothing announced as " << name;
  return ~0u;
}

std::string lwp_name(const Recorder& trace, std::uint32_t id) {
  for (const Announced& a : trace.announced)
    if (std::get<0>(a) == K::AnnounceLwp && std::get<1>(a) == id) return std::get<2>(a);
  return "?";
}

// The first event of `kind` at or after `from` whose folded arg satisfies `match`.
template <typename Match>
Ev first_of(const Recorder& trace, TraceKind kind, Cycle from, Match match) {
  for (const Ev& e : trace.events)
    if (std::get<2>(e) == kind && std::get<0>(e) >= from && match(std::get<3>(e))) return e;
  ADD_FAILURE() << "no " << trace_kind_name(kind) << " from cycle " << from;
  return {};
}

// The cycle the rekey thread is switched to after the first tick at or after kRekeyPeriod
// woke it, from a run of the same scenario without traffic (runs are deterministic).
Cycle rekey_switched_in(const KernelConfig& k) {
  NetRig dry(k);
  dry.rig.machine.run_until(kRekeyPeriod + kTick / 2);
  const std::uint32_t rekey = announced_id(dry.rig.trace, K::AnnounceLwp, "rekey");
  return std::get<0>(first_of(dry.rig.trace, K::Switch, kRekeyPeriod,
                              [&](std::uint32_t a) { return a >> 8 == rekey; }));
}

void blocked_reader_waits_for_the_rest_of_the_hold(std::string_view name,
                                                   std::string_view reader_prefix) {
  const KernelConfig k = rekey_config(name);
  const CostProfile& c = k.costs;
  const Cycle ts = rekey_switched_in(k);
  ASSERT_GE(ts, kRekeyPeriod);
  // The switch's cycles are spent with interrupts off, then the writer takes the free
  // lock (lock_fast): a frame reaching the MAC in that step interrupts the writer at the
  // step's end, holding the lock with its whole hold still to do. (The fake machine takes
  // interrupts only between steps; the CPU model would cut the hold itself.)
  const Cycle locked = ts + c.runq_pick + c.switch_full + c.lock_fast;
  NetRig r(k);
  const Recorder& trace = r.rig.trace;
  const std::uint32_t sadb = announced_id(trace, K::AnnounceLock, "sadb");
  const Bytes payload{0xCA, 0xFE, 0xBA, 0xBE, 1, 2, 3};
  r.nic.inject(locked - 1, esp_frame(k.ipsec.sas[0], 1, payload));
  r.rig.machine.run_until(kRekeyPeriod + kTick + kTick / 2);

  const Cycle t1 =
      std::get<0>(first_of(trace, K::TrapEnter, ts, [](std::uint32_t) { return true; }));
  EXPECT_EQ(t1, locked);
  const Ev wait =
      first_of(trace, K::LockWait, ts, [&](std::uint32_t a) { return (a & 0xFFFF) == sadb; });
  const Cycle tw = std::get<0>(wait);
  const std::uint32_t reader = std::get<3>(wait) >> 16;
  EXPECT_TRUE(lwp_name(trace, reader).starts_with(reader_prefix)) << lwp_name(trace, reader);
  // The interrupted writer goes on at the end of its trap (T5) with the whole hold to do.
  const Cycle t5 =
      std::get<0>(first_of(trace, K::TrapExit, tw, [](std::uint32_t) { return true; }));

  // The reader waits from its failed attempt to T5, then the hold, then the writer's
  // release hands the lock over: lock_release_wake, the wake-up (wakeup + runq_insert),
  // kernel preemption into the reader (runq_pick + switch_full, and runq_insert of the
  // preempted writer); a reader handed the lock spends nothing more.
  const Cycle handoff =
      c.lock_release_wake + c.wakeup + c.runq_insert + c.runq_pick + c.switch_full + c.runq_insert;
  const Cycle expected = (t5 - tw) + kRekeyHold + handoff;

  const LockStats lock = r.net().sadb().lock()->stats();
  EXPECT_EQ(lock.contended, 1u);
  EXPECT_EQ(lock.blocked_cycles, expected);
  const DeferredStats ipintr = deferred_named(r.rig.kernel->stats(), "ipintr");
  EXPECT_EQ(ipintr.blocked, 1u);
  EXPECT_GE(ipintr.blocked_cycles, kRekeyHold);
  ASSERT_EQ(r.log.reads.size(), 1u);
  EXPECT_EQ(r.log.reads[0].payload, payload);
  EXPECT_EQ(r.net().stats().rekeys, 1u);
}

TEST(NetRekey, UnderNetbsdTheNetSoftintBlocksOnTheSaLockForTheRestOfTheHold) {
  blocked_reader_waits_for_the_rest_of_the_hold("netbsd", "softint/");
}

TEST(NetRekey, UnderFreebsdTheNicIthreadSleepsOnTheSaLockForTheRestOfTheHold) {
  blocked_reader_waits_for_the_rest_of_the_hold("freebsd", "irq5: nic_poll");
}

// 4.3BSD has no sleeping SA lock: the rekey thread holds splnet, so the netisr that
// takes the packet waits for its splx (B-6), and esp_input runs after the hold.
TEST(NetRekey, UnderBsd43TheNetisrWaitsForTheRekeySplx) {
  const KernelConfig k = rekey_config("bsd43");
  NetRig r(k);
  const Cycle rekey_in = rekey_switched_in(k);
  ASSERT_GT(rekey_in, kRekeyPeriod);
  EXPECT_EQ(r.net().sadb().lock(), nullptr);
  const Bytes payload{5, 4, 3};
  r.nic.inject(rekey_in + kRekeyHold / 4, esp_frame(k.ipsec.sas[0], 1, payload));
  r.rig.machine.run_until(kRekeyPeriod + kTick + kTick / 2);
  const auto& stages = r.log.stages.at(1);
  const auto esp = std::ranges::find(stages, PacketStage::EspInput, &NetLog::Stage::stage);
  ASSERT_NE(esp, stages.end());
  EXPECT_GE(esp->cycle, rekey_in + kRekeyHold);
  ASSERT_EQ(r.log.reads.size(), 1u);
  EXPECT_EQ(r.log.reads[0].payload, payload);
}

}  // namespace net_rekey_test
}  // namespace irqlab::kernel::test::net
