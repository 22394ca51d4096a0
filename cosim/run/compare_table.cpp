#include "run/compare_table.h"

#include <cstdio>
#include <functional>

namespace irqlab::cosim {

namespace {

using nlohmann::ordered_json;
using Cell = std::function<std::string(const ordered_json& run)>;

std::uint64_t switches(const ordered_json& run, const char* kind) {
  std::uint64_t total = 0;
  for (const auto& cpu : run.at("cpus")) total += cpu.at("switches").at(kind).get<std::uint64_t>();
  return total;
}

std::string mean_of(const ordered_json& summary) {
  char text[32];
  std::snprintf(text, sizeof text, "%.0f", summary.at("mean").get<double>());
  return text;
}

std::string mean_and_p99(const ordered_json& summary) {
  return mean_of(summary) + "/" + std::to_string(summary.at("p99").get<std::uint64_t>());
}

// The sum of an object's counts.
std::uint64_t sum_of(const ordered_json& counts) {
  std::uint64_t sum = 0;
  for (const auto& n : counts) sum += n.get<std::uint64_t>();
  return sum;
}

// The source named `name` in a run's results.
const ordered_json& source_named(const ordered_json& run, const std::string& name) {
  for (const ordered_json& source : run.at("sources"))
    if (source.at("name") == name) return source;
  throw std::out_of_range("no source " + name);
}

// "passed/checked", and " FAILED" when one failed (expect/evaluate.h).
std::string expectations_cell(const ordered_json& run) {
  const auto& e = run.at("expectations");
  const std::uint64_t passed = e.at("passed").get<std::uint64_t>();
  const std::uint64_t failed = e.at("failed").get<std::uint64_t>();
  return std::to_string(passed) + "/" + std::to_string(passed + failed) +
         (failed != 0 ? " FAILED" : "");
}

class Table {
 public:
  Table(const std::vector<std::string>& personalities, const std::vector<ChildOutcome>& outcomes)
      : personalities_(personalities), outcomes_(outcomes) {}

  void header() const {
    std::printf("\n== side by side ==\n%-28s", "");
    for (const std::string& n : personalities_) std::printf(" %12s", n.c_str());
    std::printf("\n");
  }

  void status_row() const {
    std::printf("%-28s", "status");
    for (const ChildOutcome& o : outcomes_) std::printf(" %12s", o.status.c_str());
    std::printf("\n");
  }

  // A figure per run; "-" where a run left no results or lacks the figure.
  void row(const std::string& label, const Cell& value) const {
    std::printf("%-28s", label.c_str());
    for (const ChildOutcome& o : outcomes_) {
      std::string text = "-";
      if (!o.results.is_null()) {
        try {
          text = value(o.results);
        } catch (const std::exception&) {  // the figure is not in this run's results
        }
      }
      std::printf(" %12s", text.c_str());
    }
    std::printf("\n");
  }

  // Below the table: why each run that is not ok is not.
  void reasons() const {
    for (std::size_t i = 0; i < outcomes_.size(); ++i)
      if (!outcomes_[i].ok())
        std::printf("%s: %s: %s\n", personalities_[i].c_str(), outcomes_[i].status.c_str(),
                    outcomes_[i].message.c_str());
  }

 private:
  const std::vector<std::string>& personalities_;
  const std::vector<ChildOutcome>& outcomes_;
};

// The IPsec path's figures (docs/results-schema.md, `ipsec`), one row each.
void ipsec_rows(const Table& table) {
  table.row("IPsec FS/LS/IC per packet", [](const ordered_json& run) {
    const auto& p = run.at("ipsec").at("per_packet");
    char text[48];
    std::snprintf(text, sizeof text, "%.1f/%.1f/%.1f", p.at("fs").get<double>(),
                  p.at("ls").get<double>(), p.at("ic").get<double>());
    return std::string(text);
  });
  table.row("IPsec NIC irq T2-T0 mean", [](const ordered_json& run) {
    return mean_of(run.at("ipsec").at("nic").at("t2_minus_t0"));
  });
  table.row("IPsec crypto irq T2-T0 mean", [](const ordered_json& run) {
    return mean_of(run.at("ipsec").at("crypto").at("t2_minus_t0"));
  });
  table.row("IPsec NIC leg T3/T5-T0", [](const ordered_json& run) {
    const auto& l = run.at("ipsec").at("nic");
    return mean_of(l.at("t3_minus_t0")) + "/" + mean_of(l.at("t5_minus_t0"));
  });
  table.row("IPsec crypto leg T3/T4/T5-T0", [](const ordered_json& run) {
    const auto& l = run.at("ipsec").at("crypto");
    return mean_of(l.at("t3_minus_t0")) + "/" + mean_of(l.at("t4_minus_t0")) + "/" +
           mean_of(l.at("t5_minus_t0"));
  });
  table.row("IPsec end to end mean/p99",
            [](const ordered_json& run) { return mean_and_p99(run.at("ipsec").at("end_to_end")); });
  table.row("IPsec blocked cycles/packet", [](const ordered_json& run) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f",
                  run.at("ipsec").at("per_packet").at("blocked_cycles").get<double>());
    return std::string(text);
  });
  table.row("IPsec drops", [](const ordered_json& run) {
    const auto& ipsec = run.at("ipsec");
    return std::to_string(sum_of(ipsec.at("drops")) + sum_of(ipsec.at("nic_drops")));
  });
  table.row("IPsec read / byte-exact", [](const ordered_json& run) {
    const auto& d = run.at("ipsec").at("delivery");
    return std::to_string(run.at("ipsec").at("reads").get<std::uint64_t>()) + "/" +
           (d.is_null() ? std::string("-")
                        : std::to_string(d.at("delivered").get<std::uint64_t>()));
  });
  table.row("crypto cycles/job mean",
            [](const ordered_json& run) { return mean_of(run.at("crypto").at("cycles_per_job")); });
}

}  // namespace

void print_comparison_table(const std::vector<std::string>& personalities,
                            const std::vector<ChildOutcome>& outcomes) {
  const Table table(personalities, outcomes);
  table.header();
  table.status_row();
  const ordered_json* first = nullptr;
  bool expectations = false;
  for (const ChildOutcome& o : outcomes) {
    if (!o.results.is_null() && first == nullptr) first = &o.results;
    expectations = expectations || (o.results.is_object() && o.results.contains("expectations"));
  }
  if (expectations) table.row("expectations", expectations_cell);
  if (first != nullptr && first->contains("sources")) {
    for (const ordered_json& source : first->at("sources")) {
      const std::string name = source.at("name");
      table.row("latency " + name + " mean/p99", [name](const ordered_json& run) {
        return mean_and_p99(source_named(run, name).at("latency"));
      });
    }
    for (const ordered_json& source : first->at("sources")) {
      if (source.at("deferred_latency").at("count") == 0) continue;
      const std::string name = source.at("name");
      table.row("deferred " + name + " T3-T0 mean/p99", [name](const ordered_json& run) {
        return mean_and_p99(source_named(run, name).at("deferred_latency"));
      });
    }
  }
  table.row("deferred work blocked", [](const ordered_json& run) {
    std::uint64_t blocked = 0;
    for (const auto& d : run.at("deferred")) blocked += d.at("blocked").get<std::uint64_t>();
    return std::to_string(blocked);
  });
  if (first != nullptr && first->contains("ipsec")) ipsec_rows(table);
  table.row("full switches (FS)",
            [](const ordered_json& run) { return std::to_string(switches(run, "full")); });
  table.row("light switches (LS)",
            [](const ordered_json& run) { return std::to_string(switches(run, "light")); });
  table.row("interrupt contexts (IC)",
            [](const ordered_json& run) { return std::to_string(switches(run, "interrupt")); });
  table.reasons();
}

}  // namespace irqlab::cosim
