// Run sinks register themselves (run/sink_registry.h): a sink defined and registered in
// this file only takes its place in the run's list, is built when its factory says it is
// on, and finds the sinks listed before it. Expected orders and on/off conditions are the
// ones run/sink_registry.h and each sink's header document.
#include "run/sink_registry.h"

#include <gtest/gtest.h>
#include <typeinfo>

#include "metrics/metrics_sink.h"
#include "results/results_sink.h"
#include "timeline/timeline_sink.h"
#include "waves/kernel_probes.h"

namespace irqlab::cosim {
namespace sink_registry_test {

// Counts events; on only when the scenario's seed is 77, so the other tests do not see it.
class EventCountSink : public RunSink {
 public:
  explicit EventCountSink(bool saw_results) : saw_results_(saw_results) {}
  void begin(const RunInfo&) override {}
  void record(const kernel::TraceEvent&) override { ++events_; }
  void end(RunSummary&) override {}
  bool saw_results() const { return saw_results_; }

 private:
  bool saw_results_;
  std::uint64_t events_ = 0;
};

const SinkRegistration kEventCountSink{
    "test: event count", 450, [](const SinkContext& c) -> std::unique_ptr<RunSink> {
      if (c.scenario.seed != 77) return nullptr;
      return std::make_unique<EventCountSink>(c.built<ResultsSink>() != nullptr);
    }};

const std::filesystem::path kDefault =
    std::filesystem::path(IRQLAB_SOURCE_DIR) / "scenarios/default.yaml";

std::vector<std::string> built_types(const std::vector<std::string>& overrides) {
  const Scenario s = load_scenario(kDefault, overrides);
  const RunOptions options;
  RtlDomain rtl(s.clock_period_ps, std::nullopt, s.skip_quiescent);
  std::vector<std::string> types;
  for (const auto& sink : make_sinks(s, options, rtl, nullptr)) {
    const RunSink& ref = *sink;
    if (typeid(ref) == typeid(MetricsSink))
      types.push_back("metrics");
    else if (typeid(ref) == typeid(ResultsSink))
      types.push_back("results");
    else if (typeid(ref) == typeid(KernelProbes))
      types.push_back("probes");
    else if (typeid(ref) == typeid(TimelineSink))
      types.push_back("timeline");
    else if (const auto* counter = dynamic_cast<const EventCountSink*>(&ref))
      types.push_back(counter->saw_results() ? "count after results" : "count alone");
    else
      types.push_back(typeid(ref).name());
  }
  return types;
}

TEST(SinkRegistry, ListsEveryRegisteredSinkInItsOrder) {
  EXPECT_EQ(sink_names(),
            (std::vector<std::string>{"metrics", "nic", "ipsec", "results", "test: event count",
                                      "waves' kernel probes", "timeline", "debug log"}));
}

TEST(SinkRegistry, BuildsTheSinksTheConfigurationTurnsOn) {
  // scenarios/default.yaml has no NIC or crypto engine; waves and the timeline are on by
  // default; the log level is info, so no debug log.
  EXPECT_EQ(built_types({}),
            (std::vector<std::string>{"metrics", "results", "probes", "timeline"}));
  EXPECT_EQ(built_types({"seed=77", "waves=false", "timeline=false"}),
            (std::vector<std::string>{"metrics", "results", "count after results"}));
}

}  // namespace sink_registry_test
}  // namespace irqlab::cosim
