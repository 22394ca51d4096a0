#include "results/samples_file.h"

#include <nlohmann/json.hpp>
#include <stdexcept>

namespace irqlab::cosim {

namespace {

constexpr const char* kSamplesSchema = "irqlab.samples/2";

}  // namespace

SamplesFile::SamplesFile(const std::filesystem::path& file, const Scenario& scenario) : out_(file) {
  const nlohmann::ordered_json header = {
      {"schema", kSamplesSchema}, {"scenario", scenario.name}, {"seed", scenario.seed}};
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
  out_ << R"(,"t1":)" << s.t1 << R"(,"t2":)" << s.t2 << R"(,"in_running_trap":)"
       << (s.claimed_in_running_trap ? "true" : "false");
  // T3, T4 and T5 only where they exist.
  if (s.t3) out_ << R"(,"t3":)" << *s.t3;
  if (s.t4) out_ << R"(,"t4":)" << *s.t4;
  if (s.t5) out_ << R"(,"t5":)" << *s.t5;
  out_ << "}\n";
}

void SamplesFile::deferred(const DeferredSample& s) {
  out_ << R"({"kind":"deferred","source":)" << s.source << R"(,"t0":)" << s.t0 << R"(,"t3":)" << s.t3 << "}\n";
}

bool SamplesFile::close() {
  out_.close();
  return !out_.fail();
}

}  // namespace irqlab::cosim
