#pragma once
// Kernel panics: what a real kernel asserts (KASSERT, panic()) ends the run.
//
// Kernel::panic() throws KernelPanic; its message names the CPU, the current LWP (id and
// name), the cycle, the reason and the last kPanicEvents trace events, which PanicLog
// keeps in a ring. The SystemC CPU model turns any exception from kernel code into a
// failed run (exit status 1, outputs flushed); the fake machine rethrows it from
// run_until(), so tests use EXPECT_THROW.
#include <array>
#include <cstddef>
#include <stdexcept>
#include <string>

#include "trace/trace.h"

namespace irqlab::kernel {

struct KernelPanic : std::runtime_error {
  using std::runtime_error::runtime_error;
};

inline constexpr std::size_t kPanicEvents = 16;

// The kernel's own trace sink: the last kPanicEvents events, for panic messages.
// Announcements name entities and levels say what a state is, not what happened; both are
// left out (levels change on most switches and would crowd the ring).
class PanicLog : public TraceSink {
 public:
  void record(const TraceEvent& event) override {
    if (is_announcement(event.kind) || is_level(event.kind)) return;
    ring_[next_ % ring_.size()] = event;
    ++next_;
  }
  // One line per event, oldest first.
  std::string recent() const;

 private:
  std::array<TraceEvent, kPanicEvents> ring_{};
  std::size_t next_ = 0;
};

}  // namespace irqlab::kernel
