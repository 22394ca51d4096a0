#include "run/run_control.h"

#include <atomic>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <unistd.h>

namespace irqlab::cosim {

namespace {

std::atomic<int> g_received{0};
static_assert(std::atomic<int>::is_always_lock_free, "read and written from a signal handler");

struct sigaction g_previous_int;
struct sigaction g_previous_term;

// Signal handler: async-signal-safe calls only.
void on_interrupt(int signal) {
  int none = 0;
  if (g_received.compare_exchange_strong(none, signal)) return;
  // The second request: the default action now (terminate by this signal).
  std::signal(signal, SIG_DFL);
  std::raise(signal);
}

std::string mebibytes(std::uint64_t bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.4g MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
  return text;
}

}  // namespace

InterruptSignals::InterruptSignals() {
  g_received = 0;
  struct sigaction action {};
  action.sa_handler = on_interrupt;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;  // no SA_RESTART: a parent's sleep or wait returns to look at it
  sigaction(SIGINT, &action, &g_previous_int);
  sigaction(SIGTERM, &action, &g_previous_term);
}

InterruptSignals::~InterruptSignals() {
  sigaction(SIGINT, &g_previous_int, nullptr);
  sigaction(SIGTERM, &g_previous_term, nullptr);
}

int InterruptSignals::received() { return g_received.load(); }

std::string signal_name(int signal) {
  switch (signal) {
    case SIGINT:
      return "SIGINT";
    case SIGTERM:
      return "SIGTERM";
    case SIGKILL:
      return "SIGKILL";
    case SIGSEGV:
      return "SIGSEGV";
    case SIGABRT:
      return "SIGABRT";
    case SIGBUS:
      return "SIGBUS";
    case SIGHUP:
      return "SIGHUP";
    default:
      return "signal " + std::to_string(signal);
  }
}

std::uint64_t resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  std::uint64_t size_pages = 0;
  std::uint64_t resident_pages = 0;
  if (!(statm >> size_pages >> resident_pages)) return 0;
  return resident_pages * static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
}

Watchdog::Watchdog(RunLimits limits) : limits_(limits), start_(std::chrono::steady_clock::now()) {}

std::optional<std::string> Watchdog::expired() const {
  if (limits_.max_seconds) {
    const double host =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    if (host >= *limits_.max_seconds) {
      char text[96];
      std::snprintf(text, sizeof text, "--max-seconds %g (host time %.2f s)", *limits_.max_seconds,
                    host);
      return text;
    }
  }
  if (limits_.max_rss) {
    const std::uint64_t resident = resident_bytes();
    if (resident > *limits_.max_rss)
      return "--max-rss " + mebibytes(*limits_.max_rss) + " (resident " + mebibytes(resident) + ")";
  }
  return std::nullopt;
}

}  // namespace irqlab::cosim
