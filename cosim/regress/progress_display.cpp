#include "regress/progress_display.h"

#include <algorithm>
#include <cstdio>
#include <string>

namespace irqlab::cosim::regress {

ProgressDisplay::ProgressDisplay(std::size_t total, std::optional<std::size_t> parallel,
                                 bool terminal)
    : total_(total),
      parallel_(parallel),
      terminal_(terminal),
      start_(std::chrono::steady_clock::now()) {}

ProgressDisplay::~ProgressDisplay() { clear(); }

void ProgressDisplay::started() { draw({total_, 0, 0}); }

void ProgressDisplay::ended(const CaseResult& result, const Progress& so_far) {
  std::string wall;
  if (result.wall_seconds) {
    char text[32];
    std::snprintf(text, sizeof text, " (%.1f s)", *result.wall_seconds);
    wall = text;
  }
  if (!terminal_) {
    std::fprintf(stderr, "[%zu/%zu] %s %s%s%s%s\n", so_far.ended(), so_far.total,
                 result.passed ? "passed" : "FAILED", result.end.id.c_str(), wall.c_str(),
                 result.passed ? "" : ": ", result.reason.c_str());
    std::fflush(stderr);
    return;
  }
  if (!result.passed) {
    clear();
    std::fprintf(stderr, "FAILED %s%s: %s\n", result.end.id.c_str(), wall.c_str(),
                 result.reason.c_str());
  }
  draw(so_far);
}

void ProgressDisplay::draw(const Progress& so_far) {
  if (!terminal_) return;
  const std::size_t remaining = so_far.total - std::min(so_far.total, so_far.ended());
  std::string waiting;
  if (parallel_) {
    const std::size_t running = std::min(*parallel_, remaining);
    waiting =
        std::to_string(running) + " running  " + std::to_string(remaining - running) + " queued";
  } else {
    waiting = std::to_string(remaining) + " running or queued";
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  std::fprintf(stderr, "\r\033[Kregress  %zu/%zu  %zu passed  %zu failed  %s  %.0f s",
               so_far.ended(), so_far.total, so_far.passed, so_far.failed, waiting.c_str(),
               seconds);
  std::fflush(stderr);
  shown_ = true;
}

void ProgressDisplay::clear() {
  if (!shown_) return;
  std::fprintf(stderr, "\r\033[K");
  std::fflush(stderr);
  shown_ = false;
}

}  // namespace irqlab::cosim::regress
