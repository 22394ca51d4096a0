#include "fake_devices/fake_timer.h"

#include <algorithm>

#include "drivers/regs/timer_regs.h"
#include "machine/bus_error.h"

namespace irqlab::kernel::test {

namespace {

// The register map, from the SoC description (drivers/regs/timer_regs.h).
namespace timer = regs::timer;
constexpr Addr kCtrl = timer::kCtrl;
constexpr Addr kHart = timer::intr_enable(0);  // hart 0's block; the blocks follow
constexpr Addr kHartStride = timer::intr_enable(1) - timer::intr_enable(0);

std::uint32_t word(std::uint64_t v, bool high) {
  return static_cast<std::uint32_t>(high ? v >> 32 : v);
}
std::uint64_t with_word(std::uint64_t v, bool high, std::uint32_t w) {
  return high ? (v & 0xFFFFFFFFull) | std::uint64_t{w} << 32 : (v & ~0xFFFFFFFFull) | w;
}

const FakeDeviceRegistration<FakeTimer> fake_timer_registration("timer");

}  // namespace

std::uint64_t FakeTimer::Timer::mtime(Cycle at) const {
  if (!active || at < since) return base;
  return base + (at - since) / (prescale + 1) * step;
}

void FakeTimer::Timer::rebase(Cycle at) {
  base = mtime(at);
  since = at;
}

Cycle FakeTimer::Timer::fire_cycle() const {
  if (!active || step == 0) return kNever;
  if (base >= compare) return since;
  const unsigned __int128 advances = (compare - base + step - 1) / step;
  const unsigned __int128 at = since + advances * (prescale + 1);
  return at >= kNever ? kNever : static_cast<Cycle>(at);
}

FakeTimer::FakeTimer(const PlatformDevice&, const PlatformMap&, unsigned harts) : timers_(harts) {}

Addr FakeTimer::window() const { return kHart + kHartStride * timers_.size(); }

void FakeTimer::advance(Cycle at) {
  for (Timer& t : timers_)
    if (t.active && t.mtime(at) >= t.compare) t.intr_state = true;
}

Cycle FakeTimer::next_event() const {
  Cycle at = kNever;
  for (const Timer& t : timers_)
    if (t.intr_enable && !t.intr_state) at = std::min(at, t.fire_cycle());
  return at;
}

bool FakeTimer::line(unsigned hart) const {
  return hart < timers_.size() && timers_[hart].intr_state && timers_[hart].intr_enable;
}

std::uint32_t FakeTimer::access(const FakeAccess& a) {
  const Addr off = a.offset;
  const auto bad = [&] { return BusError(a.addr, a.write, "no such timer register"); };
  if (off == kCtrl) {
    std::uint32_t ctrl = 0;
    for (unsigned h = 0; h < timers_.size(); ++h) {
      Timer& t = timers_[h];
      if (a.write && t.active != ((a.value >> h & 1) != 0)) {
        t.rebase(a.at);
        t.active = !t.active;
      }
      if (t.active) ctrl |= std::uint32_t{1} << h;
    }
    return ctrl;
  }
  if (off < kHart) throw bad();
  Timer& t = timers_[(off - kHart) / kHartStride];
  // The register's offset in hart 0's block.
  const Addr reg = kHart + (off - kHart) % kHartStride;
  switch (reg) {
    case timer::intr_enable(0):
      if (a.write) t.intr_enable = (a.value & 1) != 0;
      return t.intr_enable;
    case timer::intr_state(0):
      if (a.write && (a.value & 1) != 0) t.intr_state = false;  // advance() re-sets it if still due
      return t.intr_state;
    case timer::intr_test(0):
      if (a.write && (a.value & 1) != 0) t.intr_state = true;
      return 0;
    case timer::cfg(0):
      if (a.write) {
        t.rebase(a.at);
        t.prescale = a.value >> timer::kCfgPrescaleShift & timer::kCfgPrescaleMask;
        t.step = a.value >> timer::kCfgStepShift & timer::kCfgStepMask;
      }
      return t.prescale << timer::kCfgPrescaleShift | t.step << timer::kCfgStepShift;
    case timer::mtime_lo(0):
    case timer::mtime_hi(0): {
      const bool high = reg == timer::mtime_hi(0);
      if (a.write) {
        t.rebase(a.at);
        t.base = with_word(t.base, high, a.value);
      }
      return word(t.mtime(a.at), high);
    }
    case timer::mtimecmp_lo(0):
    case timer::mtimecmp_hi(0): {
      const bool high = reg == timer::mtimecmp_hi(0);
      if (a.write) t.compare = with_word(t.compare, high, a.value);
      return word(t.compare, high);
    }
  }
  throw bad();
}

}  // namespace irqlab::kernel::test
