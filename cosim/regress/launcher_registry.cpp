#include <cstdio>
#include <cstdlib>
#include <map>
#include <stdexcept>

#include "regress/launcher.h"

namespace irqlab::cosim::regress {

namespace {

// Built on first use, so registrations from any translation unit's static initialisation
// find it constructed.
std::map<std::string, LauncherFactory>& registry() {
  static std::map<std::string, LauncherFactory> launchers;
  return launchers;
}

}  // namespace

LauncherRegistration::LauncherRegistration(std::string name, LauncherFactory factory) {
  if (!registry().emplace(name, std::move(factory)).second) {
    std::fprintf(stderr, "irqlab: two launchers registered as '%s'\n", name.c_str());
    std::abort();
  }
}

std::vector<std::string> launcher_names() {
  std::vector<std::string> names;
  for (const auto& entry : registry()) names.push_back(entry.first);
  return names;
}

std::unique_ptr<Launcher> make_launcher(const std::string& name, const LauncherOptions& options) {
  const auto found = registry().find(name);
  if (found == registry().end()) {
    std::string known;
    for (const std::string& n : launcher_names()) known += (known.empty() ? "" : ", ") + n;
    throw std::invalid_argument("unknown launcher '" + name + "' (known: " + known + ")");
  }
  return found->second(options);
}

}  // namespace irqlab::cosim::regress
