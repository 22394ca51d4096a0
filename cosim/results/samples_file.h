#pragma once
// samples.jsonl (docs/results-schema.md): every latency and deferred-work sample of a
// run, one JSON object a line after a header line, written as the samples happen.
#include <filesystem>
#include <fstream>

#include "metrics/sample_sink.h"
#include "scenario/scenario.h"

namespace irqlab::cosim {

inline constexpr const char* kSamplesFileName = "samples.jsonl";

class SamplesFile : public SampleSink {
 public:
  // Creates `file` and writes the header line; throws when it cannot. Records go
  // through the stream's buffer; destroying the object (on any way out of a run)
  // flushes and closes the file, so every line in it is complete.
  SamplesFile(const std::filesystem::path& file, const Scenario& scenario);

  void latency(const LatencySample& sample) override;
  void deferred(const DeferredSample& sample) override;

  // Flushes and closes; false when any write failed.
  bool close();

 private:
  std::ofstream out_;
};

}  // namespace irqlab::cosim
