#pragma once
// The live summary of a regression on stderr. On a terminal, one line rewritten in place
// ("regress  7/12  5 passed  2 failed  2 running  3 queued  41 s"), with a line above it
// for each failed case as it ends. Off a terminal (CI logs), a plain line per ended case
// ("[7/12] FAILED idle/bsd43 (1.3 s): failed: ..."), nothing rewritten.
//
// Main thread: told of each ended case from the engine's progress sink.
#include <chrono>
#include <cstddef>
#include <optional>

#include "regress/engine.h"

namespace irqlab::cosim::regress {

class ProgressDisplay {
 public:
  // `parallel`: how many cases run at once (local -j), or nothing when the launcher decides
  // (then running and queued cases are counted together).
  ProgressDisplay(std::size_t total, std::optional<std::size_t> parallel, bool terminal);
  ~ProgressDisplay();  // removes the live line
  ProgressDisplay(const ProgressDisplay&) = delete;
  ProgressDisplay& operator=(const ProgressDisplay&) = delete;

  void started();  // before the first case ends
  void ended(const CaseResult& result, const Progress& so_far);
  void clear();

 private:
  void draw(const Progress& so_far);

  std::size_t total_;
  std::optional<std::size_t> parallel_;
  bool terminal_;
  std::chrono::steady_clock::time_point start_;
  bool shown_ = false;
};

}  // namespace irqlab::cosim::regress
