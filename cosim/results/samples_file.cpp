#include "results/samples_file.h"

#include <nlohmann/json.hpp>
#include <stdexcept>

namespace irqlab::cosim {

namespace {

constexpr const char* kSchema = "irqlab.samples/1";

}  // namespace

SamplesFile::SamplesFile(const std::filesystem::path& file, const Scenario& scenario) : out_(file) {
  const nlohmann::ordered_json header = {{"schema", kSchema}, {"scenario", scenario.name}, {"seed", scenario.seed}};
  out_ << header << '\n';
  if (!out_) throw std::runtime_error("cannot write " + file.string());
}

// Records hold only integers, so they are formatted by hand, with a fixed key order.
void SamplesFile::latency(const LatencySample& s) {
  out_ << R"({"kind":"latency","source":)" << s.source << R"(,"cpu":)" << s.cpu << R"(,"t0":)" << s.t0
       << R"(,"irq":)";
  if (s.irq)
    out_ << *s.irq;
  else
    out_ << "null";
  out_ << R"(,"t1":)" << s.t1 << R"(,"t2":)" << s.t2 << "}\n";
}

void SamplesFile::deferred(const DeferredSample& s) {
  out_ << R"({"kind":"deferred","source":)" << s.source << R"(,"t0":)" << s.t0 << R"(,"t3":)" << s.t3 << "}\n";
}

bool SamplesFile::close() {
  out_.close();
  return !out_.fail();
}

}  // namespace irqlab::cosim
