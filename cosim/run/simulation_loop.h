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
#include <optional>
#include <string>

#include "sync/lazy_clock.h"

namespace irqlab::cosim {

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
// stopped early. Exceptions from the simulation propagate; after sc_stop (a failed hart)
// it returns at once. Main thread, once per process.
std::optional<Interruption> simulate(LazyClock& clock, Cycle end, const Watchdog& watchdog,
                                     ProgressLine& progress, const Pieces& pieces);

}  // namespace irqlab::cosim
