#pragma once
// A per-hart rv_timer, registered as fake device "timer": CTRL (bit h starts hart h's
// counter), and per hart h at 0x100 + 0x100*h: INTR_ENABLE, INTR_STATE (rw1c, re-set
// while mtime >= mtimecmp), INTR_TEST, CFG (prescale | step << 16), MTIME, MTIMECMP.
// Changing CFG or CTRL restarts the prescaler. Line h (hart h's source) is
// INTR_STATE && INTR_ENABLE of hart h's block.
#include <vector>

#include "fake_devices/fake_device.h"

namespace irqlab::kernel::test {

class FakeTimer final : public FakeDevice {
 public:
  FakeTimer(const PlatformDevice& device, const PlatformMap& platform, unsigned harts);

  Addr window() const override;
  std::uint32_t access(const FakeAccess& a) override;
  void advance(Cycle at) override;
  Cycle next_event() const override;
  bool line(unsigned hart) const override;

  // Test set-up: hart `hart`'s MTIME before it starts its timer.
  void set_mtime(unsigned hart, std::uint64_t value) { timers_[hart].base = value; }
  std::uint64_t mtime(unsigned hart, Cycle at) const { return timers_[hart].mtime(at); }

 private:
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

  std::vector<Timer> timers_;
};

}  // namespace irqlab::kernel::test
