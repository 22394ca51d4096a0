#pragma once
// The personality registry: every personality registers itself from its own folder
// (kernel/personality/<name>/) with a static PersonalityRegistration, naming its
// factory, its option schema, its configure step (IPL table, SchedOptions) and its
// validation. The kernel core, the scenario loader, `irqlab list` and the docs find
// personalities only here, so adding one touches no list elsewhere.
//
// Registration runs during static initialization, so the object files holding the
// registrations must be linked even though nothing calls into them: kernel/CMakeLists.txt
// links the personalities library whole-archive (docs/personalities.md). A registration
// in a test's own source file works as is (an executable keeps all its own objects).
//
// Lookups may be made from any context after static initialization (main() onwards).
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "personality/options.h"

namespace irqlab::kernel {

class Kernel;
class Personality;
struct KernelConfig;

struct NamedCost {
  std::string name;
  std::string meaning;
};

struct PersonalityDescriptor {
  std::string name;     // scenario value of kernel.personality, and the options' map key
  std::string summary;  // one line for `irqlab list`
  std::vector<OptionSpec> options;
  // Its own cost-profile fields (CostProfile::personality), every one required in a
  // profile file.
  std::vector<NamedCost> costs;
  // Before the Kernel exists: fill config.ipl if empty, set config.sched.
  std::function<void(KernelConfig&)> configure;
  // Problems beyond the option ranges (checked by the registry), one sentence each.
  std::function<std::vector<std::string>(const KernelConfig&)> validate;
  // At the end of Kernel's constructor, with the applied config.
  std::function<std::unique_ptr<Personality>(Kernel&)> make;
};

// Registers `descriptor` when constructed; define one per personality at namespace scope.
// Two registrations with one name terminate the program (a build error in practice).
struct PersonalityRegistration {
  explicit PersonalityRegistration(PersonalityDescriptor descriptor);
};

// Every registered personality, ordered by name.
std::vector<const PersonalityDescriptor*> registered_personalities();
// The personality `name`, or nullptr.
const PersonalityDescriptor* find_personality(std::string_view name);
// The personality `name`; throws std::invalid_argument naming the registered ones.
const PersonalityDescriptor& personality_named(std::string_view name);

}  // namespace irqlab::kernel
