#include "cli/waves_command.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include "output/atomic_file.h"
#include "waves/gtkw_paths.h"

namespace irqlab::cosim {

namespace {

namespace fs = std::filesystem;

// The personalities' directories of a comparison that hold waves.
std::string runs_with_waves(const fs::path& dir) {
  std::string list;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir))
    if (entry.is_directory() && fs::exists(entry.path() / "waves.gtkw"))
      list += " " + entry.path().string();
  return list;
}

}  // namespace

CLI::App* WavesCommand::add_to(CLI::App& app) {
  CLI::App* waves = app.add_subcommand(
      "waves",
      "open a run's waves (OUTDIR/waves.fst, waves.gtkw) in GTKWave, wherever OUTDIR lies");
  waves->add_option("OUTDIR", out_dir_, "a run's output directory")->required();
  waves->add_flag("--print", print_,
                  "print the save file with its paths made relative; do not start GTKWave");
  return waves;
}

int WavesCommand::run(const GlobalOptions&) {
  const fs::path dir(out_dir_);
  const fs::path gtkw = dir / "waves.gtkw";
  if (!fs::exists(gtkw)) {
    const std::string runs = fs::is_directory(dir) ? runs_with_waves(dir) : "";
    if (runs.empty())
      std::fprintf(stderr,
                   "irqlab waves: no waves in %s (a run writes waves.gtkw unless --no-waves)\n",
                   dir.c_str());
    else
      std::fprintf(stderr, "irqlab waves: %s holds a comparison; open one run:%s\n", dir.c_str(),
                   runs.c_str());
    return 1;
  }
  if (!fs::exists(dir / "waves.fst")) {
    std::fprintf(stderr, "irqlab waves: %s has waves.gtkw but no waves.fst\n", dir.c_str());
    return 1;
  }
  std::stringstream text;
  text << std::ifstream(gtkw).rdbuf();
  const std::string relocated = relocate_gtkw(text.str());
  if (relocated != text.str()) write_file_atomically(gtkw, relocated);
  if (print_) {
    std::fputs(relocated.c_str(), stdout);
    return 0;
  }
  // GTKWave resolves the save file's relative paths against its working directory.
  if (::chdir(dir.c_str()) != 0) {
    std::fprintf(stderr, "irqlab waves: cannot enter %s: %s\n", dir.c_str(), std::strerror(errno));
    return 1;
  }
  ::execlp("gtkwave", "gtkwave", "--dump=waves.fst", "--save=waves.gtkw",
           static_cast<char*>(nullptr));
  std::fprintf(stderr, "irqlab waves: cannot start gtkwave: %s (Debian: apt-get install gtkwave)\n",
               std::strerror(errno));
  return 1;
}

}  // namespace irqlab::cosim
