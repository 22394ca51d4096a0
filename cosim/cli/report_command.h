#pragma once
// irqlab report OUTDIR: writes OUTDIR/report.html (one self-contained page) and
// OUTDIR/report-plots/ (PNG and SVG) from the results.json a run left there.
//
// The page and its plots are made by tools/report/report.py (Python, matplotlib), which
// this command runs under Debian's interpreter (IRQLAB_PYTHON: the one that sees
// python3-matplotlib); the script checks the inputs and names the file that is wrong.
#include <string>

#include "cli/command.h"

namespace irqlab::cosim {

class ReportCommand : public Command {
 public:
  CLI::App* add_to(CLI::App& app) override;
  // Runs the script in a child process and waits for it; returns its exit status.
  int run(const GlobalOptions& global) override;

 private:
  std::string out_dir_;
};

}  // namespace irqlab::cosim
