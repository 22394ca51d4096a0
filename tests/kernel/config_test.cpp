#include <gtest/gtest.h>

#include "kernel.h"
#include "machine/bus_error.h"
#include "test_support.h"

namespace irqlab::kernel::test {
namespace config_test {

bool mentions(const std::vector<std::string>& errors, const std::string& text) {
  for (const std::string& e : errors)
    if (e.find(text) != std::string::npos) return true;
  return false;
}

KernelConfig valid_config() {
  KernelConfig k = test_config(2);
  k.tick.period = 1000;
  k.injected.push_back({5, 3, 40, {}});
  k.injected.push_back({6, 7, 10, {1}});
  return k;
}

TEST(KernelConfig, ValidConfigHasNoErrors) { EXPECT_TRUE(validate_config(valid_config()).empty()); }

TEST(KernelConfig, RejectsSourceOutOfRange) {
  KernelConfig k = valid_config();
  k.injected.push_back({32, 1, 0, {}});
  k.injected.push_back({0, 1, 0, {}});
  const auto errors = validate_config(k);
  EXPECT_TRUE(mentions(errors, "injected source 32 is out of range: valid PLIC sources are 1..31"));
  EXPECT_TRUE(mentions(errors, "injected source 0 is out of range"));
}

TEST(KernelConfig, RejectsPriorityZeroAndAboveMax) {
  KernelConfig k = valid_config();
  k.injected[0].priority = 0;
  k.injected[1].priority = 8;
  k.tick.priority = 0;
  const auto errors = validate_config(k);
  EXPECT_TRUE(mentions(errors, "injected source 5 priority is 0"));
  EXPECT_TRUE(mentions(errors, "injected source 6 priority 8 is above the PLIC maximum 7"));
  EXPECT_TRUE(mentions(errors, "tick priority is 0"));
}

TEST(KernelConfig, RejectsDuplicateAndTimerSources) {
  KernelConfig k = valid_config();
  k.injected.push_back({5, 1, 0, {}});
  k.injected.push_back({2, 1, 0, {}});  // hart 1's timer
  const auto errors = validate_config(k);
  EXPECT_TRUE(mentions(errors, "injected source 5 is declared twice or is a timer source"));
  EXPECT_TRUE(mentions(errors, "injected source 2 is declared twice or is a timer source"));
}

TEST(KernelConfig, RejectsCpuListOutOfRange) {
  KernelConfig k = valid_config();
  k.injected[1].cpus = {2};
  EXPECT_TRUE(
      mentions(validate_config(k), "injected source 6 is enabled on cpu 2 but there are 2 cpus"));
}

TEST(KernelConfig, RejectsTickWithoutTimerSourcesOrBadCfg) {
  KernelConfig k = valid_config();
  k.platform.find("timer")->sources.pop_back();
  k.tick.prescale = 0x1000;
  k.tick.step = 0;
  const auto errors = validate_config(k);
  EXPECT_TRUE(
      mentions(errors, "tick enabled but the platform's timer lists 1 sources for 2 cpus"));
  EXPECT_TRUE(mentions(errors, "tick prescale 4096 does not fit CFG.prescale (max 4095)"));
  EXPECT_TRUE(mentions(errors, "tick step 0 must be 1..255"));
}

TEST(KernelConfig, RejectsCpusBeyondPlicContextsAndEmptyPlatform) {
  KernelConfig k = valid_config();
  k.cpus = 3;
  k.platform.plic_max_priority = 0;
  auto errors = validate_config(k);
  EXPECT_TRUE(mentions(errors, "cpus is 3 but the PLIC has only 2 contexts"));
  EXPECT_TRUE(mentions(errors, "platform.plic_max_priority is 0"));
  k = valid_config();
  k.cpus = 0;
  EXPECT_TRUE(mentions(validate_config(k), "cpus is 0"));
}

TEST(KernelConfig, TickOffIgnoresTimerFields) {
  KernelConfig k = test_config(1);
  k.platform.find("timer")->sources.clear();
  k.tick.step = 0;
  EXPECT_TRUE(validate_config(k).empty());
}

TEST(KernelConfig, KernelRefusesInvalidConfigOrHartCountMismatch) {
  FakeMachine m(2, test_platform(2), kMmio);
  Tracer tracer;
  KernelConfig bad = valid_config();
  bad.injected[0].priority = 0;
  try {
    Kernel k(m, bad, tracer);
    FAIL() << "accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(
        std::string(e.what()).find("invalid kernel config:\n  injected source 5 priority is 0"),
        std::string::npos);
  }
  FakeMachine one(1, test_platform(2), kMmio);
  EXPECT_THROW({ Kernel k(one, valid_config(), tracer); }, std::invalid_argument);
}

TEST(BusError, WhatNamesDirectionAndAddress) {
  EXPECT_STREQ(BusError(0x0c001234, false, "decode miss").what(),
               "bus error: read of 0x0c001234: decode miss");
  EXPECT_STREQ(BusError(0x100000000ull, true, "x").what(), "bus error: write of 0x100000000: x");
}

}  // namespace config_test
}  // namespace irqlab::kernel::test
