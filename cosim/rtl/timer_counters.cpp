#include "rtl/timer_counters.h"

#include <algorithm>

#include "Virqlab_cosim_top___024root.h"

namespace irqlab::cosim {

TimerHartState TimerCounters::read(unsigned hart) const {
  const auto& r = root_;
  TimerHartState s;
  s.active = (r.irqlab_cosim_top__DOT__u_soc__DOT__u_timer__DOT__active_q >> hart) & 1U;
  s.intr_state = (r.irqlab_cosim_top__DOT__u_soc__DOT__u_timer__DOT__intr_state_q >> hart) & 1U;
  s.prescale = (r.irqlab_cosim_top__DOT__u_soc__DOT__u_timer__DOT__prescale_q >> (12 * hart)) & 0xFFFU;
  s.step = (r.irqlab_cosim_top__DOT__u_soc__DOT__u_timer__DOT__step_q >> (8 * hart)) & 0xFFU;
  s.count = (r.irqlab_cosim_top__DOT__u_soc__DOT__u_timer__DOT__count_q >> (12 * hart)) & 0xFFFU;
  const auto& mtime = r.irqlab_cosim_top__DOT__u_soc__DOT__u_timer__DOT__mtime_q;
  const auto& mtimecmp = r.irqlab_cosim_top__DOT__u_soc__DOT__u_timer__DOT__mtimecmp_q;
  s.mtime = std::uint64_t{mtime[2 * hart]} | std::uint64_t{mtime[2 * hart + 1]} << 32;
  s.mtimecmp = std::uint64_t{mtimecmp[2 * hart]} | std::uint64_t{mtimecmp[2 * hart + 1]} << 32;
  return s;
}

void TimerCounters::write_counters(unsigned hart, const TimerHartState& s) {
  auto& count = root_.irqlab_cosim_top__DOT__u_soc__DOT__u_timer__DOT__count_q;
  const unsigned shift = 12 * hart;
  count = (count & ~(std::uint64_t{0xFFFU} << shift)) | (s.count << shift);
  auto& mtime = root_.irqlab_cosim_top__DOT__u_soc__DOT__u_timer__DOT__mtime_q;
  mtime[2 * hart] = static_cast<std::uint32_t>(s.mtime);
  mtime[2 * hart + 1] = static_cast<std::uint32_t>(s.mtime >> 32);
}

Cycle TimerCounters::cycles_to_match() const {
  Cycle soonest = kNoMatch;
  for (unsigned h = 0; h < harts_; ++h) soonest = std::min(soonest, cosim::cycles_to_match(read(h)));
  return soonest;
}

void TimerCounters::advance(Cycle k) {
  for (unsigned h = 0; h < harts_; ++h) {
    TimerHartState s = read(h);
    advance_counters(s, k);
    write_counters(h, s);
  }
}

}  // namespace irqlab::cosim
