#include "tune/rtl_report.h"

#include <cstdio>

namespace irqlab::cosim::tune {

namespace {

using nlohmann::ordered_json;

// The best evaluated candidate of each variant (the objective's order).
std::vector<const Evaluated*> best_per_variant(const SearchOutcome& outcome,
                                               const std::vector<std::size_t>& variant_of,
                                               std::size_t variants) {
  std::vector<const Evaluated*> best(variants, nullptr);
  for (std::size_t i = 0; i < outcome.evaluated.size(); ++i) {
    const Evaluated& e = outcome.evaluated[i];
    const Evaluated*& b = best[variant_of[i]];
    if (!b || ranks_before(e.verdict, e.measurement, e.index, b->verdict, b->measurement, b->index))
      b = &e;
  }
  return best;
}

ordered_json params_json(const RtlConfiguration& c) {
  ordered_json params = ordered_json::object();
  for (const auto& [name, value] : c) params[std::string(kRtlKeyPrefix) + name] = value;
  return params;
}

ordered_json variant_json(const RtlVariant& v) {
  return {{"params", params_json(v.configuration)},
          {"hash", v.hash},
          {"area", v.area},
          {"area_bits", area_bits(v)},
          {"depth", v.depth}};
}

// Feasible before infeasible, then the larger worst slack.
int compare_quality(const Evaluated& a, const Evaluated& b) {
  if (a.verdict.feasible != b.verdict.feasible) return a.verdict.feasible ? 1 : -1;
  if (a.verdict.worst_slack != b.verdict.worst_slack)
    return a.verdict.worst_slack > b.verdict.worst_slack ? 1 : -1;
  return 0;
}

}  // namespace

std::uint64_t area_bits(const RtlVariant& v) {
  return v.area.value("flop_bits", std::uint64_t{0}) +
         v.area.value("memory_bits", std::uint64_t{0});
}

std::vector<bool> pareto_optimal(const std::vector<RtlVariant>& variants,
                                 const std::vector<const Evaluated*>& best) {
  std::vector<bool> optimal(variants.size(), true);
  for (std::size_t a = 0; a < variants.size(); ++a)
    for (std::size_t b = 0; b < variants.size() && optimal[a]; ++b) {
      if (a == b || !best[a] || !best[b]) continue;
      const int quality = compare_quality(*best[b], *best[a]);
      const bool no_worse = area_bits(variants[b]) <= area_bits(variants[a]) &&
                            variants[b].depth <= variants[a].depth && quality >= 0;
      const bool better = area_bits(variants[b]) < area_bits(variants[a]) ||
                          variants[b].depth < variants[a].depth || quality > 0;
      if (no_worse && better) optimal[a] = false;
    }
  return optimal;
}

std::string with_rtl(const std::string& tune_json, const SearchOutcome& outcome,
                     const std::vector<std::size_t>& variant_of,
                     const std::vector<RtlVariant>& variants, const std::string& cache_dir) {
  ordered_json doc = ordered_json::parse(tune_json);
  ordered_json& candidates = doc["candidates"];
  for (std::size_t i = 0; i < candidates.size(); ++i)
    candidates[i]["rtl"] = variant_json(variants[variant_of[i]]);
  doc["winner"]["rtl"] = variant_json(variants[variant_of[outcome.best]]);
  const std::vector<const Evaluated*> best = best_per_variant(outcome, variant_of, variants.size());
  const std::vector<bool> optimal = pareto_optimal(variants, best);
  ordered_json configurations = ordered_json::array();
  for (std::size_t k = 0; k < variants.size(); ++k) {
    ordered_json c = variant_json(variants[k]);
    c["binary"] = variants[k].binary.string();
    c["built_now"] = variants[k].built_now;
    c["build_seconds"] = variants[k].build_seconds;
    c["yosys_seconds"] = variants[k].yosys_seconds;
    c["best_candidate"] = best[k] ? ordered_json(best[k]->index) : ordered_json(nullptr);
    c["pareto_optimal"] = static_cast<bool>(optimal[k]);
    configurations.push_back(c);
  }
  doc["rtl"] = {{"cache", cache_dir}, {"configurations", configurations}};
  return doc.dump(2) + "\n";
}

std::string pareto_table(const SearchOutcome& outcome, const std::vector<std::size_t>& variant_of,
                         const std::vector<RtlVariant>& variants) {
  const std::vector<const Evaluated*> best = best_per_variant(outcome, variant_of, variants.size());
  const std::vector<bool> optimal = pareto_optimal(variants, best);
  std::string out =
      "RTL configurations (area: Yosys cells and flop+memory bits of the PLIC, NIC and bus; "
      "depth: longest path in cells):\n";
  char line[256];
  std::snprintf(line, sizeof line, "%6s  %9s  %5s  %5s  %8s  %11s  %6s  %s\n", "cells", "bits",
                "depth", "best", "feasible", "worst slack", "pareto", "configuration");
  out += line;
  for (std::size_t k = 0; k < variants.size(); ++k) {
    const RtlVariant& v = variants[k];
    std::snprintf(line, sizeof line, "%6llu  %9llu  %5llu  %5s  %8s  %11s  %6s  ",
                  static_cast<unsigned long long>(v.area.value("cells", std::uint64_t{0})),
                  static_cast<unsigned long long>(area_bits(v)),
                  static_cast<unsigned long long>(v.depth),
                  best[k] ? std::to_string(best[k]->index).c_str() : "-",
                  best[k] && best[k]->verdict.feasible ? "yes" : "no",
                  best[k] ? slack_text(best[k]->verdict.worst_slack).c_str() : "-",
                  optimal[k] ? "yes" : "no");
    out += line + describe_configuration(v.configuration) + "\n";
  }
  return out;
}

}  // namespace irqlab::cosim::tune
