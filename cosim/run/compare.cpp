#include "run/compare.h"

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

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
  std::ofstream(request.out_dir / "results.json") << doc.dump(2) << '\n';
  print_comparison(request.personalities, runs);
  spdlog::info("compared {} personalities; outputs in {}", request.personalities.size(), request.out_dir.string());
  return ok ? 0 : 1;
}

}  // namespace irqlab::cosim
