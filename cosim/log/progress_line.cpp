#include "log/progress_line.h"

#include <cstdio>
#include <unistd.h>

namespace irqlab::cosim {

namespace {

std::string duration_text(double seconds) {
  char text[32];
  const auto s = static_cast<unsigned long long>(seconds + 0.5);
  if (s < 60) {
    std::snprintf(text, sizeof text, "%llu s", s);
  } else if (s < 3600) {
    std::snprintf(text, sizeof text, "%llu min %02llu s", s / 60, s % 60);
  } else {
    std::snprintf(text, sizeof text, "%llu h %02llu min", s / 3600, s / 60 % 60);
  }
  return text;
}

}  // namespace

std::string short_count(double n) {
  static constexpr const char* kUnits[] = {"", " k", " M", " G", " T"};
  std::size_t unit = 0;
  while (n >= 999.5 && unit + 1 < std::size(kUnits)) {
    n /= 1000.0;
    ++unit;
  }
  char text[32];
  std::snprintf(text, sizeof text, unit == 0 ? "%.0f%s" : "%.3g%s", n, kUnits[unit]);
  return text;
}

bool ProgressLine::stderr_is_terminal() { return ::isatty(STDERR_FILENO) == 1; }

ProgressLine::ProgressLine(std::string label, kernel::Cycle total, bool enabled)
    : label_(std::move(label)), total_(total), enabled_(enabled), start_(Clock::now()) {}

ProgressLine::~ProgressLine() { clear(); }

void ProgressLine::update(kernel::Cycle reached) {
  if (!enabled_) return;
  const Clock::time_point now = Clock::now();
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  if (elapsed < kQuietSeconds) return;
  if (shown_width_ != 0 &&
      std::chrono::duration<double>(now - last_drawn_).count() < kRedrawSeconds)
    return;
  last_drawn_ = now;
  const double rate = static_cast<double>(reached) / elapsed;
  const double percent =
      total_ == 0 ? 100.0 : 100.0 * static_cast<double>(reached) / static_cast<double>(total_);
  std::string line = label_ + "  " + short_count(static_cast<double>(reached)) + " / " +
                     short_count(static_cast<double>(total_)) + " cycles  ";
  char figures[96];
  std::snprintf(figures, sizeof figures, "%.0f%%  ", percent);
  line += figures;
  line += short_count(rate) + " cycles/s";
  if (rate > 0 && reached < total_)
    line += "  ETA " + duration_text(static_cast<double>(total_ - reached) / rate);
  // Overwrite the previous line; spaces cover what a longer one left.
  const std::size_t width = line.size();
  if (width < shown_width_) line.append(shown_width_ - width, ' ');
  std::fprintf(stderr, "\r%s", line.c_str());
  std::fflush(stderr);
  shown_width_ = width;
}

void ProgressLine::clear() {
  if (shown_width_ == 0) return;
  std::fprintf(stderr, "\r%s\r", std::string(shown_width_, ' ').c_str());
  std::fflush(stderr);
  shown_width_ = 0;
}

}  // namespace irqlab::cosim
