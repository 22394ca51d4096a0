#include "rtl/rtl_assertions.h"

#include <cstdarg>
#include <cstdio>

#include "rtl/verilated_print.h"
#include "verilated.h"

namespace irqlab::cosim {

namespace {

std::string last_line;  // the last complete line the model printed
std::string partial;    // what it printed since its last newline
std::optional<RtlAssertionReport> stopped;

// The report without its "[<time>] %Error: " prefix, which names simulated time in ps.
std::string without_prefix(const std::string& line) {
  const std::string marker = "%Error: ";
  const std::size_t at = line.find(marker);
  std::string text = at == std::string::npos ? line : line.substr(at + marker.size());
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

}  // namespace

std::optional<RtlAssertionReport> take_rtl_assertion() {
  std::optional<RtlAssertionReport> report = std::move(stopped);
  stopped.reset();
  return report;
}

}  // namespace irqlab::cosim

// Called by the model and Verilator's runtime (VL_PRINTF) on the simulation thread.
int irqlab_verilated_printf(const char* format, ...) {
  std::va_list args;
  va_start(args, format);
  std::va_list copy;
  va_copy(copy, args);
  const int length = std::vsnprintf(nullptr, 0, format, copy);
  va_end(copy);
  std::string text(length > 0 ? static_cast<std::size_t>(length) : 0, '\0');
  if (length > 0) std::vsnprintf(text.data(), text.size() + 1, format, args);
  va_end(args);
  std::fputs(text.c_str(), stdout);
  using namespace irqlab::cosim;
  for (const char c : text) {
    partial += c;
    if (c == '\n') {
      last_line = std::move(partial);
      partial.clear();
    }
  }
  return length;
}

// Replaces Verilator's vl_stop() (VL_USER_STOP): called for a failing assertion or a
// $stop, right after the model printed its report. Keeps the report and lets the model
// return; RtlDomain stops the run.
void vl_stop(const char* filename, int linenum, const char* /*hier*/) {
  using namespace irqlab::cosim;
  Verilated::threadContextp()->gotError(true);
  Verilated::threadContextp()->gotFinish(true);
  if (!stopped)
    stopped = RtlAssertionReport{without_prefix(last_line), filename ? filename : "", linenum};
}
