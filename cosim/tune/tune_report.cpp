#include "tune/tune_report.h"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <numeric>

namespace irqlab::cosim::tune {

namespace {

using nlohmann::ordered_json;

ordered_json slack_json(std::int64_t slack) {
  return slack == kMissed ? ordered_json(nullptr) : ordered_json(slack);
}

// A parameter's value: a number or a list of harts, both valid JSON as written.
ordered_json values_json(const TuneSpec& spec, const Candidate& c) {
  ordered_json values = ordered_json::object();
  for (std::size_t i = 0; i < spec.space.size(); ++i)
    values[spec.space[i].key] = ordered_json::parse(spec.space[i].values[c[i]]);
  return values;
}

ordered_json measurement_json(const TuneSpec& spec, const Measurement& m, const Verdict& v) {
  ordered_json out;
  out["ran"] = m.ran;
  out["error"] = m.error.empty() ? ordered_json(nullptr) : ordered_json(m.error);
  ordered_json deadlines = ordered_json::array();
  for (std::size_t i = 0; i < spec.deadlines.size() && m.ran; ++i)
    deadlines.push_back(
        {{"metric", spec.deadlines[i].metric},
         {"max", spec.deadlines[i].max_cycles},
         {"measured", m.measured[i] ? ordered_json(*m.measured[i]) : ordered_json(nullptr)},
         {"slack", slack_json(v.slack[i])}});
  out["deadlines"] = deadlines;
  out["worst_slack"] = slack_json(v.worst_slack);
  out["binding"] =
      v.binding ? ordered_json(spec.deadlines[*v.binding].metric) : ordered_json(nullptr);
  out["drops"] = m.drops;
  out["cost"] = m.cost;
  out["feasible"] = v.feasible;
  return out;
}

}  // namespace

std::vector<std::size_t> ranking(const SearchOutcome& outcome) {
  std::vector<std::size_t> order(outcome.evaluated.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const Evaluated& x = outcome.evaluated[a];
    const Evaluated& y = outcome.evaluated[b];
    return ranks_before(x.verdict, x.measurement, x.index, y.verdict, y.measurement, y.index);
  });
  return order;
}

std::string binding_text(const TuneSpec& spec, const Evaluated& e) {
  if (!e.measurement.ran) return "the run failed: " + e.measurement.error;
  if (!e.verdict.binding)
    return e.measurement.drops > 0 ? std::to_string(e.measurement.drops) + " drops" : "none";
  const std::size_t b = *e.verdict.binding;
  const Deadline& d = spec.deadlines[b];
  const std::optional<std::uint64_t> measured = e.measurement.measured[b];
  return d.metric + " <= " + std::to_string(d.max_cycles) + " (measured " +
         (measured ? std::to_string(*measured) : std::string("nothing: no sample")) + ", slack " +
         slack_text(e.verdict.slack[b]) + ") at " + d.where;
}

std::string tune_json(const TuneSpec& spec, const SearchOutcome& outcome,
                      const TuneRunFacts& facts) {
  ordered_json out;
  out["schema"] = "irqlab.tune/1";
  out["scenario"] = facts.scenario.string();
  out["personality"] = spec.personality;
  out["method"] = outcome.method;
  out["space_size"] = facts.space_size;
  out["simulations"] = facts.simulations;
  out["budget_spent"] = outcome.budget_spent;
  out["wall_seconds"] = facts.wall_seconds;
  out["seeds"] = spec.seeds;
  if (!outcome.rungs.empty()) {
    ordered_json rungs = ordered_json::array();
    for (const Rung& r : outcome.rungs)
      rungs.push_back(
          {{"candidates", r.candidates}, {"seeds", r.seeds}, {"simulations", r.simulations}});
    out["rungs"] = rungs;
  }
  ordered_json deadlines = ordered_json::array();
  for (const Deadline& d : spec.deadlines)
    deadlines.push_back({{"metric", d.metric}, {"max", d.max_cycles}, {"where", d.where}});
  out["deadlines"] = deadlines;
  out["no_drops"] = spec.no_drops;
  ordered_json parameters = ordered_json::array();
  for (const Parameter& p : spec.space) {
    ordered_json values = ordered_json::array();
    for (const std::string& v : p.values) values.push_back(ordered_json::parse(v));
    parameters.push_back({{"key", p.key}, {"values", values}});
  }
  out["parameters"] = parameters;
  const std::vector<std::size_t> order = ranking(outcome);
  std::vector<std::size_t> rank_of(order.size());
  for (std::size_t r = 0; r < order.size(); ++r) rank_of[order[r]] = r + 1;
  ordered_json candidates = ordered_json::array();
  for (std::size_t i = 0; i < outcome.evaluated.size(); ++i) {
    const Evaluated& e = outcome.evaluated[i];
    ordered_json c;
    c["index"] = e.index;
    c["case"] = facts.case_id(e.index);
    c["rank"] = rank_of[i];
    c["values"] = values_json(spec, e.candidate);
    c["seeds"] = e.per_seed.size();
    c.update(measurement_json(spec, e.measurement, e.verdict));
    candidates.push_back(c);
  }
  out["candidates"] = candidates;
  const Evaluated& best = outcome.evaluated[outcome.best];
  ordered_json winner;
  winner["index"] = best.index;
  winner["values"] = values_json(spec, best.candidate);
  winner["feasible"] = best.verdict.feasible;
  winner["worst_slack"] = slack_json(best.verdict.worst_slack);
  winner["binding"] = binding_text(spec, best);
  winner["rerun"] = measurement_json(spec, facts.rerun, judge(facts.rerun, spec));
  winner["verified"] = facts.verified;
  out["winner"] = winner;
  out["feasible"] = best.verdict.feasible;
  return out.dump(2) + "\n";
}

std::string ranked_table(const TuneSpec& spec, const SearchOutcome& outcome, std::size_t rows) {
  const std::vector<std::size_t> order = ranking(outcome);
  std::string out;
  char line[256];
  std::snprintf(line, sizeof line, "%4s  %5s  %8s  %11s  %6s  %6s  %s\n", "rank", "cand",
                "feasible", "worst slack", "drops", "cost", "configuration");
  out += line;
  for (std::size_t r = 0; r < order.size() && r < rows; ++r) {
    const Evaluated& e = outcome.evaluated[order[r]];
    std::snprintf(line, sizeof line, "%4zu  %5zu  %8s  %11s  %6llu  %6llu  ", r + 1, e.index,
                  e.verdict.feasible ? "yes" : "no", slack_text(e.verdict.worst_slack).c_str(),
                  static_cast<unsigned long long>(e.measurement.drops),
                  static_cast<unsigned long long>(e.measurement.cost));
    out += line + describe(spec, e.candidate) + "\n";
  }
  if (order.size() > rows)
    out += "  (" + std::to_string(order.size() - rows) + " more in tune.json)\n";
  for (std::size_t r = 0; r < outcome.rungs.size(); ++r) {
    const Rung& rung = outcome.rungs[r];
    std::snprintf(line, sizeof line, "rung %zu: %llu candidates on %llu seeds, %llu simulations\n",
                  r, static_cast<unsigned long long>(rung.candidates),
                  static_cast<unsigned long long>(rung.seeds),
                  static_cast<unsigned long long>(rung.simulations));
    out += line;
  }
  return out;
}

}  // namespace irqlab::cosim::tune
