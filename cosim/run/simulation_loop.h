#pragma once
// The simulation of one run, in bounded pieces: sc_start up to a cycle, then look at the
// signals and watchdogs (run/run_control.h) and redraw the progress line, then the next
// piece, until the end of the run or a reason to stop. The run thus stops at a cycle
// boundary, the end of a piece, and takes the normal end path from there.
//
// Pieces change no result: SystemC pauses between two time steps and no process of the
// model knows; a test compares runs made in pieces of a few hundred cycles with runs made
// in one piece, byte for byte. The RTL stepper's lookahead (sync/lazy_clock.h) is left
// alone: a piece's end does not cut it (doing so wakes the stepper at another point of the
// SystemC schedule, which changed which hart claimed a request first), so the RTL may be
// ahead of the piece's end by the lookahead, and an interrupted run's simulated_cycles
// counts it. A piece's length adapts to host time, about kPieceSeconds each, so a signal
// is answered within about that (or when a lookahead stretch of the RTL ends), and a fast
// run (quiescent stretches skipped) makes few pieces.
//
// A run that SystemC has no event left for before its end is looked at, not run to the
// end blindly: each piece runs with SC_EXIT_ON_STARVATION, which leaves SystemC at the
// time of the last event. If every hart is idle in WFI (models/cpu: Cpu::stuck_harts), the
// RTL stepper has already run the RTL to the end with every line low, and the rest of the
// run is time passing: the pieces go on as before, and the outputs are those of a run
// that never looked. Otherwise some hart waits for a context or an access that nothing
// will ever resume (a kernel bug): the run stops there and fails (SimulationStuck), at
// the cycle of its last event, naming what each hart does.
#include <optional>
#include <stdexcept>
#include <string>

#include "sync/lazy_clock.h"

namespace irqlab::models {
class Cpu;
}

namespace irqlab::cosim {

// The run cannot go on: SystemC has no event left and a hart is not idle. what() names
// the cycle and each hart's state; the run fails with it like with any other error.
class SimulationStuck : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class ProgressLine;
class Watchdog;

struct Interruption {
  std::string reason;  // completes "interrupted by ...": "SIGINT", "--max-seconds 2 (...)"
  int exit_status;     // the process's exit status for it
};

struct Pieces {
  static constexpr double kPieceSeconds = 0.05;
  static constexpr Cycle kFirstPiece = 16384;
  static constexpr Cycle kShortestPiece = 1024;
  // A fixed length in cycles instead of the adaptive one; 0: the whole run in one piece,
  // with no look at signals or watchdogs (irqlab run's hidden --piece-cycles, for tests).
  std::optional<Cycle> fixed;
};

// Runs the simulation from its current cycle to `end` unless told to stop; returns why it
// stopped early. Exceptions from the simulation propagate, and SimulationStuck is thrown
// when `cpu`'s harts are stuck (above); after sc_stop (a failed hart) it returns at once.
// Main thread, once per process.
std::optional<Interruption> simulate(LazyClock& clock, const models::Cpu& cpu, Cycle end,
                                     const Watchdog& watchdog, ProgressLine& progress,
                                     const Pieces& pieces);

}  // namespace irqlab::cosim
