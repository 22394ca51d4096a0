#include "personality/personality.h"

#include <stdexcept>

#include "kernel.h"
#include "personality/bsd43/bsd43.h"
#include "personality/freebsd/freebsd.h"
#include "personality/linux/linux.h"
#include "personality/netbsd/netbsd.h"

namespace irqlab::kernel {

namespace {

class NonePersonality : public Personality {
 public:
  using Personality::Personality;
  PersonalityKind kind() const override { return PersonalityKind::None; }
};

}  // namespace

const char* personality_name(PersonalityKind kind) {
  switch (kind) {
    case PersonalityKind::None: return "none";
    case PersonalityKind::Bsd43: return "bsd43";
    case PersonalityKind::Netbsd: return "netbsd";
    case PersonalityKind::Linux: return "linux";
    case PersonalityKind::Freebsd: return "freebsd";
  }
  return "?";
}

PersonalityKind parse_personality(const std::string& name) {
  for (PersonalityKind k : {PersonalityKind::None, PersonalityKind::Bsd43, PersonalityKind::Netbsd,
                            PersonalityKind::Linux, PersonalityKind::Freebsd})
    if (name == personality_name(k)) return k;
  throw std::invalid_argument("unknown personality \"" + name +
                              "\": expected none, bsd43, netbsd, linux or freebsd");
}

void Personality::irq_exit() { kernel_.spl().doreti(); }

unsigned Personality::device_level(unsigned priority) const {
  const IplTable& table = kernel_.spl().table();
  for (unsigned l = 1; l < table.size(); ++l)
    if (!table[l].soft && table[l].threshold >= priority) return l;
  return static_cast<unsigned>(table.size() - 1);
}

IrqHandler Personality::at_device_level(unsigned priority, IrqHandler handler) {
  return [this, level = device_level(priority), h = std::move(handler)](unsigned source) {
    CpuState& c = kernel_.cpu_state();
    const unsigned s = c.ipl;
    if (level > s) c.ipl = level;
    h(source);
    kernel_.spl().set_level(s);
  };
}

void Personality::establish(DeferredWork& work) {
  throw std::invalid_argument("establish_deferred(" + work.name() + "): personality " +
                              personality_name(kind()) + " has no deferred-work mechanism");
}

KernelConfig apply_personality(KernelConfig config) {
  switch (config.personality.kind) {
    case PersonalityKind::None: break;
    case PersonalityKind::Bsd43: bsd43::configure(config); break;
    case PersonalityKind::Netbsd: netbsd::configure(config); break;
    case PersonalityKind::Freebsd: freebsd::configure(config); break;
    case PersonalityKind::Linux: lnx::configure(config); break;
  }
  return config;
}

std::vector<std::string> validate_personality(const KernelConfig& config) {
  std::vector<std::string> errors;
  switch (config.personality.kind) {
    case PersonalityKind::None: break;
    case PersonalityKind::Bsd43: errors = bsd43::validate(config); break;
    case PersonalityKind::Netbsd: errors = netbsd::validate(config); break;
    case PersonalityKind::Freebsd: errors = freebsd::validate(config); break;
    case PersonalityKind::Linux: errors = lnx::validate(config); break;
  }
  return errors;
}

Personality& expect_personality(Kernel& kernel, PersonalityKind kind) {
  if (kernel.personality().kind() != kind)
    kernel.panic(std::string("the kernel does not run the ") + personality_name(kind) + " personality");
  return kernel.personality();
}

std::unique_ptr<Personality> make_personality(Kernel& kernel) {
  const PersonalityConfig& p = kernel.config().personality;
  switch (p.kind) {
    case PersonalityKind::Bsd43: return std::make_unique<bsd43::Bsd43>(kernel, p.bsd43);
    case PersonalityKind::Netbsd: return std::make_unique<netbsd::Netbsd>(kernel, p.netbsd);
    case PersonalityKind::Freebsd: return std::make_unique<freebsd::Freebsd>(kernel, p.freebsd);
    case PersonalityKind::Linux: return std::make_unique<lnx::Linux>(kernel, p.linux_);
    default: return std::make_unique<NonePersonality>(kernel);
  }
}

}  // namespace irqlab::kernel
