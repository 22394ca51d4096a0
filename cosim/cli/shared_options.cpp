#include "cli/shared_options.h"

#include <algorithm>
#include <charconv>
#include <spdlog/spdlog.h>

#include "config/config_node.h"
#include "config/printable_text.h"

namespace irqlab::cosim {

namespace {

// A count of at least 1 given to `option`; ConfigError otherwise.
unsigned positive_count(const std::string& text, const std::string& option) {
  unsigned value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || value == 0)
    throw ConfigError(option + " takes a whole number of at least 1, got '" +
                      escape_for_line(text) + "'");
  return value;
}

}  // namespace

void add_override_option(CLI::App& command, std::vector<std::string>& overrides,
                         const std::string& description) {
  command.add_option("-c,--config", overrides, description)
      ->expected(1)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->check(CLI::Validator(
          [](const std::string& value) -> std::string {
            const std::size_t eq = value.find('=');
            if (eq == std::string::npos || eq == 0)
              return "-c takes one key=value, got '" + value + "'";
            return {};
          },
          "KEY=VALUE"));
}

void LauncherFlags::add_to(CLI::App& command, const std::string& what_runs) {
  command.add_option("-j,--jobs", jobs_,
                     what_runs + " run at once (local: default 1; slurm: the job array's "
                                 "throttle, default none)");
  command.add_option("--launcher", launcher_, "where " + what_runs + " run: local, slurm")
      ->capture_default_str();
  command.add_flag("--slurm", slurm_, "same as --launcher slurm");
  command.add_option("--partition", partition_, "slurm: the partition to submit to");
  command.add_option("--time", time_limit_, "slurm: each task's time limit (sbatch --time)");
  command.add_option("--cpus-per-task", cpus_per_task_, "slurm: CPUs per task")
      ->capture_default_str();
  command.add_option("--mem", mem_, "slurm: memory per task (sbatch --mem)");
}

std::string LauncherFlags::launcher() const {
  if (slurm_ && launcher_ != "local" && launcher_ != "slurm")
    throw ConfigError("--slurm contradicts --launcher " + launcher_);
  const std::string name = slurm_ ? "slurm" : launcher_;
  const std::vector<std::string> known = regress::launcher_names();
  if (std::find(known.begin(), known.end(), name) == known.end()) {
    std::string list;
    for (const std::string& n : known) list += (list.empty() ? "" : ", ") + n;
    throw ConfigError("unknown launcher '" + escape_for_line(name) + "' (known: " + list + ")");
  }
  return name;
}

regress::LauncherOptions LauncherFlags::options(const std::filesystem::path& work_dir) const {
  regress::LauncherOptions options;
  options.jobs = jobs_ ? positive_count(*jobs_, "-j") : launcher() == "local" ? 1 : 0;
  options.partition = partition_;
  options.time_limit = time_limit_;
  options.cpus_per_task = positive_count(cpus_per_task_, "--cpus-per-task");
  options.mem_per_task = mem_;
  options.work_dir = work_dir;
  return options;
}

int exit_status_of(const std::function<int()>& body) {
  try {
    return body();
  } catch (const ConfigError& e) {
    spdlog::error("{}", e.what());
    return 2;
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
    return 1;
  }
}

}  // namespace irqlab::cosim
