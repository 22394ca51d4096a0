#include "run/output_dir.h"

#include <string>

#include "output/run_outputs.h"

namespace irqlab::cosim {

namespace {

namespace fs = std::filesystem;

// An AtomicFile's temporary name for one of the outputs: ".<name>.tmp-<pid>".
bool is_temporary_of_an_output(const std::string& file) {
  for (const std::string_view name : kRunOutputs)
    if (file.starts_with("." + std::string(name) + ".tmp-")) return true;
  return false;
}

void clear_existing(const fs::path& dir) {
  for (const std::string_view name : kRunOutputs) fs::remove_all(dir / name);
  for (const fs::directory_entry& entry : fs::directory_iterator(dir))
    if (is_temporary_of_an_output(entry.path().filename().string())) fs::remove_all(entry.path());
}

}  // namespace

void clear_run_outputs(const fs::path& dir) {
  fs::create_directories(dir);
  clear_existing(dir);
}

void remove_run_directory(const fs::path& dir) {
  if (!fs::is_directory(fs::symlink_status(dir))) return;
  clear_existing(dir);
  if (fs::is_empty(dir)) fs::remove(dir);
}

}  // namespace irqlab::cosim
