#include "regress/scenario_discovery.h"

#include <algorithm>
#include <set>

#include "config/config_node.h"
#include "config/printable_text.h"

namespace irqlab::cosim::regress {

namespace {

namespace fs = std::filesystem;

void add_directory(const fs::path& directory, std::vector<fs::path>& found) {
  std::error_code error;
  fs::recursive_directory_iterator entry(directory, error);
  for (; !error && entry != fs::recursive_directory_iterator(); entry.increment(error)) {
    if (entry->is_directory(error) && entry->path().filename() == kCostProfileDirectory) {
      entry.disable_recursion_pending();
      continue;
    }
    if (entry->path().extension() == ".yaml" && entry->is_regular_file(error))
      found.push_back(entry->path());
  }
  if (error)
    throw ConfigError("cannot search " + escape_for_line(directory.string()) + ": " +
                      error.message());
}

}  // namespace

std::vector<fs::path> discover_scenarios(const std::vector<fs::path>& paths) {
  std::vector<fs::path> found;
  for (const fs::path& path : paths) {
    std::error_code error;
    const fs::file_status status = fs::status(path, error);
    if (fs::is_directory(status)) {
      add_directory(path, found);
    } else if (fs::is_regular_file(status)) {
      found.push_back(path);
    } else {
      throw ConfigError(escape_for_line(path.string()) +
                        (fs::exists(status) ? ": not a scenario file or a directory"
                                            : ": no such file or directory"));
    }
  }
  // Each file once, however it was reached (a directory and a file in it, or ./a and a).
  std::set<fs::path> seen;
  std::vector<fs::path> unique;
  for (const fs::path& file : found)
    if (seen.insert(fs::weakly_canonical(file)).second) unique.push_back(file);
  std::sort(unique.begin(), unique.end());
  if (unique.empty()) {
    std::string searched;
    for (const fs::path& p : paths) searched += (searched.empty() ? "" : ", ") + p.string();
    throw ConfigError("no scenario file (*.yaml) in " + escape_for_line(searched));
  }
  return unique;
}

}  // namespace irqlab::cosim::regress
