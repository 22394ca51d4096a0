#pragma once
// What the end-to-end tests share: the documented constants, scenario text, and running
// the irqlab binary on a scenario and reading back its results and waves.
#include <yaml-cpp/yaml.h>

#include <stdexcept>
#include <string>

#include "irqlab_process.h"
#include "samples_reader.h"
#include "vcd_reader.h"

namespace irqlab::test {

inline const std::string kCostProfile = std::string(IRQLAB_SOURCE_DIR) + "/scenarios/costs/default.yaml";
constexpr std::uint64_t kPeriodPs = 10000;
inline const std::string kTop = "TOP.irqlab_cosim_top.";

// Documented constants (docs/rtl.md, docs/architecture.md): a source line high in cycle c
// raises the PLIC's irq output in cycle c+2; a register access holds the TL-UL port
// for 2 cycles; the scenario below sets 1 interconnect cycle each way.
constexpr std::uint64_t kPlicCycles = 2;
constexpr std::uint64_t kHandshakeCycles = 2;
constexpr std::uint64_t kRequestCycles = 1;
constexpr std::uint64_t kResponseCycles = 1;

inline std::uint64_t cost(const std::string& name) { return YAML::LoadFile(kCostProfile)[name].as<std::uint64_t>(); }

inline std::string scenario(const std::string& sources, unsigned harts = 2, std::uint64_t cycles = 20000) {
  return "name: e2e\nseed: 7\nduration_cycles: " + std::to_string(cycles) +
         "\nplatform:\n  harts: " + std::to_string(harts) +
         "\n  clock_period_ps: 10000\n  bus: { request_cycles: 1, response_cycles: 1 }\n"
         "kernel:\n  cost_profile: " + kCostProfile + "\n  tick_period: 0\nsources:\n" + sources;
}

struct RunOutput {
  std::filesystem::path dir;
  ProcessResult process;
  nlohmann::json results;
  Samples samples;
};

inline RunOutput run_scenario(const std::string& name, const std::string& yaml, const std::string& extra = "") {
  RunOutput r;
  r.dir = scratch_dir(name);
  write_text(r.dir / "scenario.yaml", yaml);
  r.process = run_irqlab("run " + (r.dir / "scenario.yaml").string() + " --out " + (r.dir / "out").string() + " " + extra);
  if (std::filesystem::exists(r.dir / "out/results.json"))
    r.results = read_results(r.dir / "out/results.json");
  if (std::filesystem::exists(r.dir / "out/samples.jsonl")) r.samples = read_samples(r.dir / "out/samples.jsonl");
  return r;
}

inline const nlohmann::json& source_entry(const nlohmann::json& results, unsigned source) {
  for (const auto& s : results["sources"])
    if (s["source"] == source) return s;
  throw std::runtime_error("no source " + std::to_string(source) + " in results");
}

inline std::string vcd_of(const std::filesystem::path& fst) {
  const ProcessResult p = [&] {
    ProcessResult r;
    FILE* pipe = popen((std::string(FST2VCD_BINARY) + " " + fst.string() + " 2>/dev/null").c_str(), "r");
    std::array<char, 65536> buf{};
    std::size_t n = 0;
    while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) r.output.append(buf.data(), n);
    r.exit_status = pclose(pipe);
    return r;
  }();
  return p.output;
}

inline std::string strip_date(const std::string& vcd) {
  const auto begin = vcd.find("$date");
  if (begin == std::string::npos) return vcd;
  const auto end = vcd.find("$end", begin);
  return vcd.substr(0, begin) + vcd.substr(end + 4);
}

}  // namespace irqlab::test
