#pragma once
// irqlab waves OUTDIR [--print]: opens a run's waves in GTKWave from wherever the output
// directory lies now. It makes the paths in OUTDIR/waves.gtkw relative to OUTDIR
// (waves/gtkw_paths.h; rewritten in place only when they were not) and starts gtkwave in
// OUTDIR on waves.fst and waves.gtkw. --print prints the save file instead of starting
// GTKWave (headless use, tests). OUTDIR of a comparison (one directory per personality)
// is refused with the directories to choose from.
#include <string>

#include "cli/command.h"

namespace irqlab::cosim {

class WavesCommand : public Command {
 public:
  CLI::App* add_to(CLI::App& app) override;
  int run(const GlobalOptions& global) override;

 private:
  std::string out_dir_;
  bool print_ = false;
};

}  // namespace irqlab::cosim
