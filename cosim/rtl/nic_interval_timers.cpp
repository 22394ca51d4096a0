#include "rtl/nic_interval_timers.h"

#include <algorithm>

#include "Virqlab_cosim_top___024root.h"

namespace irqlab::cosim {
namespace {

// One timer's public nets in the Verilated SoC (u_soc.u_nic.u_moderation.u_<timer>).
struct TimerNets {
  const CData& running;
  const QData& interval;
  QData& elapsed;
};

TimerNets nets(Virqlab_cosim_top___024root& r, unsigned timer) {
  switch (timer) {
    case 0:
      return {
          r.irqlab_cosim_top__DOT__u_soc__DOT__u_nic__DOT__u_moderation__DOT__u_itr__DOT__running_q,
          r.irqlab_cosim_top__DOT__u_soc__DOT__u_nic__DOT__u_moderation__DOT__u_itr__DOT__interval,
          r.irqlab_cosim_top__DOT__u_soc__DOT__u_nic__DOT__u_moderation__DOT__u_itr__DOT__elapsed_q};
    case 1:
      return {
          r.irqlab_cosim_top__DOT__u_soc__DOT__u_nic__DOT__u_moderation__DOT__u_rdtr__DOT__running_q,
          r.irqlab_cosim_top__DOT__u_soc__DOT__u_nic__DOT__u_moderation__DOT__u_rdtr__DOT__interval,
          r.irqlab_cosim_top__DOT__u_soc__DOT__u_nic__DOT__u_moderation__DOT__u_rdtr__DOT__elapsed_q};
    default:
      return {
          r.irqlab_cosim_top__DOT__u_soc__DOT__u_nic__DOT__u_moderation__DOT__u_radv__DOT__running_q,
          r.irqlab_cosim_top__DOT__u_soc__DOT__u_nic__DOT__u_moderation__DOT__u_radv__DOT__interval,
          r.irqlab_cosim_top__DOT__u_soc__DOT__u_nic__DOT__u_moderation__DOT__u_radv__DOT__elapsed_q};
  }
}

}  // namespace

NicIntervalState NicIntervalTimers::read(Timer t) const {
  const TimerNets n = nets(root_, t);
  return {n.running != 0, n.elapsed, n.interval};
}

Cycle NicIntervalTimers::cycles_to_expiry() const {
  Cycle soonest = kNoExpiry;
  for (unsigned t = 0; t < kTimers; ++t)
    soonest = std::min(soonest, cosim::cycles_to_expiry(read(static_cast<Timer>(t)), period_ps_));
  return soonest;
}

void NicIntervalTimers::advance(Cycle k) {
  for (unsigned t = 0; t < kTimers; ++t) {
    NicIntervalState s = read(static_cast<Timer>(t));
    advance_interval(s, k, period_ps_);
    nets(root_, t).elapsed = s.elapsed_ps;
  }
}

}  // namespace irqlab::cosim
