#pragma once
// Launchers: what runs the cases of a regression (or a tuner's candidates). A case is one
// irqlab command line with its output directory and log file; a launcher runs a list of
// them somewhere (local processes, a Slurm job array, ...) and says how each ended. It
// does not judge a case: the engine (regress/engine.h) reads what the case left.
//
// Launchers register themselves by name from their own file (LauncherRegistration at
// namespace scope), so a new one (LSF, Grid Engine) is one new file and one line in
// cosim/CMakeLists.txt (the irqlab_regress list, linked whole-archive so the registration
// is kept). docs/regress.md says what a launcher must do.
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace irqlab::cosim::regress {

struct CaseJob {
  std::string id;                  // "<scenario stem>/<variant>", unique, stable
  std::vector<std::string> argv;   // full command line: argv[0] is the irqlab binary
  std::filesystem::path out_dir;   // the case's output directory (results.json lands there)
  std::filesystem::path log_file;  // where the case's stdout+stderr go
};

struct CaseEnd {
  std::string id;
  enum class How { exited, signalled, not_started, lost } how;
  int code = 0;        // exit status (exited) or signal number (signalled)
  std::string detail;  // e.g. "sbatch: error: ...", "task vanished from squeue"
};

struct LauncherOptions {              // from the command line
  unsigned jobs = 1;                  // -j: local: cases at once; slurm: throttle, 0 = none
  std::string partition, time_limit;  // slurm: --partition, --time
  unsigned cpus_per_task = 1;
  std::string mem_per_task;        // slurm resources
  std::filesystem::path work_dir;  // where a launcher may keep scripts/manifests (<out>/launcher)
};

class Launcher {  // called from the main thread only
 public:
  virtual ~Launcher() = default;
  virtual std::string name() const = 0;  // "local", "slurm"
  // Runs every job; calls on_end (on the caller's thread) as each ends; returns when all
  // ended or when an interrupt (SIGINT/SIGTERM) was received (then the rest end as
  // not_started/signalled). Returns one CaseEnd per job, in the jobs' order.
  virtual std::vector<CaseEnd> run(const std::vector<CaseJob>& jobs,
                                   const std::function<void(const CaseEnd&)>& on_end) = 0;
  // The host time case `id` took from its start to its end, if this launcher measured it
  // (an addition to the contract's interface, with a default, so a launcher need not).
  // From on_end, or after run() returned.
  virtual std::optional<double> wall_seconds(const std::string& id) const {
    static_cast<void>(id);
    return std::nullopt;
  }
};

// The launcher registered as `name`, built for `options`. Throws std::invalid_argument
// naming the registered launchers when there is none of that name. Main thread.
std::unique_ptr<Launcher> make_launcher(const std::string& name, const LauncherOptions& options);

using LauncherFactory = std::function<std::unique_ptr<Launcher>(const LauncherOptions&)>;

// Registers a launcher when constructed: define one at namespace scope in the launcher's
// own file. Two registrations of one name terminate the program (a build error in practice).
struct LauncherRegistration {
  LauncherRegistration(std::string name, LauncherFactory factory);
};

// The registered launchers' names, sorted. Any context after static initialisation.
std::vector<std::string> launcher_names();

}  // namespace irqlab::cosim::regress
