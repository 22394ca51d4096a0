#pragma once
// Run sinks register themselves, as personalities, drivers and launchers do: each sink's
// own .cpp defines a SinkRegistration at namespace scope with its name, its place in the
// run's list and a factory that reads the configuration and returns the sink, or nothing
// when the sink is off (an off sink is not built, so it costs nothing). The runner
// (run/runner.cpp) calls make_sinks() once per run and knows no sink by name.
//
// A new sink is its .h/.cpp plus one line in the irqlab_run_sinks_archive list of
// cosim/CMakeLists.txt: that archive is linked whole, so a registration nothing else
// references is kept.
//
// The place in the list (`order`, ascending) is the order of record() and of end(): a
// sink that reads another's figures at end() comes after it and finds it among the sinks
// built before it (SinkContext::built()). Orders in use: metrics 100, NIC 200, IPsec 300,
// results 400, waves' kernel probes 500, timeline 600, debug log 700.
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "net/esp_expectations.h"
#include "rtl/rtl_domain.h"
#include "run/run_sink.h"
#include "run/runner.h"

namespace irqlab::cosim {

// What a sink's factory may read: the configuration, the RTL (for sinks that drive or read
// it), the ESP expectations of the traffic source (null: no ESP traffic), and the sinks
// built before it.
struct SinkContext {
  const Scenario& scenario;
  const RunOptions& options;
  RtlDomain& rtl;
  models::net::EspExpectations* esp;
  const std::vector<std::unique_ptr<RunSink>>& earlier;

  // The earlier sink of type T, or null when it is off.
  template <class T>
  const T* built() const {
    for (const auto& sink : earlier)
      if (const auto* found = dynamic_cast<const T*>(sink.get())) return found;
    return nullptr;
  }
  // The earlier sink of type T, which must be on (a sink always on, as the metrics).
  template <class T>
  const T& required() const {
    if (const T* found = built<T>()) return *found;
    throw std::logic_error("a run sink needs a sink that is not built before it");
  }
};

// Returns the sink, or null when the configuration turns it off.
using SinkFactory = std::function<std::unique_ptr<RunSink>(const SinkContext&)>;

// Registers a sink when constructed: define one at namespace scope in the sink's own .cpp.
// Two registrations of one name terminate the program (a build error in practice).
struct SinkRegistration {
  SinkRegistration(std::string name, int order, SinkFactory factory);
};

// The run's sinks that are on, in ascending order. Simulation thread, before the run.
std::vector<std::unique_ptr<RunSink>> make_sinks(const Scenario& scenario,
                                                 const RunOptions& options, RtlDomain& rtl,
                                                 models::net::EspExpectations* esp);

// The registered sinks' names, in list order. Any context after static initialisation.
std::vector<std::string> sink_names();

}  // namespace irqlab::cosim
