#pragma once
// A small PLIC (riscv-plic-spec offsets), registered as fake device "plic": priorities,
// pending, per-context enables, threshold, claim/complete with gateways (edge pulses from
// the test, level lines from the other devices). Claims pick the highest priority, ties
// to the lower ID, with zero assertion-to-line latency. Context n is hart n. Tests may
// script claim results.
#include <vector>

#include "fake_devices/fake_device.h"

namespace irqlab::kernel::test {

class FakePlic final : public FakeInterruptController {
 public:
  FakePlic(const PlatformDevice& device, const PlatformMap& platform, unsigned harts);

  Addr window() const override;
  std::uint32_t access(const FakeAccess& a) override;
  void request(unsigned source) override;
  bool hart_line(unsigned hart) const override;
  void force_line(unsigned hart) override { forced_.at(hart) = true; }

  // The next claim reads of context `ctx` return these IDs, in order, instead of the
  // PLIC's choice; a non-zero ID is taken out of pending and put in service.
  void script_claims(unsigned ctx, std::vector<std::uint32_t> ids);

 private:
  bool enabled(unsigned ctx, unsigned source) const;
  std::uint32_t claim(unsigned ctx);
  void complete(unsigned ctx, std::uint32_t id);

  std::vector<std::uint32_t> priority_;
  std::vector<bool> pending_;
  std::vector<bool> in_service_;
  std::vector<std::vector<std::uint32_t>> enable_;  // [ctx][word]
  std::vector<std::uint32_t> threshold_;
  std::vector<std::vector<std::uint32_t>> scripted_claims_;  // [ctx], front first
  std::vector<bool> forced_;                                 // [hart]
};

}  // namespace irqlab::kernel::test
