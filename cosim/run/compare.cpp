#include "run/compare.h"

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

#include "output/atomic_file.h"

namespace irqlab::cosim {

namespace {

using nlohmann::ordered_json;

int run_child(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::fflush(stdout);
  std::fflush(stderr);
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("cannot start a child irqlab");
  if (pid == 0) {
    execv(argv[0], argv.data());
    std::perror("irqlab: exec");
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

ordered_json read_results(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) return ordered_json();
  std::stringstream text;
  text << in.rdbuf();
  return ordered_json::parse(text.str(), nullptr, false);
}

std::uint64_t switches(const ordered_json& run, const char* kind) {
  std::uint64_t total = 0;
  for (const auto& cpu : run["cpus"]) total += cpu["switches"][kind].get<std::uint64_t>();
  return total;
}

std::string mean_of(const ordered_json& summary) {
  char text[32];
  std::snprintf(text, sizeof text, "%.0f", summary["mean"].get<double>());
  return text;
}

// The sum of an object's counts.
std::uint64_t sum_of(const ordered_json& counts) {
  std::uint64_t sum = 0;
  for (const auto& n : counts) sum += n.get<std::uint64_t>();
  return sum;
}

// The IPsec path's figures (docs/results-schema.md, `ipsec`), one row each.
template <typename Row>
void print_ipsec_rows(Row& row) {
  row("IPsec FS/LS/IC per packet", [](const ordered_json& run) {
    const auto& p = run["ipsec"]["per_packet"];
    char text[48];
    std::snprintf(text, sizeof text, "%.1f/%.1f/%.1f", p["fs"].get<double>(), p["ls"].get<double>(),
                  p["ic"].get<double>());
    return std::string(text);
  });
  row("IPsec NIC irq T2-T0 mean",
      [](const ordered_json& run) { return mean_of(run["ipsec"]["nic"]["t2_minus_t0"]); });
  row("IPsec crypto irq T2-T0 mean",
      [](const ordered_json& run) { return mean_of(run["ipsec"]["crypto"]["t2_minus_t0"]); });
  row("IPsec NIC leg T3/T5-T0", [](const ordered_json& run) {
    const auto& l = run["ipsec"]["nic"];
    return mean_of(l["t3_minus_t0"]) + "/" + mean_of(l["t5_minus_t0"]);
  });
  row("IPsec crypto leg T3/T4/T5-T0", [](const ordered_json& run) {
    const auto& l = run["ipsec"]["crypto"];
    return mean_of(l["t3_minus_t0"]) + "/" + mean_of(l["t4_minus_t0"]) + "/" +
           mean_of(l["t5_minus_t0"]);
  });
  row("IPsec end to end mean/p99", [](const ordered_json& run) {
    const auto& e = run["ipsec"]["end_to_end"];
    return mean_of(e) + "/" + std::to_string(e["p99"].get<std::uint64_t>());
  });
  row("IPsec blocked cycles/packet", [](const ordered_json& run) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f",
                  run["ipsec"]["per_packet"]["blocked_cycles"].get<double>());
    return std::string(text);
  });
  row("IPsec drops", [](const ordered_json& run) {
    return std::to_string(sum_of(run["ipsec"]["drops"]) + sum_of(run["ipsec"]["nic_drops"]));
  });
  row("IPsec read / byte-exact", [](const ordered_json& run) {
    const auto& d = run["ipsec"]["delivery"];
    return std::to_string(run["ipsec"]["reads"].get<std::uint64_t>()) + "/" +
           (d.is_null() ? std::string("-") : std::to_string(d["delivered"].get<std::uint64_t>()));
  });
  row("crypto cycles/job mean",
      [](const ordered_json& run) { return mean_of(run["crypto"]["cycles_per_job"]); });
}

void print_comparison(const std::vector<std::string>& names, const ordered_json& runs) {
  std::printf("\n== side by side ==\n%-28s", "");
  for (const std::string& n : names) std::printf(" %12s", n.c_str());
  std::printf("\n");
  auto row = [&](const std::string& label, auto value) {
    std::printf("%-28s", label.c_str());
    for (const std::string& n : names) {
      const ordered_json& run = runs[n];
      if (run.is_null() || run["status"] != "ok") {
        std::printf(" %12s", "failed");
      } else {
        std::printf(" %12s", value(run).c_str());
      }
    }
    std::printf("\n");
  };
  const ordered_json& first = runs[names.front()];
  if (!first.is_null()) {
    for (std::size_t i = 0; i < first["sources"].size(); ++i) {
      const std::string name = first["sources"][i]["name"];
      row("latency " + name + " mean/p99", [&](const ordered_json& run) {
        const auto& l = run["sources"][i]["latency"];
        char text[32];
        std::snprintf(text, sizeof text, "%.0f/%llu", l["mean"].get<double>(),
                      static_cast<unsigned long long>(l["p99"].get<std::uint64_t>()));
        return std::string(text);
      });
    }
  }
  if (!first.is_null()) {
    for (std::size_t i = 0; i < first["sources"].size(); ++i) {
      if (first["sources"][i]["deferred_latency"]["count"] == 0) continue;
      const std::string name = first["sources"][i]["name"];
      row("deferred " + name + " T3-T0 mean/p99", [&](const ordered_json& run) {
        const auto& l = run["sources"][i]["deferred_latency"];
        char text[32];
        std::snprintf(text, sizeof text, "%.0f/%llu", l["mean"].get<double>(),
                      static_cast<unsigned long long>(l["p99"].get<std::uint64_t>()));
        return std::string(text);
      });
    }
  }
  row("deferred work blocked", [](const ordered_json& run) {
    std::uint64_t blocked = 0;
    for (const auto& d : run["deferred"]) blocked += d["blocked"].get<std::uint64_t>();
    return std::to_string(blocked);
  });
  if (!first.is_null() && first.contains("ipsec")) print_ipsec_rows(row);
  row("full switches (FS)", [](const ordered_json& run) { return std::to_string(switches(run, "full")); });
  row("light switches (LS)", [](const ordered_json& run) { return std::to_string(switches(run, "light")); });
  row("interrupt contexts (IC)", [](const ordered_json& run) { return std::to_string(switches(run, "interrupt")); });
}

}  // namespace

int run_comparison(const ComparisonRequest& request) {
  ordered_json runs = ordered_json::object();
  bool ok = true;
  for (const std::string& personality : request.personalities) {
    const std::filesystem::path dir = request.out_dir / personality;
    std::vector<std::string> args{request.irqlab.string(), "--log", request.log_level, "run",
                                  request.scenario_file.string()};
    for (const std::string& o : request.overrides) {
      args.push_back("-c");
      args.push_back(o);
    }
    args.insert(args.end(), {"-c", "kernel.personality=" + personality, "--out", dir.string()});
    std::printf("\n== personality %s ==\n", personality.c_str());
    const int status = run_child(args);
    ok = ok && status == 0;
    runs[personality] = read_results(dir / "results.json");
  }
  const ordered_json doc = {{"schema", "irqlab.comparison/1"},
                            {"status", ok ? "ok" : "failed"},
                            {"personalities", request.personalities},
                            {"runs", runs}};
  std::filesystem::create_directories(request.out_dir);
  write_file_atomically(request.out_dir / "results.json", doc.dump(2) + '\n');
  print_comparison(request.personalities, runs);
  spdlog::info("compared {} personalities; outputs in {}", request.personalities.size(), request.out_dir.string());
  return ok ? 0 : 1;
}

}  // namespace irqlab::cosim
