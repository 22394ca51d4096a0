#include "tune/evaluation.h"

#include <algorithm>
#include <cmath>
#include <tuple>

namespace irqlab::cosim::tune {

namespace {

using nlohmann::json;

const json* source_named(const json& results, const std::string& name) {
  for (const json& s : results.at("sources"))
    if (s.at("name") == name) return &s;
  return nullptr;
}

// The metric's value, or none when its summary has no sample.
std::optional<std::uint64_t> metric_value(const json& results, const std::string& metric) {
  const auto dot = metric.rfind('.');
  const std::string stat = metric.substr(dot + 1);
  const std::string head = metric.substr(0, dot);
  const json* summary = nullptr;
  if (head == "ipsec.end_to_end") {
    summary = &results.at("ipsec").at("end_to_end");
  } else if (head == "nic.latency.cycles") {
    if (results.at("nic").at("latency").at("count") == 0) return std::nullopt;
    summary = &results.at("nic").at("latency").at("cycles");
  } else {
    const std::string prefix = "sources.";
    const bool deferred =
        head.size() > 17 && head.compare(head.size() - 17, 17, ".deferred_latency") == 0;
    const std::size_t tail = deferred ? 17 : 8;  // ".latency"
    const json* source =
        source_named(results, head.substr(prefix.size(), head.size() - prefix.size() - tail));
    if (!source) return std::nullopt;
    summary = &source->at(deferred ? "deferred_latency" : "latency");
  }
  if (summary->contains("count") && summary->at("count") == 0) return std::nullopt;
  const json& v = summary->at(stat);
  // A mean is a ratio: the deadline compares its ceiling.
  return v.is_number_unsigned() ? v.get<std::uint64_t>()
                                : static_cast<std::uint64_t>(std::ceil(v.get<double>()));
}

}  // namespace

Measurement measure(const json& results, const TuneSpec& spec) {
  Measurement m;
  m.ran = true;
  for (const Deadline& d : spec.deadlines) m.measured.push_back(metric_value(results, d.metric));
  for (const json& s : results.at("sources"))
    m.drops += s.at("dropped").at("while_pending").get<std::uint64_t>() +
               s.at("dropped").at("while_in_service").get<std::uint64_t>();
  if (results.contains("nic"))
    m.drops += results.at("nic").at("dropped").at("fifo_overflow").get<std::uint64_t>();
  if (results.contains("ipsec"))
    m.drops += results.at("ipsec").at("drops").at("SocketFull").get<std::uint64_t>();
  for (const json& c : results.at("cpus")) m.cost += c.at("interrupts").get<std::uint64_t>();
  return m;
}

Measurement worst_of(const std::vector<Measurement>& per_seed) {
  Measurement worst = per_seed.front();
  for (const Measurement& m : per_seed) {
    if (!m.ran) {
      worst = m;
      break;
    }
    for (std::size_t i = 0; i < worst.measured.size(); ++i)
      worst.measured[i] = worst.measured[i] && m.measured[i]
                              ? std::max(*worst.measured[i], *m.measured[i])
                              : std::optional<std::uint64_t>();
    worst.drops = std::max(worst.drops, m.drops);
    worst.cost = std::max(worst.cost, m.cost);
  }
  worst.seeds = per_seed.size();
  return worst;
}

Verdict judge(const Measurement& m, const TuneSpec& spec) {
  Verdict v;
  if (!m.ran) return v;
  v.feasible = !(spec.no_drops && m.drops > 0);
  v.worst_slack = spec.deadlines.empty() ? 0 : std::numeric_limits<std::int64_t>::max();
  for (std::size_t i = 0; i < spec.deadlines.size(); ++i) {
    const std::int64_t slack = m.measured[i]
                                   ? static_cast<std::int64_t>(spec.deadlines[i].max_cycles) -
                                         static_cast<std::int64_t>(*m.measured[i])
                                   : kMissed;
    v.slack.push_back(slack);
    if (slack < 0) v.feasible = false;
    if (!v.binding || slack < v.worst_slack) {
      v.worst_slack = slack;
      v.binding = i;
    }
  }
  return v;
}

bool ranks_before(const Verdict& a, const Measurement& ma, std::size_t ia, const Verdict& b,
                  const Measurement& mb, std::size_t ib) {
  return std::make_tuple(mb.seeds, !a.feasible, !ma.ran, -static_cast<long double>(a.worst_slack),
                         ma.drops, ma.cost, ia) <
         std::make_tuple(ma.seeds, !b.feasible, !mb.ran, -static_cast<long double>(b.worst_slack),
                         mb.drops, mb.cost, ib);
}

std::string slack_text(std::int64_t slack) {
  return slack == kMissed ? "missed" : std::to_string(slack);
}

}  // namespace irqlab::cosim::tune
