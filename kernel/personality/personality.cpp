#include "personality/personality.h"

#include <stdexcept>

#include "kernel.h"
#include "personality/registry.h"

namespace irqlab::kernel {

namespace {

// No deferred-work mechanism: today's core (minimal IPL table unless the config sets one).
class NonePersonality : public Personality {
 public:
  static constexpr std::string_view kName = "none";
  using Personality::Personality;
  std::string_view name() const override { return kName; }
};

const PersonalityRegistration kNoneRegistration{{
    .name = std::string(NonePersonality::kName),
    .summary = "no deferred-work mechanism: the bare kernel core",
    .options = {},
    .costs = {},
    .configure = [](KernelConfig&) {},
    .validate = [](const KernelConfig&) { return std::vector<std::string>{}; },
    .make = [](Kernel& kernel) -> std::unique_ptr<Personality> {
      return std::make_unique<NonePersonality>(kernel);
    },
}};

std::string describe_range(const OptionSpec& spec) {
  return spec.type == OptionType::Bool ? "a bool (0 or 1)"
                                       : std::to_string(spec.min) + ".." + std::to_string(spec.max);
}

}  // namespace

void Personality::irq_exit() { kernel_.spl().doreti(); }

unsigned Personality::device_level(unsigned priority) const {
  return kernel_.spl().device_level(priority);
}

IrqHandler Personality::at_device_level(unsigned priority, IrqHandler handler) {
  return [this, level = device_level(priority), h = std::move(handler)](unsigned source) {
    CpuState& c = kernel_.cpu_state();
    const unsigned s = c.ipl;
    if (level > s) kernel_.spl().set_level_variable(level);
    h(source);
    kernel_.spl().set_level(s);
  };
}

void Personality::run_inline_from_hard_interrupt(DeferredWork& work) {
  work.mechanism = [this, mechanism = std::move(work.mechanism)](DeferredWork& w) {
    if (kernel_.cpu_state().hard_depth > 0) return run_in_place(w);
    mechanism(w);
  };
}

void Personality::run_in_place(DeferredWork& work) {
  work.raised(false);
  work.run();
}

void Personality::establish(DeferredWork& work) {
  throw std::invalid_argument("establish_deferred(" + work.name() + "): personality " +
                              std::string(name()) + " has no deferred-work mechanism");
}

KernelConfig apply_personality(KernelConfig config) {
  if (const PersonalityDescriptor* p = find_personality(config.personality.name)) p->configure(config);
  return config;
}

std::vector<std::string> validate_personality(const KernelConfig& config) {
  std::vector<std::string> errors;
  const PersonalityDescriptor* selected = find_personality(config.personality.name);
  if (selected == nullptr) {
    try {
      personality_named(config.personality.name);
    } catch (const std::invalid_argument& e) {
      errors.emplace_back(e.what());
    }
  }
  if (selected != nullptr)
    for (std::string& e : selected->validate(config)) errors.push_back(std::move(e));
  for (const auto& [personality, values] : config.personality.options) {
    const PersonalityDescriptor* owner = find_personality(personality);
    if (owner == nullptr) {
      errors.push_back("options given for unknown personality \"" + personality + "\"");
      continue;
    }
    for (const auto& [option, value] : values) {
      const OptionSpec* spec = nullptr;
      for (const OptionSpec& s : owner->options)
        if (s.name == option) spec = &s;
      if (spec == nullptr)
        errors.push_back(personality + ": unknown option " + option);
      else if (value < spec->min || value > spec->max)
        errors.push_back(personality + ": " + option + " is " + std::to_string(value) + ", must be " +
                         describe_range(*spec));
    }
  }
  return errors;
}

Personality& expect_personality(Kernel& kernel, std::string_view name) {
  if (kernel.personality().name() != name)
    kernel.panic("the kernel does not run the " + std::string(name) + " personality");
  return kernel.personality();
}

std::unique_ptr<Personality> make_personality(Kernel& kernel) {
  return personality_named(kernel.config().personality.name).make(kernel);
}

}  // namespace irqlab::kernel
