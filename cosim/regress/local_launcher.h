#pragma once
// The local launcher: runs the cases as child processes of this one, at most `jobs` at a
// time, in the jobs' order. Each child is tied to this process (run/child_process.h: its
// own process group, SIGTERM when this process dies) and writes its stdout and stderr
// into its case's log file, created with its directories. An interrupt (SIGINT/SIGTERM,
// recorded by InterruptSignals) is forwarded once to every running case, which then ends
// its run with its outputs written; no further case starts, and those not started end as
// not_started. A case whose binary cannot be executed, or whose log cannot be created,
// ends as not_started with the reason.
//
// Registered as "local". Main thread, with InterruptSignals installed by the command.
#include <map>

#include "regress/launcher.h"

namespace irqlab::cosim::regress {

class LocalLauncher : public Launcher {
 public:
  explicit LocalLauncher(unsigned jobs);
  std::string name() const override { return "local"; }
  std::vector<CaseEnd> run(const std::vector<CaseJob>& jobs,
                           const std::function<void(const CaseEnd&)>& on_end) override;
  std::optional<double> wall_seconds(const std::string& id) const override;

 private:
  unsigned jobs_;
  std::map<std::string, double> wall_seconds_;  // by case id, of the last run()
};

}  // namespace irqlab::cosim::regress
