#pragma once
// A sink of the run's event stream (kernel/trace/trace.h) with a life cycle: the runner
// (run/runner.cpp) builds the list of sinks the scenario and command line turn on, in one
// place, attaches them to the run's Tracer, and calls
//   begin(info)      once, before the kernel is built and the RTL steps
//   record(event)    for every event, kernel and RTL, as it happens
//   end(summary)     once, after the simulation stopped and the waves are closed, in the
//                    order the sinks were listed; a sink whose output failed marks the
//                    summary failed, and later sinks see that.
// A sink that is off is not in the list: it costs nothing.
#include <filesystem>
#include <optional>
#include <string>

#include "kernel.h"
#include "scenario/scenario.h"

namespace irqlab::cosim {

struct RunInfo {
  const Scenario& scenario;
  std::filesystem::path out_dir;
  // The id the caller gave the run (`irqlab run --run-id`, hidden; a comparison's parent
  // gives each child a fresh one and checks it in the child's results.json); none when not
  // given. Written into results.json as "run_id" (null without one).
  std::optional<std::string> run_id;
};

// How a run ended: results.json's "status" is "ok" (ok), "failed" (!ok, !interrupted) or
// "interrupted" (!ok, interrupted). `error` says why when not ok.
struct RunSummary {
  bool ok = true;
  // Stopped early at a cycle boundary by a signal or a watchdog (run/run_control.h): the
  // outputs are complete up to `simulated_cycles`, the cycle reached.
  bool interrupted = false;
  std::optional<std::string> error;
  kernel::Cycle simulated_cycles = 0;
  // What the stream does not carry: per-lock times, deferred latency, ticks (and the
  // counters derived from the stream, trace/stream_counters.h, for convenience).
  kernel::KernelStats kernel;
  // The kernel's deadlock, when the run failed on one: its wait-for graph (sched/deadlock.h).
  std::optional<kernel::Deadlock> deadlock;
  // The first failure is the one reported; a failure after an interruption (an output
  // that could not be written) turns the run into a failed one, saying both.
  void fail(std::string reason) {
    if (interrupted) {
      interrupted = false;
      error = std::move(reason) + " (after the run was " + *error + ")";
      return;
    }
    if (!ok) return;
    ok = false;
    error = std::move(reason);
  }
  // `reason` completes "interrupted by ...": "SIGINT", "--max-seconds 10 (host time)".
  void interrupt(const std::string& reason) {
    if (!ok) return;
    ok = false;
    interrupted = true;
    error = "interrupted by " + reason;
  }
  const char* status_name() const { return ok ? "ok" : interrupted ? "interrupted" : "failed"; }
};

class RunSink : public kernel::TraceSink {
 public:
  virtual void begin(const RunInfo& info) = 0;
  virtual void end(RunSummary& summary) = 0;
};

}  // namespace irqlab::cosim
