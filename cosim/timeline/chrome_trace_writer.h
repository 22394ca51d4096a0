#pragma once
// Writes the Chrome JSON trace format (the "JSON Object Format" that ui.perfetto.dev and
// chrome://tracing open) event by event onto a stream, so a trace of any length costs
// flat memory: `{"displayTimeUnit":"ns","traceEvents":[` ... `]}`.
//
// Time: callers give cycles; `ts` is written in microseconds at the run's clock (cycle ×
// period in ps / 10^6), as an exact decimal (no floating-point rounding), and every
// event keeps its cycle in args.cycle. Processes (pid) and threads (tid) are positive
// integers chosen by the caller; a tid must be unique across processes (Perfetto keys a
// thread by its tid). Slices are B/E pairs written in time order per thread, which the
// caller guarantees; nesting is the caller's concern too.
//
// Names: metadata names are escaped here; event names are passed already quoted (a JSON
// string literal made once by quoted(), which escapes quotes, backslashes and control
// characters and replaces invalid UTF-8), since the same few names recur millions of
// times. Called from the simulation thread only.
#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>

namespace irqlab::cosim {

class ChromeTraceWriter {
 public:
  using Cycle = std::uint64_t;
  // Writes the header; `clock_period_ps` converts cycles to microseconds.
  ChromeTraceWriter(std::ostream& out, std::uint64_t clock_period_ps);

  // Metadata: the names shown for a process and a thread, and their order in the UI.
  void process_name(unsigned pid, std::string_view name, int sort_index);
  void thread_name(unsigned pid, unsigned tid, std::string_view name, int sort_index);

  // `name` below is a quoted() literal.
  // A slice opens (B) and closes (E) on thread (pid, tid). `args` is a JSON object's
  // members without braces (`"source":12`), written as given; may be empty.
  void begin(unsigned pid, unsigned tid, Cycle cycle, std::string_view name,
             std::string_view args = {});
  void end(unsigned pid, unsigned tid, Cycle cycle);
  // An instant event (ph i, thread scope).
  void instant(unsigned pid, unsigned tid, Cycle cycle, std::string_view name,
               std::string_view args = {});
  // A counter sample (ph C): the process's counter track `name` takes `value`.
  void counter(unsigned pid, Cycle cycle, std::string_view name, std::uint64_t value);
  // Flow (v1): `start` binds to the slice enclosing `cycle` on its thread; `finish` binds
  // to the next slice that begins on its thread at or after `cycle`.
  void flow_start(unsigned pid, unsigned tid, Cycle cycle, std::string_view name, std::uint64_t id);
  void flow_finish(unsigned pid, unsigned tid, Cycle cycle, std::string_view name,
                   std::uint64_t id);

  // Writes the closing brackets; nothing may be written after it.
  void close();

  // `text` as a JSON string literal, quotes included.
  static std::string quoted(std::string_view text);

 private:
  void open_event(char phase, unsigned pid, Cycle cycle);
  void write_ts(Cycle cycle);

  std::ostream& out_;
  std::uint64_t clock_period_ps_;
  bool first_ = true;
};

}  // namespace irqlab::cosim
