#pragma once
// Helpers for the personality tests (personality_*_test.cpp).
#include <gtest/gtest.h>

#include "sync/adaptive_mutex.h"
#include "lwp_support.h"
#include "personality/bsd43/bsd43.h"
#include "personality/netbsd/netbsd.h"

namespace irqlab::kernel::test {

inline KernelConfig netbsd_config(unsigned cpus = 1, NetbsdOptions options = {}) {
  KernelConfig k = test_config(cpus);
  k.personality = netbsd::selected(options);
  return k;
}

inline KernelConfig bsd43_config(unsigned cpus = 1, Bsd43Options options = {}) {
  KernelConfig k = test_config(cpus);
  k.personality = bsd43::selected(options);
  return k;
}

// First cycle of doreti (irq_exit) for an interrupt taken at t1 (T1) whose single handler
// spends h cycles: trap entry, claim, dispatch, handler, complete, final claim.
inline Cycle doreti_at(const CostProfile& c, Cycle t1, Cycle h = 0) {
  return t1 + c.trap_entry + kMmio + c.irq_dispatch + h + 2 * kMmio;
}
// Cycle at which an interrupt handler taken at t1 starts (T2).
inline Cycle handler_at(const CostProfile& c, Cycle t1) {
  return t1 + c.trap_entry + kMmio + c.irq_dispatch;
}

// Runs the rig and returns the panic message (empty if none).
inline std::string panic_message(Rig& rig, Cycle end = 100'000) {
  try {
    rig.machine.run_until(end);
  } catch (const KernelPanic& e) {
    return e.what();
  }
  return "";
}

inline bool contains(const std::string& message, const std::string& text) {
  return message.find(text) != std::string::npos;
}

inline const DeferredStats& deferred_named(const KernelStats& s, const std::string& name) {
  for (const DeferredStats& d : s.deferred)
    if (d.name == name) return d;
  static DeferredStats none;
  ADD_FAILURE() << "no deferred work named " << name;
  return none;
}

// The neutral "driver" every personality runs unchanged: its hard handler spends kHard
// and schedules a net-level deferral that (optionally) takes the softc mutex and spends
// kRx. Nothing in it names a personality.
namespace neutral {

constexpr unsigned kNic = 3, kNicPrio = 5;
constexpr Cycle kHard = 20, kRx = 40;

struct NicDriver {
  NicDriver(Kernel& k, bool may_block, AdaptiveMutex* softc) : kernel(k) {
    rx = &k.establish_deferred({"nic_rx", DeferLevel::Net, may_block, true, [this, softc] {
      if (softc) softc->enter();
      kernel.work(kRx);
      ++packets;
      if (softc) softc->exit();
    }});
    k.attach_irq(kNic, kNicPrio, [this](unsigned) {
      kernel.work(kHard);
      rx->schedule();
    });
  }
  Kernel& kernel;
  DeferredWork* rx = nullptr;
  int packets = 0;
};

}  // namespace neutral

}  // namespace irqlab::kernel::test
