#include "personality/registry.h"

#include <cstdio>
#include <cstdlib>
#include <map>
#include <stdexcept>

namespace irqlab::kernel {

namespace {

// Constructed on first use, so registrations in any translation unit find it ready.
std::map<std::string, PersonalityDescriptor, std::less<>>& registry() {
  static std::map<std::string, PersonalityDescriptor, std::less<>> personalities;
  return personalities;
}

}  // namespace

PersonalityRegistration::PersonalityRegistration(PersonalityDescriptor descriptor) {
  const std::string name = descriptor.name;
  if (!registry().emplace(name, std::move(descriptor)).second) {
    // Static initialization: no exception can reach a handler here.
    std::fprintf(stderr, "irqlab: personality \"%s\" is registered twice\n", name.c_str());
    std::abort();
  }
}

std::vector<const PersonalityDescriptor*> registered_personalities() {
  std::vector<const PersonalityDescriptor*> all;
  for (const auto& [name, descriptor] : registry()) all.push_back(&descriptor);
  return all;
}

const PersonalityDescriptor* find_personality(std::string_view name) {
  const auto it = registry().find(name);
  return it == registry().end() ? nullptr : &it->second;
}

const PersonalityDescriptor& personality_named(std::string_view name) {
  if (const PersonalityDescriptor* found = find_personality(name)) return *found;
  std::string expected;
  const std::vector<const PersonalityDescriptor*> all = registered_personalities();
  for (std::size_t i = 0; i < all.size(); ++i)
    expected += (i == 0 ? "" : i + 1 == all.size() ? " or " : ", ") + all[i]->name;
  throw std::invalid_argument("unknown personality \"" + std::string(name) + "\": expected " + expected);
}

}  // namespace irqlab::kernel
