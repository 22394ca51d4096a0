#pragma once
// Reads a run's samples.jsonl (docs/results-schema.md): a header line, then one record
// a line. Throws if any line is not a complete JSON object.
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

namespace irqlab::test {

struct Samples {
  nlohmann::json header;
  std::vector<nlohmann::json> records;  // in file order

  // The records of one kind ("latency" or "deferred") for one source, in file order.
  std::vector<nlohmann::json> of(const std::string& kind, unsigned source) const {
    std::vector<nlohmann::json> out;
    for (const nlohmann::json& r : records)
      if (r["kind"] == kind && r["source"] == source) out.push_back(r);
    return out;
  }
};

inline Samples read_samples(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error("cannot open " + file.string());
  Samples samples;
  std::string line;
  for (bool first = true; std::getline(in, line); first = false) {
    nlohmann::json object = nlohmann::json::parse(line);
    if (!object.is_object()) throw std::runtime_error(file.string() + ": a line is not an object: " + line);
    if (first)
      samples.header = std::move(object);
    else
      samples.records.push_back(std::move(object));
  }
  if (samples.header.is_null()) throw std::runtime_error(file.string() + " is empty");
  return samples;
}

}  // namespace irqlab::test
