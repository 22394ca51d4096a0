#include "run/sink_registry.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace irqlab::cosim {

namespace {

struct RegisteredSink {
  std::string name;
  int order;
  SinkFactory factory;
};

// Built on first use, so registrations from any translation unit's static initialisation
// find it constructed; kept sorted by order (then name, for a stable list).
std::vector<RegisteredSink>& registry() {
  static std::vector<RegisteredSink> sinks;
  return sinks;
}

}  // namespace

SinkRegistration::SinkRegistration(std::string name, int order, SinkFactory factory) {
  std::vector<RegisteredSink>& sinks = registry();
  if (std::any_of(sinks.begin(), sinks.end(),
                  [&](const RegisteredSink& s) { return s.name == name; })) {
    std::fprintf(stderr, "irqlab: two run sinks registered as '%s'\n", name.c_str());
    std::abort();
  }
  const auto at = std::find_if(sinks.begin(), sinks.end(), [&](const RegisteredSink& s) {
    return s.order > order || (s.order == order && s.name > name);
  });
  sinks.insert(at, {std::move(name), order, std::move(factory)});
}

std::vector<std::unique_ptr<RunSink>> make_sinks(const Scenario& scenario,
                                                 const RunOptions& options, RtlDomain& rtl,
                                                 models::net::EspExpectations* esp) {
  std::vector<std::unique_ptr<RunSink>> sinks;
  const SinkContext context{scenario, options, rtl, esp, sinks};
  for (const RegisteredSink& registered : registry())
    if (std::unique_ptr<RunSink> sink = registered.factory(context))
      sinks.push_back(std::move(sink));
  return sinks;
}

std::vector<std::string> sink_names() {
  std::vector<std::string> names;
  for (const RegisteredSink& s : registry()) names.push_back(s.name);
  return names;
}

}  // namespace irqlab::cosim
