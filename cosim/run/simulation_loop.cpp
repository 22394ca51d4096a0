#include "run/simulation_loop.h"

#include <algorithm>
#include <chrono>

#include "log/progress_line.h"
#include "run/run_control.h"

namespace irqlab::cosim {

namespace {

// Longer pieces while they take less than half the target time, shorter ones while they
// take more than twice: within a factor of two of it, however fast the run goes.
Cycle next_piece(Cycle piece, double seconds) {
  if (seconds < Pieces::kPieceSeconds / 2 && piece < (Cycle{1} << 40)) return piece * 2;
  if (seconds > Pieces::kPieceSeconds * 2) return std::max(Pieces::kShortestPiece, piece / 2);
  return piece;
}

}  // namespace

std::optional<Interruption> simulate(LazyClock& clock, Cycle end, const Watchdog& watchdog,
                                     ProgressLine& progress, const Pieces& pieces) {
  Cycle piece = pieces.fixed.value_or(Pieces::kFirstPiece);
  Cycle reached = clock.now();
  for (;;) {
    const Cycle target = piece == 0 || end - reached <= piece ? end : reached + piece;
    const auto start = std::chrono::steady_clock::now();
    sc_core::sc_start(clock.period() * static_cast<double>(target) - sc_core::sc_time_stamp());
    reached = clock.now();
    if (reached >= end || sc_core::sc_get_status() != sc_core::SC_PAUSED) return std::nullopt;
    if (const int signal = InterruptSignals::received())
      return Interruption{signal_name(signal), exit_status_for_signal(signal)};
    if (std::optional<std::string> limit = watchdog.expired())
      return Interruption{*limit, kExitWatchdog};
    progress.update(reached);
    if (!pieces.fixed)
      piece = next_piece(
          piece, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
}

}  // namespace irqlab::cosim
