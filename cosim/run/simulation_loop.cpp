#include "run/simulation_loop.h"

#include <algorithm>
#include <chrono>

#include "cpu/cpu.h"
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

// sc_start up to `target`, as with SC_RUN_TO_TIME, except that SystemC stays at its last
// event's time when it has none left. SC_EXIT_ON_STARVATION stops at the last event
// before `target` also when more events follow after it, so the rest of the piece is run
// to time then; a piece with no event before `target` is run to time at once (an
// SC_EXIT_ON_STARVATION start that neither runs nor moves time would warn, W571).
void run_piece(sc_core::sc_time target) {
  const bool started = sc_core::sc_get_status() != sc_core::SC_ELABORATION;
  const bool event_before_target =
      !started || (sc_core::sc_pending_activity() &&
                   sc_core::sc_time_to_pending_activity() <= target - sc_core::sc_time_stamp());
  if (event_before_target) {
    sc_core::sc_start(target - sc_core::sc_time_stamp(), sc_core::SC_EXIT_ON_STARVATION);
    if (sc_core::sc_get_status() != sc_core::SC_PAUSED || !sc_core::sc_pending_activity()) return;
  }
  if (sc_core::sc_time_stamp() < target) sc_core::sc_start(target - sc_core::sc_time_stamp());
}

}  // namespace

std::optional<Interruption> simulate(LazyClock& clock, const models::Cpu& cpu, Cycle end,
                                     const Watchdog& watchdog, ProgressLine& progress,
                                     const Pieces& pieces) {
  Cycle piece = pieces.fixed.value_or(Pieces::kFirstPiece);
  Cycle reached = clock.now();
  for (;;) {
    const Cycle target = piece == 0 || end - reached <= piece ? end : reached + piece;
    const auto start = std::chrono::steady_clock::now();
    run_piece(clock.period() * static_cast<double>(target));
    reached = clock.now();
    if (reached >= end || sc_core::sc_get_status() != sc_core::SC_PAUSED) return std::nullopt;
    if (!sc_core::sc_pending_activity())
      if (std::optional<std::string> stuck = cpu.stuck_harts())
        throw SimulationStuck("stuck at cycle " + std::to_string(reached) +
                              ": no event left before the end of the run (cycle " +
                              std::to_string(end) + ") and not every hart idle; " + *stuck);
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
