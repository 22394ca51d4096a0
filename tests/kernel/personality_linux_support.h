#pragma once
// Helpers for the linux personality tests (personality_linux*_test.cpp).
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <string>

#include "personality/linux/linux.h"
#include "personality_support.h"

namespace irqlab::kernel::test {

inline KernelConfig linux_config(unsigned cpus = 1, LinuxOptions options = {}) {
  KernelConfig k = test_config(cpus);
  k.personality = lnx::selected(options);
  return k;
}

// A kernel running the linux personality, with a cycle log that also records the LWP
// each point was first reached on.
struct LxRig {
  explicit LxRig(KernelConfig k = linux_config())
      : config(std::move(k)), rig(config), kn(*rig.kernel), lx(lnx::of(kn)) {}
  const CostProfile& c() const { return config.costs; }
  void point(const std::string& name) {
    log.point(kn, name);
    where.emplace(name, kn.sched().current().name);
  }
  // open_softirq(nr) with an action that logs `name`, runs on_run[name] and spends `cycles`.
  void add_softirq(unsigned nr, const std::string& name, Cycle cycles) {
    lx.open_softirq(nr, [this, name, cycles] {
      point(name);
      if (auto it = on_run.find(name); it != on_run.end()) it->second();
      kn.work(cycles);
    });
  }
  KernelConfig config;
  Rig rig;
  Kernel& kn;
  lnx::Linux& lx;
  CycleLog log;
  std::map<std::string, std::string> where;
  std::map<std::string, std::function<void()>> on_run;
};

}  // namespace irqlab::kernel::test
