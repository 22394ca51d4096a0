#include "tune/search.h"

#include <algorithm>
#include <map>
#include <set>

#include "scenario/scenario.h"

namespace irqlab::cosim::tune {

namespace {

// The source a priority parameter sets ("" for the timer sources: no deadline names them
// as one source) and the sources a deadline concerns.
std::string priority_source(const Parameter& p, const Scenario& s) {
  if (p.source_index) return s.sources[*p.source_index].name;
  if (p.key == "nic.priority") return "nic";
  if (p.key == "crypto.priority") return "crypto";
  return "";
}

bool concerns(const Deadline& d, const std::string& source) {
  if (source.empty()) return false;
  if (d.metric.compare(0, 16, "ipsec.end_to_end") == 0)
    return source == "nic" || source == "crypto";
  if (d.metric.compare(0, 11, "nic.latency") == 0) return source == "nic";
  const std::string prefix = "sources." + source + ".";
  return d.metric.compare(0, prefix.size(), prefix) == 0 &&
         d.metric.find('.', prefix.size()) == d.metric.rfind('.');
}

// Runs the evaluated candidates at `positions` on seed offsets [from, to) and judges each
// on its worst seed so far.
void run_seeds(const TuneSpec& spec, const EvaluateBatch& evaluate,
               const std::vector<std::size_t>& positions, std::uint64_t from, std::uint64_t to,
               SearchOutcome& out) {
  std::vector<Trial> batch;
  for (const std::size_t p : positions)
    for (std::uint64_t seed = from; seed < to; ++seed)
      batch.push_back({out.evaluated[p].index, out.evaluated[p].candidate, seed});
  if (batch.empty()) return;
  const std::vector<Measurement> measured = evaluate(batch);
  out.simulations += batch.size();
  for (std::size_t i = 0; i < batch.size(); ++i) {
    Evaluated& e = out.evaluated[positions[i / (to - from)]];
    e.per_seed.push_back(measured[i]);
    e.measurement = worst_of(e.per_seed);
    e.verdict = judge(e.measurement, spec);
  }
}

// Adds `batch` as new candidates and runs each on every seed of the spec.
void evaluate_batch(const TuneSpec& spec, const EvaluateBatch& evaluate,
                    const std::vector<Candidate>& batch, SearchOutcome& out) {
  std::vector<std::size_t> positions;
  for (const Candidate& c : batch) {
    positions.push_back(out.evaluated.size());
    out.evaluated.push_back({out.evaluated.size(), c, {}, {}, {}});
  }
  run_seeds(spec, evaluate, positions, 0, spec.seeds, out);
}

// Every candidate of the space, in mixed-radix order (the first parameter slowest).
std::vector<Candidate> whole_space(const TuneSpec& spec) {
  std::vector<Candidate> all{Candidate(spec.space.size(), 0)};
  for (;;) {
    Candidate next = all.back();
    std::size_t i = spec.space.size();
    while (i > 0 && ++next[i - 1] == spec.space[i - 1].values.size()) next[--i] = 0;
    if (i == 0) return all;
    all.push_back(std::move(next));
  }
}

bool ranks_first(const Evaluated& a, const Evaluated& b) {
  return ranks_before(a.verdict, a.measurement, a.index, b.verdict, b.measurement, b.index);
}

// halving.h's method: rung 0 every candidate on seed offset 0, then the better half on
// twice the seeds, until the survivors ran on tune.seeds.
void successive_halving(const TuneSpec& spec, const EvaluateBatch& evaluate, SearchOutcome& out) {
  out.method = "successive halving";
  for (const Candidate& c : whole_space(spec))
    out.evaluated.push_back({out.evaluated.size(), c, {}, {}, {}});
  std::vector<std::size_t> survivors(out.evaluated.size());
  for (std::size_t i = 0; i < survivors.size(); ++i) survivors[i] = i;
  std::uint64_t seeds_run = 0;
  for (const Rung& rung : halving_plan(survivors.size(), spec.seeds)) {
    std::sort(survivors.begin(), survivors.end(), [&](std::size_t a, std::size_t b) {
      return ranks_first(out.evaluated[a], out.evaluated[b]);
    });
    survivors.resize(rung.candidates);
    const std::size_t before = out.simulations;
    run_seeds(spec, evaluate, survivors, seeds_run, rung.seeds, out);
    out.rungs.push_back({rung.candidates, rung.seeds, out.simulations - before});
    seeds_run = rung.seeds;
  }
}

std::size_t best_of(const std::vector<Evaluated>& all) {
  std::size_t best = 0;
  for (std::size_t i = 1; i < all.size(); ++i)
    if (ranks_first(all[i], all[best])) best = i;
  return best;
}

}  // namespace

Candidate deadline_monotonic_start(const TuneSpec& spec, const Scenario& s) {
  Candidate start(spec.space.size(), 0);
  std::map<std::size_t, std::uint64_t> deadline_of;  // parameter -> its tightest deadline
  for (std::size_t i = 0; i < spec.space.size(); ++i) {
    const Parameter& p = spec.space[i];
    const std::string own = scenario_value(p, s);
    const auto listed = std::find(p.values.begin(), p.values.end(), own);
    if (listed != p.values.end()) start[i] = static_cast<std::size_t>(listed - p.values.begin());
    if (p.kind != TunableKind::Priority) continue;
    const std::string source = priority_source(p, s);
    for (const Deadline& d : spec.deadlines)
      if (concerns(d, source))
        deadline_of[i] =
            deadline_of.count(i) ? std::min(deadline_of[i], d.max_cycles) : d.max_cycles;
    if (!deadline_of.count(i) && p.key != "kernel.tick_priority")
      start[i] = static_cast<std::size_t>(std::min_element(p.numbers.begin(), p.numbers.end()) -
                                          p.numbers.begin());
  }
  std::set<std::uint64_t> distinct;
  for (const auto& [i, d] : deadline_of) distinct.insert(d);
  for (const auto& [i, d] : deadline_of) {
    const Parameter& p = spec.space[i];
    const auto rank = static_cast<std::uint64_t>(std::distance(distinct.begin(), distinct.find(d)));
    const std::uint64_t top = *std::max_element(p.numbers.begin(), p.numbers.end());
    const std::uint64_t bottom = *std::min_element(p.numbers.begin(), p.numbers.end());
    const std::uint64_t want = top - bottom >= rank ? top - rank : bottom;
    // The largest listed value at or below `want` (the lowest when none is).
    std::size_t pick = static_cast<std::size_t>(
        std::min_element(p.numbers.begin(), p.numbers.end()) - p.numbers.begin());
    for (std::size_t v = 0; v < p.numbers.size(); ++v)
      if (p.numbers[v] <= want && p.numbers[v] >= p.numbers[pick]) pick = v;
    start[i] = pick;
  }
  return start;
}

SearchOutcome search(const TuneSpec& spec, const Scenario& s, const EvaluateBatch& evaluate) {
  SearchOutcome out;
  if (space_size(spec) <= spec.exhaustive_limit) {
    out.method = "exhaustive";
    evaluate_batch(spec, evaluate, whole_space(spec), out);
    out.best = best_of(out.evaluated);
    return out;
  }
  if (spec.halving) {
    successive_halving(spec, evaluate, out);
    out.best = best_of(out.evaluated);
    return out;
  }
  out.method = "coordinate descent";
  std::set<Candidate> seen;
  // Candidates the budget still affords, each on every seed.
  const auto remaining = [&] {
    return out.simulations >= spec.budget ? 0 : (spec.budget - out.simulations) / spec.seeds;
  };
  Candidate point = deadline_monotonic_start(spec, s);
  seen.insert(point);
  evaluate_batch(spec, evaluate, {point}, out);
  for (bool moved = true; moved && remaining() > 0;) {
    moved = false;
    for (std::size_t p = 0; p < spec.space.size() && remaining() > 0; ++p) {
      std::vector<Candidate> batch;
      for (std::size_t v = 0; v < spec.space[p].values.size() && batch.size() < remaining(); ++v) {
        Candidate c = point;
        c[p] = v;
        if (seen.insert(c).second) batch.push_back(std::move(c));
      }
      evaluate_batch(spec, evaluate, batch, out);
      const Candidate best = out.evaluated[best_of(out.evaluated)].candidate;
      if (best != point) {
        point = best;
        moved = true;
      }
    }
  }
  out.budget_spent = remaining() == 0;
  out.best = best_of(out.evaluated);
  return out;
}

}  // namespace irqlab::cosim::tune
